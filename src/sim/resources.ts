/**
 * The resource types the simulator serves, with what discovery, routing, field selectors and status
 * subresources need to know about each.
 */
import { EVENT_TYPE } from './event-resource.js';
import type { KubeObject } from './kube-object.js';

/** The kinds the cluster generator produces (generate-cluster.ts keys its output by them). */
export type ResourceName =
  | 'nodes'
  | 'pods'
  | 'namespaces'
  | 'daemonsets'
  | 'replicasets'
  | 'poddisruptionbudgets';

/** Every kind the simulator stores and serves. */
export type ServedResource = ResourceName | RbacResourceName | DeployResourceName | 'events';

/** What a deployment of a workload needs (kubectl apply -k of manifests; src/sim/deploy-objects.ts validates them). */
export type DeployResourceName =
  | 'serviceaccounts'
  | 'secrets'
  | 'configmaps'
  | 'services'
  | 'deployments'
  | 'networkpolicies';

/** rbac.authorization.k8s.io/v1, served like the other kinds (src/sim/auth reads them to authorize). */
export type RbacResourceName = 'roles' | 'clusterroles' | 'rolebindings' | 'clusterrolebindings';

export interface ResourceType {
  readonly resource: ServedResource;
  readonly singular: string;
  readonly kind: string;
  readonly listKind: string;
  readonly group: string; // '' for the core group
  readonly version: string;
  readonly namespaced: boolean;
  readonly shortNames: readonly string[];
  readonly categories: readonly string[];
  /** Status is only writable through the /status subresource (writes to the main resource keep it). */
  readonly hasStatusSubresource: boolean;
  /** metadata.generation is maintained and bumped on spec changes. */
  readonly hasGeneration: boolean;
  /** Field-selector labels this resource supports, with how to read each from an object. */
  readonly fields: Readonly<Record<string, (o: KubeObject) => string>>;
  readonly storageVersionHash: string;
}

const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v));
const metaName = (o: KubeObject): string => str(o.metadata?.name);
const metaNamespace = (o: KubeObject): string => str(o.metadata?.namespace);

type Spec = Record<string, unknown>;
const spec = (o: KubeObject): Spec => (o.spec as Spec | undefined) ?? {};
const status = (o: KubeObject): Spec => (o.status as Spec | undefined) ?? {};

function rbacType(
  resource: RbacResourceName,
  kind: string,
  namespaced: boolean,
  storageVersionHash: string,
): ResourceType {
  return {
    resource,
    singular: kind.toLowerCase(),
    kind,
    listKind: `${kind}List`,
    group: 'rbac.authorization.k8s.io',
    version: 'v1',
    namespaced,
    shortNames: [],
    categories: [],
    hasStatusSubresource: false,
    hasGeneration: false,
    storageVersionHash,
    fields: namespaced
      ? { 'metadata.name': metaName, 'metadata.namespace': metaNamespace }
      : { 'metadata.name': metaName },
  };
}

export const RBAC_RESOURCES: Readonly<Record<RbacResourceName, ResourceType>> = {
  roles: rbacType('roles', 'Role', true, '7FuwZcIIItM='),
  clusterroles: rbacType('clusterroles', 'ClusterRole', false, 'bYE5ZWDrJ44='),
  rolebindings: rbacType('rolebindings', 'RoleBinding', true, 'eGsCzGH6b1g='),
  clusterrolebindings: rbacType('clusterrolebindings', 'ClusterRoleBinding', false, '48tpQ8gZHFc='),
};

const NAME_AND_NAMESPACE = { 'metadata.name': metaName, 'metadata.namespace': metaNamespace };

export const DEPLOY_RESOURCES: Readonly<Record<DeployResourceName, ResourceType>> = {
  serviceaccounts: {
    resource: 'serviceaccounts',
    singular: 'serviceaccount',
    kind: 'ServiceAccount',
    listKind: 'ServiceAccountList',
    group: '',
    version: 'v1',
    namespaced: true,
    shortNames: ['sa'],
    categories: [],
    hasStatusSubresource: false,
    hasGeneration: false,
    storageVersionHash: 'pbx9ZvyFpBE=',
    fields: NAME_AND_NAMESPACE,
  },
  secrets: {
    resource: 'secrets',
    singular: 'secret',
    kind: 'Secret',
    listKind: 'SecretList',
    group: '',
    version: 'v1',
    namespaced: true,
    shortNames: [],
    categories: [],
    hasStatusSubresource: false,
    hasGeneration: false,
    storageVersionHash: 'S6u1pOWzb84=',
    fields: { ...NAME_AND_NAMESPACE, type: (o) => str(o.type) },
  },
  configmaps: {
    resource: 'configmaps',
    singular: 'configmap',
    kind: 'ConfigMap',
    listKind: 'ConfigMapList',
    group: '',
    version: 'v1',
    namespaced: true,
    shortNames: ['cm'],
    categories: [],
    hasStatusSubresource: false,
    hasGeneration: false,
    storageVersionHash: 'qFsyl6wFWjQ=',
    fields: NAME_AND_NAMESPACE,
  },
  services: {
    resource: 'services',
    singular: 'service',
    kind: 'Service',
    listKind: 'ServiceList',
    group: '',
    version: 'v1',
    namespaced: true,
    shortNames: ['svc'],
    categories: ['all'],
    hasStatusSubresource: true,
    hasGeneration: false,
    storageVersionHash: '0/CO1lhkEBI=',
    fields: {
      ...NAME_AND_NAMESPACE,
      'spec.clusterIP': (o) => str(spec(o).clusterIP),
      'spec.type': (o) => str(spec(o).type),
    },
  },
  deployments: {
    resource: 'deployments',
    singular: 'deployment',
    kind: 'Deployment',
    listKind: 'DeploymentList',
    group: 'apps',
    version: 'v1',
    namespaced: true,
    shortNames: ['deploy'],
    categories: ['all'],
    hasStatusSubresource: true,
    hasGeneration: true,
    storageVersionHash: '8aSe+NMegvE=',
    fields: NAME_AND_NAMESPACE,
  },
  // Stored and served only: the simulator has no network to police (the ha overlay ships one).
  networkpolicies: {
    resource: 'networkpolicies',
    singular: 'networkpolicy',
    kind: 'NetworkPolicy',
    listKind: 'NetworkPolicyList',
    group: 'networking.k8s.io',
    version: 'v1',
    namespaced: true,
    shortNames: ['netpol'],
    categories: [],
    hasStatusSubresource: false,
    hasGeneration: true,
    storageVersionHash: 'YpfwF18m1G8=',
    fields: NAME_AND_NAMESPACE,
  },
};

export const RESOURCES: Readonly<Record<ServedResource, ResourceType>> = {
  nodes: {
    resource: 'nodes',
    singular: 'node',
    kind: 'Node',
    listKind: 'NodeList',
    group: '',
    version: 'v1',
    namespaced: false,
    shortNames: ['no'],
    categories: [],
    hasStatusSubresource: true,
    hasGeneration: false,
    storageVersionHash: 'XwShjMxG9Fs=',
    fields: {
      'metadata.name': metaName,
      // The apiserver renders the bool with %v: "true" / "false".
      'spec.unschedulable': (o) => (spec(o).unschedulable === true ? 'true' : 'false'),
    },
  },
  pods: {
    resource: 'pods',
    singular: 'pod',
    kind: 'Pod',
    listKind: 'PodList',
    group: '',
    version: 'v1',
    namespaced: true,
    shortNames: ['po'],
    categories: ['all'],
    hasStatusSubresource: true,
    hasGeneration: false,
    storageVersionHash: 'xPOwRZ+Yhw8=',
    fields: {
      'metadata.name': metaName,
      'metadata.namespace': metaNamespace,
      'spec.nodeName': (o) => str(spec(o).nodeName),
      'spec.restartPolicy': (o) => str(spec(o).restartPolicy),
      'spec.schedulerName': (o) => str(spec(o).schedulerName),
      'spec.serviceAccountName': (o) => str(spec(o).serviceAccountName),
      'spec.hostNetwork': (o) => (spec(o).hostNetwork === true ? 'true' : 'false'),
      'status.phase': (o) => str(status(o).phase),
      'status.podIP': (o) => str(status(o).podIP),
      'status.nominatedNodeName': (o) => str(status(o).nominatedNodeName),
    },
  },
  namespaces: {
    resource: 'namespaces',
    singular: 'namespace',
    kind: 'Namespace',
    listKind: 'NamespaceList',
    group: '',
    version: 'v1',
    namespaced: false,
    shortNames: ['ns'],
    categories: [],
    hasStatusSubresource: true,
    hasGeneration: false,
    storageVersionHash: 'Q3oi5N2YM8M=',
    fields: {
      'metadata.name': metaName,
      'status.phase': (o) => str(status(o).phase),
    },
  },
  daemonsets: {
    resource: 'daemonsets',
    singular: 'daemonset',
    kind: 'DaemonSet',
    listKind: 'DaemonSetList',
    group: 'apps',
    version: 'v1',
    namespaced: true,
    shortNames: ['ds'],
    categories: ['all'],
    hasStatusSubresource: true,
    hasGeneration: true,
    storageVersionHash: 'dd7pWHUlMKQ=',
    fields: { 'metadata.name': metaName, 'metadata.namespace': metaNamespace },
  },
  replicasets: {
    resource: 'replicasets',
    singular: 'replicaset',
    kind: 'ReplicaSet',
    listKind: 'ReplicaSetList',
    group: 'apps',
    version: 'v1',
    namespaced: true,
    shortNames: ['rs'],
    categories: ['all'],
    hasStatusSubresource: true,
    hasGeneration: true,
    storageVersionHash: 'P1RzHs8/mWQ=',
    fields: {
      'metadata.name': metaName,
      'metadata.namespace': metaNamespace,
      'status.replicas': (o) => str(status(o).replicas ?? 0),
    },
  },
  poddisruptionbudgets: {
    resource: 'poddisruptionbudgets',
    singular: 'poddisruptionbudget',
    kind: 'PodDisruptionBudget',
    listKind: 'PodDisruptionBudgetList',
    group: 'policy',
    version: 'v1',
    namespaced: true,
    shortNames: ['pdb'],
    categories: [],
    hasStatusSubresource: true,
    hasGeneration: true,
    storageVersionHash: 'EVWiDmWqyJw=',
    fields: { 'metadata.name': metaName, 'metadata.namespace': metaNamespace },
  },
  ...RBAC_RESOURCES,
  ...DEPLOY_RESOURCES,
  events: EVENT_TYPE,
};

export function isDeployResource(r: ServedResource): r is DeployResourceName {
  return Object.hasOwn(DEPLOY_RESOURCES, r);
}

export const RESOURCE_LIST: readonly ResourceType[] = Object.values(RESOURCES);

export function apiVersionOf(t: ResourceType): string {
  return t.group ? `${t.group}/${t.version}` : t.version;
}

export function findResource(group: string, version: string, resource: string): ResourceType | undefined {
  return RESOURCE_LIST.find((r) => r.group === group && r.version === version && r.resource === resource);
}

export function fieldSetOf(t: ResourceType, o: KubeObject): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [field, read] of Object.entries(t.fields)) out[field] = read(o);
  return out;
}
