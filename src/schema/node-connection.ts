import type { CachedNode } from '../informers/node-projection.js';
import type { Edge } from '../resolvers/connection.js';
import { type NodeConnectionShape, nodeConnection } from '../resolvers/nodes.js';
import { streamableList, streamableMappedList } from '../server/streamed-lists.js';
import { builder } from './builder.js';
import { FROM_NODE_CACHE } from './from-node-cache.js';
import { NodeRef } from './node.js';
import { NodeFilterRef, NodeOrderRef } from './node-filter.js';
import { PageInfoRef } from './page-info.js';

const NodeEdgeRef = builder.objectRef<Edge<CachedNode>>('NodeEdge').implement({
  fields: (t) => ({
    cursor: t.exposeString('cursor', {
      ...FROM_NODE_CACHE,
      description: 'Pass as `after` to continue after this node',
    }),
    node: t.field({ ...FROM_NODE_CACHE, type: NodeRef, resolve: (e) => e.node }),
  }),
});

const NodeConnectionRef = builder.objectRef<NodeConnectionShape>('NodeConnection').implement({
  description: 'A page of nodes (Relay connection)',
  fields: (t) => ({
    // Long lists are executed and written in slices on HTTP (src/server/streamed-lists.ts).
    edges: t.field({
      ...FROM_NODE_CACHE,
      type: [NodeEdgeRef],
      resolve: (c, _args, ctx, info) => streamableMappedList(ctx, info, c.nodes, c.edgeOf),
    }),
    nodes: t.field({
      ...FROM_NODE_CACHE,
      type: [NodeRef],
      description: 'The nodes of `edges`, without cursors',
      resolve: (c, _args, ctx, info) => streamableList(ctx, info, c.nodes),
    }),
    pageInfo: t.field({ ...FROM_NODE_CACHE, type: PageInfoRef, resolve: (c) => c.pageInfo }),
    totalCount: t.int({
      ...FROM_NODE_CACHE,
      description: 'Nodes matching the filter, across all pages',
      resolve: (c) => c.totalCount,
    }),
  }),
});

builder.queryField('nodes', (t) =>
  t.field({
    ...FROM_NODE_CACHE,
    type: NodeConnectionRef,
    // Nullable so that a caller who may not list one cluster's nodes gets null with FORBIDDEN
    // for this field while the rest of the response answers.
    nullable: true,
    description:
      'Nodes of one cluster, from the informer cache (no API call). While the cache is not in sync (start-up, ' +
      'watch outage) the answer comes from a direct LIST and the response carries extensions.degraded. ' +
      'Null with FORBIDDEN when the caller may not list nodes in the cluster.',
    args: {
      cluster: t.arg.string({
        description: 'A kubeconfig context the gateway serves; omitted = the default cluster',
      }),
      filter: t.arg({ type: NodeFilterRef }),
      orderBy: t.arg({ type: NodeOrderRef, description: 'Default: by name, ascending' }),
      first: t.arg.int({
        description:
          'Page size, at most the gateway maximum (--max-page-size, default 1000); omitted = every match',
      }),
      after: t.arg.string({ description: 'A cursor of the previous page (pageInfo.endCursor)' }),
    },
    resolve: (_root, args, ctx, info) => nodeConnection(ctx, args, info),
  }),
);
