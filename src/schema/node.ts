import { type CordonInfo, cordonInfoOf } from '../drain/cordon-annotations.js';
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
import { FROM_NODE_CACHE } from './from-node-cache.js';
import { RelayNodeRef } from './relay-node.js';

const LabelRef = builder.objectRef<KeyValue>('Label').implement({
  description: 'One node label',
  fields: (t) => ({
    key: t.exposeString('key', FROM_NODE_CACHE),
    value: t.exposeString('value', FROM_NODE_CACHE),
  }),
});

const AnnotationRef = builder.objectRef<KeyValue>('Annotation').implement({
  description:
    'One node annotation (kubectl.kubernetes.io/last-applied-configuration is left out: it copies the object)',
  fields: (t) => ({
    key: t.exposeString('key', FROM_NODE_CACHE),
    value: t.exposeString('value', FROM_NODE_CACHE),
  }),
});

const TaintRef = builder.objectRef<NodeTaint>('Taint').implement({
  fields: (t) => ({
    key: t.exposeString('key', FROM_NODE_CACHE),
    value: t.exposeString('value', { ...FROM_NODE_CACHE, nullable: true }),
    effect: t.exposeString('effect', {
      ...FROM_NODE_CACHE,
      description: 'NoSchedule, PreferNoSchedule or NoExecute',
    }),
    timeAdded: t.expose('timeAdded', {
      ...FROM_NODE_CACHE,
      type: 'DateTime',
      nullable: true,
      description: 'Set for NoExecute taints',
    }),
  }),
});

const NodeConditionRef = builder.objectRef<NodeCondition>('NodeCondition').implement({
  fields: (t) => ({
    type: t.exposeString('type', {
      ...FROM_NODE_CACHE,
      description: 'Ready, MemoryPressure, DiskPressure, PIDPressure, ...',
    }),
    status: t.exposeString('status', { ...FROM_NODE_CACHE, description: 'True, False or Unknown' }),
    reason: t.exposeString('reason', { ...FROM_NODE_CACHE, nullable: true }),
    message: t.exposeString('message', { ...FROM_NODE_CACHE, nullable: true }),
    lastTransitionTime: t.expose('lastTransitionTime', {
      ...FROM_NODE_CACHE,
      type: 'DateTime',
      nullable: true,
    }),
    lastHeartbeatTime: t.expose('lastHeartbeatTime', {
      ...FROM_NODE_CACHE,
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
      ...FROM_NODE_CACHE,
      description: 'InternalIP, ExternalIP, InternalDNS, ExternalDNS or Hostname',
    }),
    address: t.exposeString('address', FROM_NODE_CACHE),
  }),
});

const ResourceQuantityRef = builder
  .objectRef<{ name: string; quantity: string }>('ResourceQuantity')
  .implement({
    fields: (t) => ({
      name: t.exposeString('name', {
        ...FROM_NODE_CACHE,
        description: 'e.g. cpu, memory, pods, nvidia.com/gpu',
      }),
      quantity: t.exposeString('quantity', {
        ...FROM_NODE_CACHE,
        description: 'A Kubernetes quantity, e.g. 3920m, 15Gi',
      }),
    }),
  });

const NodeResourcesRef = builder.objectRef<ResourceList>('NodeResources').implement({
  description: 'Resource quantities as Kubernetes writes them (e.g. cpu "3920m", memory "15991484Ki")',
  fields: (t) => ({
    cpu: t.string({ ...FROM_NODE_CACHE, nullable: true, resolve: (r) => r.cpu ?? null }),
    memory: t.string({ ...FROM_NODE_CACHE, nullable: true, resolve: (r) => r.memory ?? null }),
    pods: t.string({ ...FROM_NODE_CACHE, nullable: true, resolve: (r) => r.pods ?? null }),
    ephemeralStorage: t.string({
      ...FROM_NODE_CACHE,
      nullable: true,
      resolve: (r) => r['ephemeral-storage'] ?? null,
    }),
    all: t.field({
      ...FROM_NODE_CACHE,
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
    kubeletVersion: t.string({ ...FROM_NODE_CACHE, nullable: true, resolve: info('kubeletVersion') }),
    kubeProxyVersion: t.string({ ...FROM_NODE_CACHE, nullable: true, resolve: info('kubeProxyVersion') }),
    containerRuntimeVersion: t.string({
      ...FROM_NODE_CACHE,
      nullable: true,
      resolve: info('containerRuntimeVersion'),
    }),
    kernelVersion: t.string({ ...FROM_NODE_CACHE, nullable: true, resolve: info('kernelVersion') }),
    osImage: t.string({ ...FROM_NODE_CACHE, nullable: true, resolve: info('osImage') }),
    operatingSystem: t.string({ ...FROM_NODE_CACHE, nullable: true, resolve: info('operatingSystem') }),
    architecture: t.string({ ...FROM_NODE_CACHE, nullable: true, resolve: info('architecture') }),
    machineID: t.string({ ...FROM_NODE_CACHE, nullable: true, resolve: info('machineID') }),
    systemUUID: t.string({ ...FROM_NODE_CACHE, nullable: true, resolve: info('systemUUID') }),
    bootID: t.string({ ...FROM_NODE_CACHE, nullable: true, resolve: info('bootID') }),
  }),
});

const CordonRef = builder.objectRef<CordonInfo>('Cordon').implement({
  description:
    'Why, by whom and when an unschedulable node was cordoned, as cordonNode recorded it (annotations ' +
    'kube-node-gateway.io/cordon-reason, -cordoned-by, -cordoned-at). Each is null when not on record: a ' +
    'cordon by kubectl or by a drain records none.',
  fields: (t) => ({
    reason: t.exposeString('reason', { ...FROM_NODE_CACHE, nullable: true }),
    by: t.exposeString('by', {
      ...FROM_NODE_CACHE,
      nullable: true,
      description: 'The username of who cordoned it (null when the gateway runs without authentication)',
    }),
    at: t.field({
      ...FROM_NODE_CACHE,
      type: 'DateTime',
      nullable: true,
      resolve: (c) => (c.at !== null && !Number.isNaN(Date.parse(c.at)) ? c.at : null),
    }),
  }),
});

/**
 * The GraphQL type `KubeNode`, backed by the informer cache's CachedNode (frozen, shared: never
 * mutate it). Other modules add fields with `builder.objectFields(NodeRef, ...)`.
 */
export const NodeRef = builder.objectRef<CachedNode>('KubeNode');

NodeRef.implement({
  description:
    'A Kubernetes node, answered from the informer cache (no API call per query). Named KubeNode because ' +
    "Relay's object-identification interface takes the name Node.",
  interfaces: [RelayNodeRef],
  fields: (t) => ({
    id: t.exposeID('id', {
      ...FROM_NODE_CACHE,
      description: 'Global id (cluster and name): unique across clusters; Query.node(id) refetches it',
    }),
    cluster: t.exposeString('cluster', {
      ...FROM_NODE_CACHE,
      description: 'The kubeconfig context this node belongs to',
    }),
    name: t.exposeString('name', FROM_NODE_CACHE),
    uid: t.exposeString('uid', FROM_NODE_CACHE),
    resourceVersion: t.exposeString('resourceVersion', FROM_NODE_CACHE),
    labels: t.field({
      ...FROM_NODE_CACHE,
      type: [LabelRef],
      description: 'Sorted by key',
      resolve: (n) => n.labelList,
    }),
    label: t.string({
      ...FROM_NODE_CACHE,
      nullable: true,
      description: 'The value of one label; null when the node does not have it',
      args: { key: t.arg.string({ required: true }) },
      resolve: (n, { key }) => (Object.hasOwn(n.labels, key) ? n.labels[key]! : null),
    }),
    annotations: t.field({
      ...FROM_NODE_CACHE,
      type: [AnnotationRef],
      description: 'Sorted by key',
      resolve: (n) => n.annotations,
    }),
    roles: t.exposeStringList('roles', {
      ...FROM_NODE_CACHE,
      description: 'From node-role.kubernetes.io/<role> and kubernetes.io/role labels, sorted',
    }),
    ready: t.exposeBoolean('ready', { ...FROM_NODE_CACHE, description: 'The Ready condition is True' }),
    readyStatus: t.exposeString('readyStatus', {
      ...FROM_NODE_CACHE,
      description: "The Ready condition's status: True, False or Unknown (also when the node reports none)",
    }),
    schedulable: t.exposeBoolean('schedulable', {
      ...FROM_NODE_CACHE,
      description: 'Not cordoned (spec.unschedulable is not set)',
    }),
    cordon: t.field({
      ...FROM_NODE_CACHE,
      type: CordonRef,
      nullable: true,
      description:
        'Set whenever the node is unschedulable (its parts null when not on record); null when schedulable',
      resolve: (n) => cordonInfoOf(n),
    }),
    status: t.string({
      ...FROM_NODE_CACHE,
      description: 'Status as kubectl get nodes prints it, e.g. Ready, NotReady, Ready,SchedulingDisabled',
      resolve: (n) => `${n.ready ? 'Ready' : 'NotReady'}${n.schedulable ? '' : ',SchedulingDisabled'}`,
    }),
    taints: t.field({ ...FROM_NODE_CACHE, type: [TaintRef], resolve: (n) => n.taints }),
    conditions: t.field({ ...FROM_NODE_CACHE, type: [NodeConditionRef], resolve: (n) => n.conditions }),
    addresses: t.field({ ...FROM_NODE_CACHE, type: [NodeAddressRef], resolve: (n) => n.addresses }),
    internalIP: t.string({
      ...FROM_NODE_CACHE,
      nullable: true,
      description: 'The first InternalIP address',
      resolve: (n) => n.addresses.find((a) => a.type === 'InternalIP')?.address ?? null,
    }),
    capacity: t.field({ ...FROM_NODE_CACHE, type: NodeResourcesRef, resolve: (n) => n.capacity }),
    allocatable: t.field({ ...FROM_NODE_CACHE, type: NodeResourcesRef, resolve: (n) => n.allocatable }),
    nodeInfo: t.field({ ...FROM_NODE_CACHE, type: NodeSystemInfoRef, resolve: (n) => n.nodeInfo }),
    providerID: t.exposeString('providerID', { ...FROM_NODE_CACHE, nullable: true }),
    podCIDRs: t.exposeStringList('podCIDRs', FROM_NODE_CACHE),
    createdAt: t.expose('createdAt', { ...FROM_NODE_CACHE, type: 'DateTime', nullable: true }),
  }),
});

builder.queryField('nodeByName', (t) =>
  t.field({
    ...FROM_NODE_CACHE,
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
    resolve: (_root, args, ctx, info) => nodeByName(ctx, args, info),
  }),
);
