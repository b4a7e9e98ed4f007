/**
 * Why a caller could not be established. `UNAUTHENTICATED`: no credentials, or ones that do
 * not authenticate (HTTP 401, graphql-ws close 4401). `UPSTREAM_UNAVAILABLE`: the authority that
 * would decide (TokenReview API, OIDC issuer) did not answer; the token may be fine (HTTP 503).
 * Messages never contain the token.
 */
export class AuthenticationError extends Error {
  override readonly name = 'AuthenticationError';
  constructor(
    readonly code: 'UNAUTHENTICATED' | 'UPSTREAM_UNAVAILABLE',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * The caller is known but may not use the gateway at all (HTTP 403, graphql-ws close 4403).
 * Thrown by an admission hook (authorization) after authentication succeeded.
 */
export class AccessDeniedError extends Error {
  override readonly name = 'AccessDeniedError';
}
