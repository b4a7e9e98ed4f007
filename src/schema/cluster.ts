import type { ClusterStatusChange, RelistProgress } from '../informers/node-informer.js';
import { type ClusterView, clusterNodeData, clusterView, clusterViews } from '../resolvers/clusters.js';
import { globalId } from '../resolvers/relay-ids.js';
import { builder } from './builder.js';
import { RelayNodeRef } from './relay-node.js';

const ClusterStatusEnum = builder.enumType('ClusterStatus', {
  values: {
    SYNCING: {
      description: 'The first LIST of nodes has not completed yet: node queries use direct API calls',
    },
    READY: { description: 'Nodes are answered from an in-sync informer cache' },
    DEGRADED: {
      description:
        'The cache is not in sync (watch lost or failing, or the API missed a probe of a silent watch): node queries answer from the last cache, marked stale',
    },
    UNREACHABLE: {
      description:
        'The API does not answer (connection refused, timeouts, probes failing in a row); retrying with backoff. Node queries answer from the last cache, marked stale',
    },
    RELISTING: {
      description:
        'A full LIST is replacing the cache (the watch expired, 410): node queries answer from the previous cache, marked stale, until it completes; see `relist` for its progress',
    },
  } as const,
});

const ClusterStatusChangeRef = builder.objectRef<ClusterStatusChange>('ClusterStatusChange').implement({
  fields: (t) => ({
    status: t.expose('status', { type: ClusterStatusEnum }),
    at: t.expose('at', { type: 'DateTime' }),
    reason: t.exposeString('reason', { nullable: true }),
  }),
});

const ClusterRelistRef = builder.objectRef<RelistProgress>('ClusterRelist').implement({
  description: 'A LIST of every node that is filling or replacing the cache',
  fields: (t) => ({
    reason: t.exposeString('reason', {
      description: 'initial (first fill), expired (the watch got 410) or error (retry after a failure)',
    }),
    startedAt: t.expose('startedAt', { type: 'DateTime' }),
    nodesSoFar: t.exposeInt('nodesSoFar', { description: 'Nodes received so far' }),
  }),
});

const ClusterRef = builder.objectRef<ClusterView>('Cluster').implement({
  description: 'A cluster the gateway serves: one kubeconfig context',
  interfaces: [RelayNodeRef],
  fields: (t) => ({
    id: t.id({
      description: 'Global id (the context name); Query.node(id) refetches it',
      resolve: (c) => globalId('Cluster', [c.name]),
    }),
    name: t.exposeString('name', {
      description: 'The kubeconfig context name; the `cluster` argument elsewhere',
    }),
    server: t.exposeString('server', { description: 'API server URL' }),
    isDefault: t.exposeBoolean('isDefault', { description: 'Used when a `cluster` argument is omitted' }),
    status: t.expose('status', { type: ClusterStatusEnum }),
    nodeCount: t.int({
      // Nullable: null with FORBIDDEN for a caller who may not list this cluster's nodes.
      nullable: true,
      description:
        'Nodes in the cache (the last known count when not READY); null with FORBIDDEN when the caller may not list nodes',
      resolve: (c, _args, ctx, info) => clusterNodeData(ctx, c, info, () => c.nodeCount),
    }),
    lastSyncAt: t.expose('lastSyncAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When a full LIST last filled the node cache',
    }),
    lastEventAt: t.expose('lastEventAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When the node watch last delivered an event or bookmark',
    }),
    error: t.exposeString('error', {
      nullable: true,
      description: 'Why the cluster is not READY, when known',
    }),
    stale: t.exposeBoolean('stale', {
      description:
        'Node queries answer from a cache not known to be current (DEGRADED, UNREACHABLE, RELISTING); their responses carry `extensions.stale`',
    }),
    staleSince: t.expose('staleSince', {
      type: 'DateTime',
      nullable: true,
      description: 'While stale: when the cache was last known current (watch line, LIST or API probe)',
    }),
    cacheAgeSeconds: t.exposeFloat('cacheAgeSeconds', {
      nullable: true,
      description: 'While stale: seconds since `staleSince`; 0 when in sync; null before the first LIST',
    }),
    relist: t.field({
      type: ClusterRelistRef,
      nullable: true,
      description: 'The LIST in progress (first fill or relist), with its progress; null when none runs',
      resolve: (c, _args, ctx, info) => clusterNodeData(ctx, c, info, () => c.relist),
    }),
    statusHistory: t.field({
      type: [ClusterStatusChangeRef],
      description: 'The last 20 status changes, oldest first: a brief outage stays visible after it ended',
      resolve: (c) => c.statusHistory,
    }),
  }),
});

builder.queryField('clusters', (t) =>
  t.field({
    type: [ClusterRef],
    description: 'Every cluster the gateway serves, with the state of its node cache',
    resolve: (_root, _args, ctx) => clusterViews(ctx),
  }),
);

builder.queryField('cluster', (t) =>
  t.field({
    type: ClusterRef,
    description: 'One cluster; omitted name = the default cluster',
    args: { name: t.arg.string() },
    resolve: (_root, args, ctx) => clusterView(ctx, args.name),
  }),
);
