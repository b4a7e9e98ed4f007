import { KubeApiError } from '../clusters/kube-api-error.js';
import type { KubePodPhase } from '../pods/kube-pod.js';
import type { PodCountsByNode } from '../pods/pod-count-lister.js';
import { createPodCountLoader, type NodeKey } from '../pods/pod-count-loader.js';
import { decodePodCursor, type PodView, podCursor, projectPod } from '../pods/pod-projection.js';
import { gatewayError, kubeErrorToGraphQL } from '../schema/errors.js';
import type { PodConnectionShape } from '../schema/pod.js';
import type { GatewayContext } from '../server/context.js';

/**
 * This operation's counts for one cluster: whatever asks for them in one request (the loader,
 * in however many batches) shares one promise, so a request causes at most one LIST chain per
 * cluster; across requests the service's single flight shares chains that overlap.
 */
function requestPodCounts(ctx: GatewayContext, cluster: string): Promise<PodCountsByNode> {
  return ctx.scope.memo(`pods:counts:${cluster}`, () => ctx.services.pods.podCounts(cluster));
}

function countError(err: unknown, cluster: string): Error {
  if (err instanceof KubeApiError) return kubeErrorToGraphQL(err, `counting pods in cluster ${cluster}`);
  return err instanceof Error ? err : new Error(String(err));
}

/** `Node.podCount`: non-terminal pods on the node; errors name the cluster's LIST failure. */
export function loadPodCount(ctx: GatewayContext, node: NodeKey): Promise<number> {
  const loader = ctx.scope.memo('pods:count-loader', () =>
    createPodCountLoader((cluster) => requestPodCounts(ctx, cluster), countError),
  );
  return loader.load({ cluster: node.cluster, name: node.name });
}

export interface NodePodsArgs {
  namespace?: string | null;
  phase?: KubePodPhase | null;
  first?: number | null;
  after?: string | null;
}

/** `Node.pods`: a direct LIST of the node's pods (never cached), as a cursor connection. */
export async function nodePodConnection(
  ctx: GatewayContext,
  node: NodeKey,
  args: NodePodsArgs,
): Promise<PodConnectionShape> {
  const first = pageSize(args.first, ctx.services.config.maxPageSize);
  const after = args.after ? decodeAfter(args.after) : undefined;
  const pods = await ctx.services.pods
    .podsOnNode(node.cluster, {
      node: node.name,
      namespace: args.namespace ?? undefined,
      phase: args.phase ?? undefined,
    })
    .catch((err: unknown) => {
      throw kubeErrorToGraphQL(err, `listing pods on node ${node.name} in cluster ${node.cluster}`);
    });
  const views = pods.map((p) => projectPod(node.cluster, p));
  return connectionOf(views, after, first);
}

function pageSize(first: number | null | undefined, max: number): number {
  if (first === null || first === undefined) return max;
  if (!Number.isInteger(first) || first < 0 || first > max) {
    throw gatewayError('BAD_USER_INPUT', `first must be between 0 and ${max}`, { argument: 'first' });
  }
  return first;
}

function decodeAfter(cursor: string): { namespace: string; name: string } {
  const decoded = decodePodCursor(cursor);
  if (!decoded)
    throw gatewayError('BAD_USER_INPUT', 'after is not a cursor this field returned', { argument: 'after' });
  return decoded;
}

/** Pods come sorted by namespace/name; `after` need not exist any more (the pod may be gone). */
function connectionOf(
  pods: PodView[],
  after: { namespace: string; name: string } | undefined,
  first: number,
): PodConnectionShape {
  const start = after ? pods.findIndex((p) => isAfter(p, after)) : 0;
  const from = start < 0 ? pods.length : start;
  const page = pods.slice(from, from + first);
  const edges = page.map((node) => ({ cursor: podCursor(node), node }));
  return {
    edges,
    totalCount: pods.length,
    pageInfo: {
      hasNextPage: from + page.length < pods.length,
      hasPreviousPage: from > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}

function isAfter(pod: PodView, cursor: { namespace: string; name: string }): boolean {
  return pod.namespace > cursor.namespace || (pod.namespace === cursor.namespace && pod.name > cursor.name);
}
