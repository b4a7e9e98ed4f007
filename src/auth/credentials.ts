/**
 * The bearer token a request or a graphql-ws connection carries. Extraction is strict and
 * local: anything but exactly one well-formed `Bearer <token>` is refused here, before any
 * authenticator (and so any network call) sees it.
 */
export type Credentials =
  | { readonly kind: 'none' }
  | { readonly kind: 'bearer'; readonly token: string }
  /** Something was sent but it is not one usable bearer token; `reason` never quotes it. */
  | { readonly kind: 'malformed'; readonly reason: string };

/**
 * Longest token accepted. Kubernetes service-account tokens and OIDC ID tokens are 1-2 KB; a
 * larger one is junk or an attempt to make the gateway hash and forward megabytes.
 */
export const MAX_TOKEN_BYTES = 8 * 1024;

/**
 * RFC 6750 b64token (token68). It has no comma or space, so two Authorization headers joined by
 * a proxy or fetch ("Bearer a, Bearer b") never read as one token.
 */
const TOKEN68 = /^[A-Za-z0-9\-._~+/]+=*$/;

/** Reads an Authorization header value (a list when the header came more than once). */
export function credentialsFromAuthorization(
  value: string | readonly string[] | null | undefined,
): Credentials {
  if (value === null || value === undefined) return { kind: 'none' };
  if (typeof value !== 'string') {
    if (value.length === 0) return { kind: 'none' };
    if (value.length > 1) return { kind: 'malformed', reason: 'more than one Authorization header' };
    return credentialsFromAuthorization(value[0]);
  }
  if (value.length > MAX_TOKEN_BYTES + 'Bearer '.length)
    return { kind: 'malformed', reason: `the credential is longer than ${MAX_TOKEN_BYTES} bytes` };
  const match = /^\s*(\S+)(?:\s+(.*?))?\s*$/.exec(value);
  if (!match) return { kind: 'none' };
  const [, scheme, token] = match;
  if (scheme?.toLowerCase() !== 'bearer')
    return { kind: 'malformed', reason: 'only Bearer credentials are accepted' };
  if (!token) return { kind: 'malformed', reason: 'Bearer without a token' };
  if (!TOKEN68.test(token)) return { kind: 'malformed', reason: 'the bearer token is not one token' };
  return { kind: 'bearer', token };
}

/**
 * Reads graphql-ws `connection_init` payload: `{ "authorization": "Bearer <token>" }` (the key
 * `Authorization` too, as browsers' clients spell it). Both keys with different values are refused.
 */
export function credentialsFromConnectionParams(
  params: Readonly<Record<string, unknown>> | undefined,
): Credentials {
  if (!params) return { kind: 'none' };
  const values = [params.authorization, params.Authorization].filter((v) => v !== undefined);
  if (values.some((v) => typeof v !== 'string'))
    return { kind: 'malformed', reason: 'authorization must be a string' };
  const distinct = [...new Set(values as string[])];
  return credentialsFromAuthorization(distinct);
}
