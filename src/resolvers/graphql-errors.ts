import type { GraphQLError } from 'graphql';
import { createGraphQLError } from 'graphql-yoga';
import { KubeApiError } from '../clusters/kube-api-error.js';
import { DrainRequestError } from '../drain/drain-errors.js';
import { RedisUnavailableError } from '../events/redis-connection.js';

/** Every message that repeats client input shows it through quoteInput (at most ~100 characters). */
export { QUOTED_INPUT_MAX, quoteInput } from '../platform/quote-input.js';

/**
 * The one map from what went wrong to what a GraphQL client sees: the error codes, their HTTP
 * statuses, and how each lower layer's failure (Kubernetes API, drain request, Redis) is reported.
 */

/** The `extensions.code` values clients can rely on. */
export type GatewayErrorCode =
  | 'BAD_USER_INPUT'
  /** No credentials, or credentials that do not authenticate (HTTP 401, graphql-ws close 4401). */
  | 'UNAUTHENTICATED'
  | 'NOT_FOUND'
  | 'FORBIDDEN'
  | 'CONFLICT'
  | 'UPSTREAM_TIMEOUT'
  | 'UPSTREAM_UNAVAILABLE'
  /** A subscriber fell so far behind that its bounded queue overflowed; it should resubscribe. */
  | 'SUBSCRIBER_TOO_SLOW'
  /** The operation exceeds a limit (depth, aliases, tokens, cost, ...) and was not executed. */
  | 'OPERATION_TOO_COMPLEX'
  /** The request body is over --max-body-size (HTTP 413); it was not read. */
  | 'REQUEST_ENTITY_TOO_LARGE'
  /** Too many requests or subscriptions for this caller, connection or gateway; retry later. */
  | 'RATE_LIMITED'
  /** A POST whose body is not JSON (forms and text/plain are what cross-site pages can send). */
  | 'UNSUPPORTED_MEDIA_TYPE'
  /** The Host header names neither this gateway's listen address nor a --public-url. */
  | 'MISDIRECTED_REQUEST'
  /**
   * A documentId or persisted-query hash the gateway does not know (Apollo's APQ code: the
   * client retries with the query to register it, where registering is allowed).
   */
  | 'PERSISTED_QUERY_NOT_FOUND'
  | 'INTERNAL_SERVER_ERROR';

const HTTP_STATUS: Record<GatewayErrorCode, number> = {
  BAD_USER_INPUT: 400,
  UNAUTHENTICATED: 401,
  NOT_FOUND: 404,
  FORBIDDEN: 403,
  CONFLICT: 409,
  UPSTREAM_TIMEOUT: 504,
  UPSTREAM_UNAVAILABLE: 502,
  SUBSCRIBER_TOO_SLOW: 429,
  OPERATION_TOO_COMPLEX: 400,
  REQUEST_ENTITY_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  UNSUPPORTED_MEDIA_TYPE: 415,
  MISDIRECTED_REQUEST: 421,
  PERSISTED_QUERY_NOT_FOUND: 404,
  INTERNAL_SERVER_ERROR: 500,
};

/** A client-facing error: never masked, carries `extensions.code`. */
export function gatewayError(
  code: GatewayErrorCode,
  message: string,
  extensions: Readonly<Record<string, unknown>> = {},
): GraphQLError {
  // A GraphQL-over-HTTP response that has data keeps status 200; yoga only uses `http.status`
  // when the whole operation failed.
  return createGraphQLError(message, {
    extensions: { code, ...extensions, http: { status: HTTP_STATUS[code] } },
  });
}

/** Maps a Kubernetes API failure to the gateway's error codes, keeping the API's own message. */
export function kubeErrorToGraphQL(err: unknown, what: string): GraphQLError {
  if (!(err instanceof KubeApiError)) throw err;
  const extensions = { kubeStatus: err.statusCode, kubeReason: err.status?.reason };
  const message = `${what}: ${err.message}`;
  switch (err.kind) {
    case 'NOT_FOUND':
      return gatewayError('NOT_FOUND', message, extensions);
    case 'FORBIDDEN':
    case 'UNAUTHORIZED':
      return gatewayError('FORBIDDEN', message, extensions);
    case 'CONFLICT':
      return gatewayError('CONFLICT', message, extensions);
    case 'TIMEOUT':
      return gatewayError('UPSTREAM_TIMEOUT', message, extensions);
    case 'INVALID':
      return gatewayError('BAD_USER_INPUT', message, extensions);
    default:
      return gatewayError('UPSTREAM_UNAVAILABLE', message, extensions);
  }
}

/**
 * The client-facing error of a failed drain or cordon call. Redis being unreachable is
 * UPSTREAM_UNAVAILABLE: a drain must not start when the gateway cannot prove it is the only one.
 */
export function drainErrorToGraphQL(err: unknown, what: string): GraphQLError {
  if (err instanceof DrainRequestError) return gatewayError(err.code, err.message, err.extensions);
  if (err instanceof RedisUnavailableError) {
    return gatewayError('UPSTREAM_UNAVAILABLE', `${what}: ${err.message}`, { upstream: 'redis' });
  }
  if (err instanceof KubeApiError) return kubeErrorToGraphQL(err, what);
  throw err;
}

/** Runs a resolver body, reporting failures as drainErrorToGraphQL does. */
export async function reportingDrainErrors<T>(what: string, body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (err) {
    throw drainErrorToGraphQL(err, what);
  }
}
