import type { NodeEventView } from '../pods/node-events.js';
import type { Connection, Edge } from '../resolvers/connection.js';
import { nodeEventConnection } from '../resolvers/node-events.js';
import { builder } from './builder.js';
import { NodeRef } from './node.js';
import { PageInfoRef } from './page-info.js';

const NodeEventRef = builder.objectRef<NodeEventView>('NodeEvent').implement({
  description:
    'A core/v1 Event about a node (kubelet, node controller, ...), as `kubectl get events` lists it',
  fields: (t) => ({
    namespace: t.exposeString('namespace'),
    name: t.exposeString('name'),
    type: t.exposeString('type', { description: 'Normal or Warning' }),
    reason: t.exposeString('reason', { description: 'e.g. NodeNotSchedulable, NodeNotReady' }),
    message: t.exposeString('message'),
    source: t.exposeString('source', { description: 'The reporting component, e.g. kubelet' }),
    count: t.exposeInt('count', { description: 'How often it happened' }),
    firstSeen: t.expose('firstSeen', { type: 'DateTime', nullable: true }),
    lastSeen: t.expose('lastSeen', { type: 'DateTime', nullable: true }),
  }),
});

const NodeEventEdgeRef = builder.objectRef<Edge<NodeEventView>>('NodeEventEdge').implement({
  fields: (t) => ({
    cursor: t.exposeString('cursor'),
    node: t.field({ type: NodeEventRef, resolve: (e) => e.node }),
  }),
});

const NodeEventConnectionRef = builder.objectRef<Connection<NodeEventView>>('NodeEventConnection').implement({
  description: "A page of a node's events, newest first",
  fields: (t) => ({
    edges: t.field({ type: [NodeEventEdgeRef], resolve: (c) => c.edges }),
    nodes: t.field({ type: [NodeEventRef], resolve: (c) => c.edges.map((e) => e.node) }),
    pageInfo: t.field({ type: PageInfoRef, resolve: (c) => c.pageInfo }),
    totalCount: t.exposeInt('totalCount', { description: 'Events matching `since`, across all pages' }),
  }),
});

builder.objectFields(NodeRef, (t) => ({
  events: t.field({
    type: NodeEventConnectionRef,
    nullable: true,
    description:
      "The node's recent Events, newest first, straight from the API (a LIST with fieldSelector " +
      'involvedObject.kind=Node,involvedObject.name=<node>, made as the caller; never cached). Null with an ' +
      'error when that LIST fails or the caller may not list events.',
    args: {
      first: t.arg.int({ description: 'Page size; default 20, at most the gateway max page size' }),
      after: t.arg.string({ description: 'endCursor of the previous page' }),
      // A String checked by the resolver (RFC 3339, not in the future): BAD_USER_INPUT naming `since`.
      since: t.arg.string({ description: 'Only events last seen at or after this RFC 3339 time' }),
    },
    resolve: (node, args, ctx) => nodeEventConnection(ctx, node, args),
  }),
}));
