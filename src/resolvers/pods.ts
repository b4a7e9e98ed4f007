import { GraphQLError, type GraphQLResolveInfo } from 'graphql';
import { impersonationOf } from '../auth/authorizer.js';
import { KubeApiError } from '../clusters/kube-api-error.js';
import type { KubePodPhase } from '../pods/kube-pod.js';
import type { PodAllocationsByNode } from '../pods/pod-allocation-lister.js';
import type { PodCountsByNode } from '../pods/pod-count-lister.js';
import { createPodCountLoader, type NodeKey } from '../pods/pod-count-loader.js';
import { decodePodCursor, type PodView, podCursor, projectPod } from '../pods/pod-projection.js';
import type { GatewayContext } from '../server/context.js';
import { checkedOptionalName } from './argument-checks.js';
import { forbidden, mayAccess } from './authorize.js';
import { type Connection, decodeAfter, pageSize, sliceConnection } from './connection.js';
import { kubeErrorToGraphQL } from './graphql-errors.js';
import { operationNeedsAllocations } from './pod-data-needs.js';

/**
 * This operation's counts for one cluster: whatever asks for them in one request (the loader,
 * in however many batches) shares one promise, so a request causes at most one LIST chain per
 * cluster; across requests the service's single flight shares chains that overlap.
 */
export function requestPodCounts(
  ctx: GatewayContext,
  cluster: string,
  info: GraphQLResolveInfo | undefined,
): Promise<PodCountsByNode> {
  // An operation that also needs requests counts from the full-pod chain: still one chain.
  if (info && operationNeedsAllocations(ctx, info)) return requestPodAllocations(ctx, cluster, info);
  return ctx.scope.memo(`pods:counts:${cluster}`, () => countsIfAllowed(ctx, cluster, info));
}

/** This operation's pod counts and allocated sums for one cluster: one full-pod LIST chain. */
export function requestPodAllocations(
  ctx: GatewayContext,
  cluster: string,
  info?: GraphQLResolveInfo,
): Promise<PodAllocationsByNode> {
  return ctx.scope.memo(`pods:allocations:${cluster}`, async () => {
    await requirePodList(ctx, cluster, info);
    return ctx.services.pods.podAllocations(cluster);
  });
}

/** `info` (the first field of the request to ask) names the field in a denial's audit record. */
async function requirePodList(
  ctx: GatewayContext,
  cluster: string,
  info: GraphQLResolveInfo | undefined,
): Promise<void> {
  const check = { cluster, info, needs: { verb: 'list', resource: 'pods' } };
  const allowed = mayAccess(ctx, check);
  if (allowed && !(await allowed)) throw forbidden(check);
}

/**
 * The counts come from one LIST shared by every caller (the gateway's own account), so an
 * authenticated caller must be allowed to `list pods` in all namespaces of the cluster first.
 */
async function countsIfAllowed(
  ctx: GatewayContext,
  cluster: string,
  info: GraphQLResolveInfo | undefined,
): Promise<PodCountsByNode> {
  await requirePodList(ctx, cluster, info);
  return ctx.services.pods.podCounts(cluster);
}

export function countError(err: unknown, cluster: string): Error {
  if (err instanceof GraphQLError) return err;
  if (err instanceof KubeApiError) return kubeErrorToGraphQL(err, `counting pods in cluster ${cluster}`);
  return err instanceof Error ? err : new Error(String(err));
}

/** `Node.podCount`: non-terminal pods on the node; errors name the cluster's LIST failure. */
export function loadPodCount(ctx: GatewayContext, node: NodeKey, info?: GraphQLResolveInfo): Promise<number> {
  const loader = ctx.scope.memo('pods:count-loader', () =>
    createPodCountLoader((cluster) => requestPodCounts(ctx, cluster, info), countError),
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
): Promise<Connection<PodView>> {
  checkedOptionalName('namespace', 'namespace', args.namespace);
  const first = pageSize(args.first, ctx.services.config.maxPageSize, ctx.services.config.maxPageSize);
  // An empty `after` has always meant the first page here.
  const after = decodeAfter(args.after || undefined, decodePodCursor);
  const pods = await ctx.services.pods
    .podsOnNode(
      node.cluster,
      { node: node.name, namespace: args.namespace ?? undefined, phase: args.phase ?? undefined },
      // A direct LIST made for this caller: the cluster's RBAC decides, per namespace if need be.
      impersonationOf(ctx.caller),
    )
    .catch((err: unknown) => {
      throw kubeErrorToGraphQL(err, `listing pods on node ${node.name} in cluster ${node.cluster}`);
    });
  const views = pods.map((p) => projectPod(node.cluster, p));
  return connectionOf(views, after, first);
}

/** Pods come sorted by namespace/name; `after` need not exist any more (the pod may be gone). */
function connectionOf(
  pods: PodView[],
  after: { namespace: string; name: string } | undefined,
  first: number,
): Connection<PodView> {
  const start = after ? pods.findIndex((p) => isAfter(p, after)) : 0;
  return sliceConnection(pods, start < 0 ? pods.length : start, first, podCursor);
}

function isAfter(pod: PodView, cursor: { namespace: string; name: string }): boolean {
  return pod.namespace > cursor.namespace || (pod.namespace === cursor.namespace && pod.name > cursor.name);
}
