import type { ClusterStatusChange } from '../informers/node-informer.js';
import { type ClusterView, clusterView, clusterViews } from '../resolvers/clusters.js';
import { builder } from './builder.js';

const ClusterStatusEnum = builder.enumType('ClusterStatus', {
  values: {
    SYNCING: { description: 'The first LIST of nodes has not completed yet' },
    READY: { description: 'Nodes are answered from an in-sync informer cache' },
    DEGRADED: {
      description:
        'The cache is not in sync (watch lost, silent or failing): node queries use direct API calls',
    },
    UNREACHABLE: {
      description: 'The API does not answer (connection refused, timeouts); retrying with backoff',
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

const ClusterRef = builder.objectRef<ClusterView>('Cluster').implement({
  description: 'A cluster the gateway serves: one kubeconfig context',
  fields: (t) => ({
    name: t.exposeString('name', {
      description: 'The kubeconfig context name; the `cluster` argument elsewhere',
    }),
    server: t.exposeString('server', { description: 'API server URL' }),
    isDefault: t.exposeBoolean('isDefault', { description: 'Used when a `cluster` argument is omitted' }),
    status: t.expose('status', { type: ClusterStatusEnum }),
    nodeCount: t.exposeInt('nodeCount', {
      description: 'Nodes in the cache (the last known count when not READY)',
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
