import { type Viewer, type ViewerClusterAccess, viewerClusters, viewerOf } from '../resolvers/viewer.js';
import { builder } from './builder.js';

const ViewerClusterRef = builder.objectRef<ViewerClusterAccess>('ViewerClusterAccess').implement({
  description:
    "What the caller may do in one cluster, as the cluster's RBAC decides (SubjectAccessReview, cached)",
  fields: (t) => ({
    cluster: t.exposeString('cluster'),
    canListNodes: t.exposeBoolean('canListNodes', { description: 'list nodes: Query.nodes, nodeCount' }),
    canListPods: t.exposeBoolean('canListPods', {
      description: 'list pods in all namespaces: Node.podCount',
    }),
    canCordon: t.exposeBoolean('canCordon', { description: 'patch nodes: cordonNode, uncordonNode' }),
    canDrain: t.exposeBoolean('canDrain', {
      description: 'patch nodes and create pods/eviction: drainNode, cancelDrain',
    }),
  }),
});

const ViewerRef = builder.objectRef<Viewer>('Viewer').implement({
  description: 'The caller, as the gateway authenticated them',
  fields: (t) => ({
    username: t.exposeString('username'),
    groups: t.exposeStringList('groups'),
    clusters: t.field({
      type: [ViewerClusterRef],
      description:
        'What the caller may do in each cluster the gateway serves, so a UI can hide what would fail',
      resolve: (_viewer, _args, ctx) => viewerClusters(ctx),
    }),
  }),
});

builder.queryField('viewer', (t) =>
  t.field({
    type: ViewerRef,
    description:
      'Who the caller is and what they may do (under --auth none: system:anonymous, allowed everything)',
    resolve: (_root, _args, ctx) => viewerOf(ctx),
  }),
);
