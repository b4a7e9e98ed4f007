import type { CachedNode } from '../informers/node-projection.js';
import type { GatewayContext } from '../server/context.js';
import { checkedName } from './argument-checks.js';
import { reportingDrainErrors } from './graphql-errors.js';
import { servedCluster } from './served-cluster.js';

interface NodeArgs {
  cluster?: string | null;
  name: string;
}

/** Mutation.cordonNode: marks the node unschedulable (idempotent strategic-merge patch). */
export function cordonNode(ctx: GatewayContext, args: NodeArgs): Promise<CachedNode> {
  checkedName('nodeName', 'name', args.name);
  const cluster = servedCluster(ctx, args.cluster).name;
  return reportingDrainErrors(`cordoning node ${args.name} of cluster ${cluster}`, () =>
    ctx.services.drains.cordon(cluster, args.name),
  );
}

/** Mutation.uncordonNode: CONFLICT (extensions.drainJobId) while a drain of the node is active. */
export function uncordonNode(ctx: GatewayContext, args: NodeArgs): Promise<CachedNode> {
  checkedName('nodeName', 'name', args.name);
  const cluster = servedCluster(ctx, args.cluster).name;
  return reportingDrainErrors(`uncordoning node ${args.name} of cluster ${cluster}`, () =>
    ctx.services.drains.uncordon(cluster, args.name),
  );
}
