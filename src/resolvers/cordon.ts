import type { GraphQLResolveInfo } from 'graphql';
import { impersonationOf } from '../auth/authorizer.js';
import type { CachedNode } from '../informers/node-projection.js';
import type { GatewayContext } from '../server/context.js';
import { checkedName } from './argument-checks.js';
import { audited, requireAll } from './authorize.js';
import { reportingDrainErrors } from './graphql-errors.js';
import { servedCluster } from './served-cluster.js';

interface NodeArgs {
  cluster?: string | null;
  name: string;
}

/**
 * Mutation.cordonNode: marks the node unschedulable (idempotent strategic-merge patch). An
 * authenticated caller needs `patch nodes` (checked first: a denial makes no API call), and the
 * patch impersonates them, so the cluster enforces it again.
 */
export function cordonNode(
  ctx: GatewayContext,
  args: NodeArgs,
  info?: GraphQLResolveInfo,
): Promise<CachedNode> {
  return setSchedulable(ctx, args, info, false);
}

/** Mutation.uncordonNode: CONFLICT (extensions.drainJobId) while a drain of the node is active. */
export function uncordonNode(
  ctx: GatewayContext,
  args: NodeArgs,
  info?: GraphQLResolveInfo,
): Promise<CachedNode> {
  return setSchedulable(ctx, args, info, true);
}

function setSchedulable(
  ctx: GatewayContext,
  args: NodeArgs,
  info: GraphQLResolveInfo | undefined,
  schedulable: boolean,
): Promise<CachedNode> {
  checkedName('nodeName', 'name', args.name);
  const cluster = servedCluster(ctx, args.cluster).name;
  const node = args.name;
  return audited(ctx, { info, cluster, node }, async () => {
    await requireAll(ctx, [{ cluster, node, info, needs: { verb: 'patch', resource: 'nodes', name: node } }]);
    const as = impersonationOf(ctx.caller);
    return schedulable
      ? reportingDrainErrors(`uncordoning node ${node} of cluster ${cluster}`, () =>
          ctx.services.drains.uncordon(cluster, node, as),
        )
      : reportingDrainErrors(`cordoning node ${node} of cluster ${cluster}`, () =>
          ctx.services.drains.cordon(cluster, node, as),
        );
  });
}
