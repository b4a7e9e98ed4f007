import { AccessDeniedError, AuthenticationError } from '../auth/authentication-error.js';
import type { Authenticator } from '../auth/authenticator.js';
import type { Caller } from '../auth/caller.js';
import type { Logger } from '../platform/logger.js';

/** What the HTTP plugin and the graphql-ws hooks share: who authenticates, and who may come in. */
export interface AuthenticationHooks {
  readonly authenticator: Authenticator;
  /**
   * Runs once per request or connection with the authenticated caller, before anything
   * executes; throw AccessDeniedError to refuse (HTTP 403, graphql-ws close 4403).
   */
  readonly admit?: (caller: Caller) => void | Promise<void>;
  readonly logger: Logger;
}

export type Refusal =
  | { readonly kind: 'unauthenticated'; readonly message: string }
  | { readonly kind: 'unavailable'; readonly message: string }
  | { readonly kind: 'forbidden'; readonly message: string };

/** Sorts a failed authentication or admission; rethrows anything that is neither (a bug). */
export function refusalOf(err: unknown, logger: Logger): Refusal {
  if (err instanceof AccessDeniedError) return { kind: 'forbidden', message: err.message };
  if (!(err instanceof AuthenticationError)) throw err;
  if (err.code === 'UPSTREAM_UNAVAILABLE') {
    logger.warn({ reason: err.message }, 'authentication unavailable');
    return { kind: 'unavailable', message: 'authentication is unavailable; retry later' };
  }
  // The reason is logged (it never holds the token), the client learns only that it was refused.
  logger.debug({ reason: err.message }, 'authentication refused');
  return { kind: 'unauthenticated', message: `not authenticated: ${err.message}` };
}
