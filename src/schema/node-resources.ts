import type {
  AllocatedResources,
  NodeAllocatedView,
  NodeUsageView,
  ResourceAmount,
} from '../pods/node-resource-views.js';
import { loadAllocated, loadUsage } from '../resolvers/node-resources.js';
import { builder } from './builder.js';
import { NodeRef } from './node.js';

const ResourceAmountRef = builder.objectRef<ResourceAmount>('ResourceAmount').implement({
  description: "An amount of one resource on a node and its share of the node's allocatable",
  fields: (t) => ({
    quantity: t.exposeString('quantity', {
      description: 'Canonical Kubernetes quantity, as kubectl prints it, e.g. 850m, 240Mi, 0',
    }),
    value: t.exposeFloat('value', { description: 'In the resource unit: cores for cpu, bytes otherwise' }),
    fraction: t.exposeFloat('fraction', {
      nullable: true,
      description: 'Share of allocatable (0.21 = 21%; limits may exceed 1); null when the node reports none',
    }),
    percent: t.exposeInt('percent', {
      nullable: true,
      description: 'The share in whole percent, truncated, as kubectl prints it',
    }),
  }),
});

const AllocatedResourcesRef = builder.objectRef<AllocatedResources>('AllocatedResources').implement({
  fields: (t) => ({
    cpu: t.field({ type: ResourceAmountRef, resolve: (r) => r.cpu }),
    memory: t.field({ type: ResourceAmountRef, resolve: (r) => r.memory }),
    ephemeralStorage: t.field({ type: ResourceAmountRef, resolve: (r) => r.ephemeralStorage }),
  }),
});

const NodeAllocatedRef = builder.objectRef<NodeAllocatedView>('NodeAllocated').implement({
  description:
    "What the node's non-terminal pods request and are limited to, summed as `kubectl describe node` prints " +
    'under "Allocated resources": per pod the larger of its containers (plus sidecar init containers) and ' +
    'each init container, plus pod overhead',
  fields: (t) => ({
    requests: t.field({ type: AllocatedResourcesRef, resolve: (a) => a.requests }),
    limits: t.field({ type: AllocatedResourcesRef, resolve: (a) => a.limits }),
    pods: t.exposeInt('pods', { description: 'Non-terminal pods on the node (as podCount)' }),
    podsFraction: t.exposeFloat('podsFraction', {
      nullable: true,
      description: 'pods over allocatable pods; null when the node reports none',
    }),
  }),
});

const NodeUsageRef = builder.objectRef<NodeUsageView>('NodeUsage').implement({
  description:
    'What the node uses now, from the metrics API (metrics.k8s.io/v1beta1, as `kubectl top nodes`)',
  fields: (t) => ({
    cpu: t.field({ type: ResourceAmountRef, resolve: (u) => u.cpu }),
    memory: t.field({ type: ResourceAmountRef, resolve: (u) => u.memory }),
    window: t.exposeString('window', { description: 'Over how long the sample is averaged, e.g. 30s' }),
    timestamp: t.expose('timestamp', { type: 'DateTime', description: 'When the sample was taken' }),
  }),
});

/** Resource fields of KubeNode: read from the API once per request per cluster, never cached. */
builder.objectFields(NodeRef, (t) => ({
  allocated: t.field({
    type: NodeAllocatedRef,
    nullable: true,
    description:
      "Requests and limits of the node's non-terminal pods. All of a request's allocated (and podCount) come " +
      'from one cluster-wide pod LIST chain per cluster; needs `list pods`. Null with an error when that fails.',
    resolve: (node, _args, ctx) => loadAllocated(ctx, node),
  }),
  usage: t.field({
    type: NodeUsageRef,
    nullable: true,
    description:
      'CPU and memory in use, from one LIST of nodes.metrics.k8s.io per cluster per request, made as the ' +
      'caller. Null when the metrics API has no sample of the node; null with UPSTREAM_UNAVAILABLE when the ' +
      'cluster serves no metrics API, FORBIDDEN when the caller may not list node metrics.',
    resolve: (node, _args, ctx) => loadUsage(ctx, node),
  }),
}));
