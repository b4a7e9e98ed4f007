import type { PageInfo } from '../resolvers/connection.js';
import { builder } from './builder.js';
import { FROM_NODE_CACHE } from './from-node-cache.js';

/** Relay page info; every connection uses it (built by src/resolvers/connection.ts). */
export const PageInfoRef = builder.objectRef<PageInfo>('PageInfo').implement({
  fields: (t) => ({
    hasNextPage: t.exposeBoolean('hasNextPage', FROM_NODE_CACHE),
    hasPreviousPage: t.exposeBoolean('hasPreviousPage', FROM_NODE_CACHE),
    startCursor: t.exposeString('startCursor', { ...FROM_NODE_CACHE, nullable: true }),
    endCursor: t.exposeString('endCursor', { ...FROM_NODE_CACHE, nullable: true }),
  }),
});
