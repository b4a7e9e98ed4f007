import { nodeById, relayTypeOf } from '../resolvers/relay-node.js';
import { builder } from './builder.js';

/**
 * Relay's Object Identification (the GraphQL Server Specification): an interface that must be
 * named `Node`, with `id: ID!`, and `Query.node(id:)`. Relay and Apollo clients normalize and
 * refetch (`@refetchable`) through them. Hence the Kubernetes node type is `KubeNode`: the name
 * `Node` is the spec's. A plain interface, not @pothos/plugin-relay: the plugin brings its own
 * connection and id machinery, which did not fit the connections (src/resolvers/connection.ts).
 *
 * Each type implementing it lists itself in src/resolvers/relay-ids.ts (its id) and
 * src/resolvers/relay-node.ts (its lookup) and adds `interfaces: [RelayNodeRef]` and `id`.
 */
export const RelayNodeRef = builder.interfaceRef<object>('Node').implement({
  description:
    'An object with a global id (Relay Object Identification): refetch it with Query.node(id). Ids are ' +
    'opaque, unique across types and clusters, and stable while the object exists. (The Kubernetes ' +
    'node type is KubeNode: Relay requires this interface to be named Node.)',
  resolveType: (value) => {
    const type = relayTypeOf(value);
    if (!type) throw new Error('Node.resolveType: an object not returned by Query.node');
    return type;
  },
  fields: (t) => ({
    id: t.id({
      description: 'Global id: pass it to Query.node',
      // Every implementing type defines its own id; this resolver is never the one called.
      resolve: () => {
        throw new Error('Node.id resolved on the interface');
      },
    }),
  }),
});

builder.queryField('node', (t) =>
  t.field({
    type: RelayNodeRef,
    nullable: true,
    description:
      'Any object by its global id (Relay): null when it no longer exists; BAD_USER_INPUT for an id the ' +
      'gateway never issued. Authorized as the by-name lookup of its type (a KubeNode: get nodes; a Pod: a ' +
      'GET made as the caller; a drain job or bulk drain: get nodes in its cluster).',
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, args, ctx, info) => nodeById(ctx, String(args.id), info),
  }),
);
