import { AuthenticationError } from './authentication-error.js';
import type { Authenticator } from './authenticator.js';
import type { Caller } from './caller.js';
import type { Credentials } from './credentials.js';

/**
 * The caller of some credentials: missing or malformed ones are refused without asking the
 * authenticator, and so is an identity whose credential has already expired.
 */
export async function authenticateCredentials(
  credentials: Credentials,
  authenticator: Authenticator,
  now: () => number = Date.now,
): Promise<Caller> {
  if (credentials.kind === 'none')
    throw new AuthenticationError('UNAUTHENTICATED', 'a bearer token is required');
  if (credentials.kind === 'malformed') throw new AuthenticationError('UNAUTHENTICATED', credentials.reason);
  const caller = await authenticator.authenticate(credentials.token);
  if (caller.expiresAt !== undefined && caller.expiresAt <= now())
    throw new AuthenticationError('UNAUTHENTICATED', 'the token has expired');
  return caller;
}
