import { KubeDrainClient } from '../drain/kube-drain-client.js';
import type { CachedNode } from '../informers/node-projection.js';
import { projectNode } from '../informers/node-projection.js';
import { gatewayError } from '../schema/errors.js';
import type { GatewayContext } from '../server/context.js';
import { reportingDrainErrors } from './drain-common.js';
import { servedCluster } from './served-cluster.js';

type RawNode = Parameters<typeof projectNode>[0];

/** Mutation.cordonNode: marks the node unschedulable (idempotent strategic-merge patch). */
export function cordonNode(
  ctx: GatewayContext,
  args: { cluster?: string | null; name: string },
): Promise<CachedNode> {
  return setUnschedulable(ctx, args, true);
}

/**
 * Mutation.uncordonNode. Refused with CONFLICT while a drain of the node runs: pods would be
 * scheduled back onto the node the drain is emptying. Cancel the drain first.
 */
export function uncordonNode(
  ctx: GatewayContext,
  args: { cluster?: string | null; name: string },
): Promise<CachedNode> {
  return setUnschedulable(ctx, args, false);
}

async function setUnschedulable(
  ctx: GatewayContext,
  args: { cluster?: string | null; name: string },
  unschedulable: boolean,
): Promise<CachedNode> {
  const cluster = servedCluster(ctx, args.cluster);
  const verb = unschedulable ? 'cordoning' : 'uncordoning';
  return reportingDrainErrors(`${verb} node ${args.name} of cluster ${cluster.name}`, async () => {
    if (!unschedulable) {
      const active = await ctx.services.drains.activeJobFor(cluster.name, args.name);
      if (active) {
        throw gatewayError(
          'CONFLICT',
          `node ${args.name} is being drained (job ${active.id}); cancel the drain before uncordoning`,
          { drainJobId: active.id },
        );
      }
    }
    const client = new KubeDrainClient(cluster.client, ctx.services.config.apiTimeoutMs);
    const patched = (await client.setUnschedulable(args.name, unschedulable)) as RawNode;
    ctx.services.logger.child({ component: 'cordon' }).info({ cluster: cluster.name, node: args.name }, verb);
    return projectNode(patched, cluster.name);
  });
}
