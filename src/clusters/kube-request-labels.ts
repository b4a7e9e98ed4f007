/**
 * Verb and resource of an API path, as an apiserver's audit log names them; used as metric
 * labels. Both come from fixed sets: the path carries object names (a client's node name), and a
 * label fed from it would grow /metrics by one series per name.
 */
export interface KubeRequestLabels {
  verb: KubeVerb;
  resource: string;
}

export type KubeVerb =
  | 'get'
  | 'list'
  | 'watch'
  | 'create'
  | 'update'
  | 'patch'
  | 'delete'
  | 'deletecollection'
  | 'other';

/** The resources (and subresources) the gateway calls; every other path is counted as `other`. */
export const KNOWN_RESOURCES: ReadonlySet<string> = new Set([
  'nodes',
  'nodes/status',
  'nodes/proxy',
  'pods',
  'pods/eviction',
  'pods/status',
  'pods/log',
  'namespaces',
  'daemonsets',
  'replicasets',
  'deployments',
  'statefulsets',
  'jobs',
  'cronjobs',
  'replicationcontrollers',
  'poddisruptionbudgets',
  'events',
  'leases',
  'tokenreviews',
  'subjectaccessreviews',
  'selfsubjectaccessreviews',
  'selfsubjectreviews',
]);

export const OTHER_RESOURCE = 'other';

export function labelsOfRequest(method: string, path: string, watch: boolean): KubeRequestLabels {
  const target = kubeTargetOf(path);
  if (!target) return { verb: verbOf(method, false, watch), resource: OTHER_RESOURCE };
  const full =
    target.subresource === undefined ? target.resource : `${target.resource}/${target.subresource}`;
  return {
    verb: verbOf(method, target.name !== undefined, watch),
    resource: KNOWN_RESOURCES.has(full) ? full : OTHER_RESOURCE,
  };
}

/** What an API path addresses. Names come from the path: fine for spans, never for metric labels. */
export interface KubeTarget {
  resource: string;
  name?: string;
  subresource?: string;
  namespace?: string;
}

/**
 * The resource segments of `/api/v1/...` or `/apis/GROUP/VERSION/...`, optionally under
 * `namespaces/NS/`; undefined for discovery and anything else.
 */
export function kubeTargetOf(path: string): KubeTarget | undefined {
  const segments = path.split('?', 1)[0]?.split('/') ?? [];
  // segments[0] is '' (the path starts with '/').
  let rest: string[];
  if (segments[1] === 'api') rest = segments.slice(3);
  else if (segments[1] === 'apis') rest = segments.slice(4);
  else return undefined;
  if (rest.length === 0 || rest.some((s) => s.length === 0)) return undefined;
  // namespaces/NS/RESOURCE...; a bare namespaces/NS[/status] is the namespace object itself.
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length > 2) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  if (rest.length > 3) return undefined;
  const [resource, name, subresource] = rest;
  if (resource === undefined) return undefined;
  return { resource, name, subresource, namespace };
}

function verbOf(method: string, hasName: boolean, watch: boolean): KubeVerb {
  switch (method.toUpperCase()) {
    case 'GET':
      return watch ? 'watch' : hasName ? 'get' : 'list';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return hasName ? 'delete' : 'deletecollection';
    default:
      return 'other';
  }
}
