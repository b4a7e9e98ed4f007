import type { GraphQLError } from 'graphql';
import { KubeApiError } from '../clusters/kube-api-error.js';
import { DrainRequestError } from '../drain/drain-errors.js';
import { RedisUnavailableError } from '../events/redis-connection.js';
import { gatewayError, kubeErrorToGraphQL } from '../schema/errors.js';

/**
 * The client-facing error of a failed drain or cordon call. Redis being unreachable is
 * UPSTREAM_UNAVAILABLE: a drain must not start when the gateway cannot prove it is the only one.
 */
export function drainErrorToGraphQL(err: unknown, what: string): GraphQLError {
  if (err instanceof DrainRequestError) return gatewayError(err.code, err.message);
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
