/**
 * Marks a field whose answer is a pure function of the node caches (no API call, no caller
 * state). The node response cache (src/server/use-node-response-cache.ts) reuses an answer
 * only when every field the operation selects carries this mark, so a field added without it
 * (an API-backed one such as `Node.podCount`) makes the operation execute every time.
 *
 * Spread into a field's options: `t.exposeString('name', FROM_NODE_CACHE)` or
 * `t.field({ ...FROM_NODE_CACHE, type, resolve })`.
 */
export const FROM_NODE_CACHE = { extensions: { fromNodeCache: true } } as const;

/** Whether a field's extensions (GraphQLField.extensions) carry the FROM_NODE_CACHE mark. */
export function isFromNodeCache(extensions: Readonly<Record<string, unknown>> | null | undefined): boolean {
  return extensions?.fromNodeCache === true;
}
