import type { ClusterConnection } from '../clusters/cluster-registry.js';
import type { GatewayContext } from '../server/context.js';
import { gatewayError, QUOTED_INPUT_MAX, quoteInput } from './graphql-errors.js';

/** The cluster a `cluster` argument names (omitted = the default), or NOT_FOUND naming the served ones. */
export function servedCluster(ctx: GatewayContext, cluster: string | null | undefined): ClusterConnection {
  const { clusters } = ctx.services;
  const name = cluster ?? clusters.defaultCluster;
  const connection = name === undefined ? undefined : clusters.get(name);
  if (connection) return connection;
  throw unknownCluster(ctx, name);
}

/** NOT_FOUND for a cluster the gateway does not serve, listing the ones it does. */
export function unknownCluster(ctx: GatewayContext, name: string | undefined) {
  const known = ctx.services.clusters.list().map((c) => c.name);
  return gatewayError(
    'NOT_FOUND',
    name === undefined
      ? 'the gateway serves no cluster: check --context / --all-contexts and the kubeconfig'
      : `unknown cluster ${quoteInput(name)}: pass one of the kubeconfig contexts the gateway serves (${known.join(', ') || 'none'})`,
    // The name is echoed in full only when it is short; a 100 KB one is not sent back.
    {
      cluster:
        name === undefined || name.length <= QUOTED_INPUT_MAX
          ? name
          : `${name.slice(0, QUOTED_INPUT_MAX)}...`,
    },
  );
}
