import type { GraphQLError } from 'graphql';
import type { ClusterConnection } from '../clusters/cluster-registry.js';
import { KubeApiError } from '../clusters/kube-api-error.js';
import { DrainRequestError } from '../drain/drain-errors.js';
import { RedisUnavailableError } from '../events/redis-connection.js';
import { gatewayError, kubeErrorToGraphQL } from '../schema/errors.js';
import type { GatewayContext } from '../server/context.js';

/** The cluster a `cluster` argument names (omitted = the default), or NOT_FOUND naming the served ones. */
export function servedCluster(ctx: GatewayContext, cluster: string | null | undefined): ClusterConnection {
  const { clusters } = ctx.services;
  const name = cluster ?? clusters.defaultCluster;
  const connection = name === undefined ? undefined : clusters.get(name);
  if (connection) return connection;
  const known = clusters.list().map((c) => c.name);
  throw gatewayError(
    'NOT_FOUND',
    name === undefined
      ? 'the gateway serves no cluster: check --context / --all-contexts and the kubeconfig'
      : `unknown cluster "${name}": pass one of the kubeconfig contexts the gateway serves (${known.join(', ') || 'none'})`,
    { cluster: name },
  );
}

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
