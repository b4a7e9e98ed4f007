/** Verb and resource of an API path, as an apiserver's audit log names them; used for metrics. */
export interface KubeRequestLabels {
  verb: string;
  resource: string;
}

const NAMESPACED = /^\/apis?\/(?:[^/]+\/)?[^/]+\/namespaces\/[^/]+\/([^/]+)(?:\/([^/]+))?(?:\/([^/]+))?/;
const CLUSTER_SCOPED = /^\/apis?\/(?:[^/]+\/)?[^/]+\/([^/]+)(?:\/([^/]+))?(?:\/([^/]+))?/;

export function labelsOfRequest(method: string, path: string, watch: boolean): KubeRequestLabels {
  const match = NAMESPACED.exec(path) ?? CLUSTER_SCOPED.exec(path);
  const resource = match?.[1] ?? 'unknown';
  const hasName = match?.[2] !== undefined;
  const subresource = match?.[3];
  const fullResource = subresource ? `${resource}/${subresource}` : resource;
  return { verb: verbOf(method, hasName, watch), resource: fullResource };
}

function verbOf(method: string, hasName: boolean, watch: boolean): string {
  switch (method) {
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
      return method.toLowerCase();
  }
}
