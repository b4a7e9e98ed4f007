import type {
  CachedNode,
  KeyValue,
  NodeAddress,
  NodeCondition,
  NodeTaint,
  ResourceList,
} from '../informers/node-projection.js';
import { nodeByName } from '../resolvers/nodes.js';
import { builder } from './builder.js';

const LabelRef = builder.objectRef<KeyValue>('Label').implement({
  description: 'One node label',
  fields: (t) => ({
    key: t.exposeString('key'),
    value: t.exposeString('value'),
  }),
});

const AnnotationRef = builder.objectRef<KeyValue>('Annotation').implement({
  description:
    'One node annotation (kubectl.kubernetes.io/last-applied-configuration is left out: it copies the object)',
  fields: (t) => ({
    key: t.exposeString('key'),
    value: t.exposeString('value'),
  }),
});

const TaintRef = builder.objectRef<NodeTaint>('Taint').implement({
  fields: (t) => ({
    key: t.exposeString('key'),
    value: t.exposeString('value', { nullable: true }),
    effect: t.exposeString('effect', { description: 'NoSchedule, PreferNoSchedule or NoExecute' }),
    timeAdded: t.expose('timeAdded', {
      type: 'DateTime',
      nullable: true,
      description: 'Set for NoExecute taints',
    }),
  }),
});

const NodeConditionRef = builder.objectRef<NodeCondition>('NodeCondition').implement({
  fields: (t) => ({
    type: t.exposeString('type', { description: 'Ready, MemoryPressure, DiskPressure, PIDPressure, ...' }),
    status: t.exposeString('status', { description: 'True, False or Unknown' }),
    reason: t.exposeString('reason', { nullable: true }),
    message: t.exposeString('message', { nullable: true }),
    lastTransitionTime: t.expose('lastTransitionTime', { type: 'DateTime', nullable: true }),
    lastHeartbeatTime: t.expose('lastHeartbeatTime', {
      type: 'DateTime',
      nullable: true,
      description:
        'Last time the kubelet confirmed this condition. Heartbeats alone are not nodeChanged events.',
    }),
  }),
});

const NodeAddressRef = builder.objectRef<NodeAddress>('NodeAddress').implement({
  fields: (t) => ({
    type: t.exposeString('type', {
      description: 'InternalIP, ExternalIP, InternalDNS, ExternalDNS or Hostname',
    }),
    address: t.exposeString('address'),
  }),
});

const ResourceQuantityRef = builder
  .objectRef<{ name: string; quantity: string }>('ResourceQuantity')
  .implement({
    fields: (t) => ({
      name: t.exposeString('name', { description: 'e.g. cpu, memory, pods, nvidia.com/gpu' }),
      quantity: t.exposeString('quantity', { description: 'A Kubernetes quantity, e.g. 3920m, 15Gi' }),
    }),
  });

const NodeResourcesRef = builder.objectRef<ResourceList>('NodeResources').implement({
  description: 'Resource quantities as Kubernetes writes them (e.g. cpu "3920m", memory "15991484Ki")',
  fields: (t) => ({
    cpu: t.string({ nullable: true, resolve: (r) => r.cpu ?? null }),
    memory: t.string({ nullable: true, resolve: (r) => r.memory ?? null }),
    pods: t.string({ nullable: true, resolve: (r) => r.pods ?? null }),
    ephemeralStorage: t.string({ nullable: true, resolve: (r) => r['ephemeral-storage'] ?? null }),
    all: t.field({
      type: [ResourceQuantityRef],
      description: 'Every resource, including extended ones (GPUs, hugepages)',
      resolve: (r) => Object.keys(r).map((name) => ({ name, quantity: r[name]! })),
    }),
  }),
});

type SystemInfo = Readonly<Record<string, string>>;
const info = (key: string) => (i: SystemInfo) => i[key] ?? null;

const NodeSystemInfoRef = builder.objectRef<SystemInfo>('NodeSystemInfo').implement({
  fields: (t) => ({
    kubeletVersion: t.string({ nullable: true, resolve: info('kubeletVersion') }),
    kubeProxyVersion: t.string({ nullable: true, resolve: info('kubeProxyVersion') }),
    containerRuntimeVersion: t.string({ nullable: true, resolve: info('containerRuntimeVersion') }),
    kernelVersion: t.string({ nullable: true, resolve: info('kernelVersion') }),
    osImage: t.string({ nullable: true, resolve: info('osImage') }),
    operatingSystem: t.string({ nullable: true, resolve: info('operatingSystem') }),
    architecture: t.string({ nullable: true, resolve: info('architecture') }),
    machineID: t.string({ nullable: true, resolve: info('machineID') }),
    systemUUID: t.string({ nullable: true, resolve: info('systemUUID') }),
    bootID: t.string({ nullable: true, resolve: info('bootID') }),
  }),
});

/**
 * The fields of `Node` answered purely from the cached projection (this file's fields). A
 * response cache may reuse answers made only of these; fields other modules add (pod counts:
 * API calls) are not in it, so an operation selecting them is always executed.
 */
export const NODE_FIELDS_FROM_CACHE: ReadonlySet<string> = new Set([
  'id',
  'cluster',
  'name',
  'uid',
  'resourceVersion',
  'labels',
  'label',
  'annotations',
  'roles',
  'ready',
  'readyStatus',
  'schedulable',
  'status',
  'taints',
  'conditions',
  'addresses',
  'internalIP',
  'capacity',
  'allocatable',
  'nodeInfo',
  'providerID',
  'podCIDRs',
  'createdAt',
]);

/**
 * The GraphQL type `Node`, backed by the informer cache's CachedNode (frozen, shared: never
 * mutate it). Other modules add fields with `builder.objectFields(NodeRef, ...)`.
 */
export const NodeRef = builder.objectRef<CachedNode>('Node');

NodeRef.implement({
  description: 'A Kubernetes node, answered from the informer cache (no API call per query)',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Global id: unique across clusters' }),
    cluster: t.exposeString('cluster', { description: 'The kubeconfig context this node belongs to' }),
    name: t.exposeString('name'),
    uid: t.exposeString('uid'),
    resourceVersion: t.exposeString('resourceVersion'),
    labels: t.field({ type: [LabelRef], description: 'Sorted by key', resolve: (n) => n.labelList }),
    label: t.string({
      nullable: true,
      description: 'The value of one label; null when the node does not have it',
      args: { key: t.arg.string({ required: true }) },
      resolve: (n, { key }) => (Object.hasOwn(n.labels, key) ? n.labels[key]! : null),
    }),
    annotations: t.field({
      type: [AnnotationRef],
      description: 'Sorted by key',
      resolve: (n) => n.annotations,
    }),
    roles: t.exposeStringList('roles', {
      description: 'From node-role.kubernetes.io/<role> and kubernetes.io/role labels, sorted',
    }),
    ready: t.exposeBoolean('ready', { description: 'The Ready condition is True' }),
    readyStatus: t.exposeString('readyStatus', {
      description: "The Ready condition's status: True, False or Unknown (also when the node reports none)",
    }),
    schedulable: t.exposeBoolean('schedulable', {
      description: 'Not cordoned (spec.unschedulable is not set)',
    }),
    status: t.string({
      description: 'Status as kubectl get nodes prints it, e.g. Ready, NotReady, Ready,SchedulingDisabled',
      resolve: (n) => `${n.ready ? 'Ready' : 'NotReady'}${n.schedulable ? '' : ',SchedulingDisabled'}`,
    }),
    taints: t.field({ type: [TaintRef], resolve: (n) => n.taints }),
    conditions: t.field({ type: [NodeConditionRef], resolve: (n) => n.conditions }),
    addresses: t.field({ type: [NodeAddressRef], resolve: (n) => n.addresses }),
    internalIP: t.string({
      nullable: true,
      description: 'The first InternalIP address',
      resolve: (n) => n.addresses.find((a) => a.type === 'InternalIP')?.address ?? null,
    }),
    capacity: t.field({ type: NodeResourcesRef, resolve: (n) => n.capacity }),
    allocatable: t.field({ type: NodeResourcesRef, resolve: (n) => n.allocatable }),
    nodeInfo: t.field({ type: NodeSystemInfoRef, resolve: (n) => n.nodeInfo }),
    providerID: t.exposeString('providerID', { nullable: true }),
    podCIDRs: t.exposeStringList('podCIDRs'),
    createdAt: t.expose('createdAt', { type: 'DateTime', nullable: true }),
  }),
});

builder.queryField('node', (t) =>
  t.field({
    type: NodeRef,
    nullable: true,
    description:
      'One node by name, from the cache; null when it does not exist. While the cache is not in sync the ' +
      'answer comes from a direct GET and the response carries extensions.degraded.',
    args: {
      cluster: t.arg.string({
        description: 'A kubeconfig context the gateway serves; omitted = the default cluster',
      }),
      name: t.arg.string({ required: true }),
    },
    resolve: (_root, args, ctx) => nodeByName(ctx, args),
  }),
);
