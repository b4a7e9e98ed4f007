import type { GraphQLResolveInfo } from 'graphql';
import { impersonationOf } from '../auth/authorizer.js';
import { type CordonRecord, cordonTime } from '../drain/cordon-annotations.js';
import type { CachedNode } from '../informers/node-projection.js';
import type { GatewayContext } from '../server/context.js';
import { checkedName } from './argument-checks.js';
import { audited, requireAll } from './authorize.js';
import { reportingDrainErrors } from './graphql-errors.js';
import { checkedCordonReason } from './node-edit-checks.js';
import { servedCluster } from './served-cluster.js';

interface NodeArgs {
  cluster?: string | null;
  name: string;
}

/**
 * Mutation.cordonNode: marks the node unschedulable (idempotent strategic-merge patch) and
 * records the reason, the caller's username and the time on the node in the same patch. An
 * authenticated caller needs `patch nodes` (checked first: a denial makes no API call), and the
 * patch impersonates them, so the cluster enforces it again.
 */
export function cordonNode(
  ctx: GatewayContext,
  args: NodeArgs & { reason?: string | null },
  info?: GraphQLResolveInfo,
): Promise<CachedNode> {
  const reason = checkedCordonReason(args.reason);
  const by = ctx.caller.anonymous ? null : ctx.caller.username;
  return setSchedulable(ctx, args, info, false, { reason, by, at: cordonTime() });
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
  record?: CordonRecord,
): Promise<CachedNode> {
  checkedName('nodeName', 'name', args.name);
  const cluster = servedCluster(ctx, args.cluster).name;
  const node = args.name;
  const options = record?.reason ? { reason: record.reason } : undefined;
  return audited(ctx, { info, cluster, node, options }, async () => {
    await requireAll(ctx, [{ cluster, node, info, needs: { verb: 'patch', resource: 'nodes', name: node } }]);
    const as = impersonationOf(ctx.caller);
    return schedulable
      ? reportingDrainErrors(`uncordoning node ${node} of cluster ${cluster}`, () =>
          ctx.services.drains.uncordon(cluster, node, as),
        )
      : reportingDrainErrors(`cordoning node ${node} of cluster ${cluster}`, () =>
          ctx.services.drains.cordon(cluster, node, as, record),
        );
  });
}
