import type { Caller } from '../auth/caller.js';
import type { RequestScope } from '../platform/request-scope.js';
import type { GatewayServices } from './services.js';

/** Which transport carried the operation (subscriptions are counted per transport). */
export type Transport = 'http' | 'sse' | 'ws';

/** The GraphQL context of one operation (HTTP request, SSE stream or graphql-ws subscribe). */
export interface GatewayContext {
  readonly transport?: Transport;
  readonly services: GatewayServices;
  /** Who the operation acts as (ANONYMOUS_CALLER under --auth none). */
  readonly caller: Caller;
  readonly scope: RequestScope;
  /**
   * Extensions merged into this operation's response, e.g. `{ degraded: [...] }` when an answer
   * came from a direct LIST instead of the informer cache.
   */
  readonly responseExtensions: Record<string, unknown>;
}
