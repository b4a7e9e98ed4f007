import type { RequestScope } from '../platform/request-scope.js';
import type { GatewayServices } from './services.js';

/** The GraphQL context of one operation (HTTP request, SSE stream or graphql-ws subscribe). */
/** Which transport carried the operation (subscriptions are counted per transport). */
export type Transport = 'http' | 'sse' | 'ws';

export interface GatewayContext {
  readonly transport?: Transport;
  readonly services: GatewayServices;
  readonly scope: RequestScope;
  /**
   * Extensions merged into this operation's response, e.g. `{ degraded: [...] }` when an answer
   * came from a direct LIST instead of the informer cache.
   */
  readonly responseExtensions: Record<string, unknown>;
}
