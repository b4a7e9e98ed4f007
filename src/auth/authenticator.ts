import type { Caller } from './caller.js';

/**
 * Turns a bearer token into the person it stands for. Resolves with the Caller, or rejects
 * with an AuthenticationError (UNAUTHENTICATED: the token does not authenticate;
 * UPSTREAM_UNAVAILABLE: the authority could not be asked). Any other rejection is a bug.
 */
export interface Authenticator {
  authenticate(token: string): Promise<Caller>;
}
