import type { GraphQLError } from 'graphql';
import { impersonationOf } from '../auth/authorizer.js';
import { KubeApiError } from '../clusters/kube-api-error.js';
import type { CachedNode } from '../informers/node-projection.js';
import { createClusterLoader } from '../pods/cluster-loader.js';
import {
  allocatedView,
  type NodeAllocatedView,
  type NodeUsageView,
  usageView,
} from '../pods/node-resource-views.js';
import type { NodeUsage, NodeUsageByName } from '../pods/node-usage.js';
import type { NodeAllocation } from '../pods/pod-allocation-lister.js';
import type { GatewayContext } from '../server/context.js';
import { gatewayError, kubeErrorToGraphQL } from './graphql-errors.js';
import { countError, requestPodAllocations } from './pods.js';

/**
 * This operation's node metrics for one cluster: ONE impersonated LIST of
 * nodes.metrics.k8s.io, however many nodes (and sorts, filters) ask. The caller's own RBAC
 * decides (`kubectl top nodes` needs the same `list nodes.metrics.k8s.io`); never cached.
 */
export function requestNodeUsage(ctx: GatewayContext, cluster: string): Promise<NodeUsageByName> {
  return ctx.scope.memo(`metrics:nodes:${cluster}`, () =>
    ctx.services.pods.nodeUsage(cluster, impersonationOf(ctx.caller)).catch((err: unknown) => {
      throw usageError(err, cluster);
    }),
  );
}

/** UPSTREAM_UNAVAILABLE naming the missing metrics API (404), else the usual mapping. */
export function usageError(err: unknown, cluster: string): GraphQLError | Error {
  if (err instanceof KubeApiError && err.kind === 'NOT_FOUND') {
    return gatewayError(
      'UPSTREAM_UNAVAILABLE',
      `cluster ${cluster} serves no metrics API (metrics.k8s.io/v1beta1 nodes: 404); install metrics-server to see node usage`,
      { upstream: 'metrics.k8s.io', kubeStatus: 404 },
    );
  }
  if (err instanceof KubeApiError)
    return kubeErrorToGraphQL(err, `reading node metrics of cluster ${cluster}`);
  return err instanceof Error ? err : new Error(String(err));
}

interface AllocationOfNode {
  readonly allocation: NodeAllocation | undefined;
  readonly pods: number;
}

/** `KubeNode.allocated`: the node's pods' requests and limits, from the request's one pod LIST chain. */
export async function loadAllocated(ctx: GatewayContext, node: CachedNode): Promise<NodeAllocatedView> {
  const loader = ctx.scope.memo('pods:allocated-loader', () =>
    createClusterLoader(
      (cluster) => requestPodAllocations(ctx, cluster),
      (data, name): AllocationOfNode => ({
        allocation: data.allocations.get(name),
        pods: data.counts.get(name) ?? 0,
      }),
      countError,
    ),
  );
  const { allocation, pods } = await loader.load({ cluster: node.cluster, name: node.name });
  return allocatedView(allocation, pods, node.allocatable);
}

/** `KubeNode.usage`: the node's latest metrics sample; null when the metrics API has none of it. */
export async function loadUsage(ctx: GatewayContext, node: CachedNode): Promise<NodeUsageView | null> {
  const loader = ctx.scope.memo('metrics:usage-loader', () =>
    createClusterLoader(
      (cluster) => requestNodeUsage(ctx, cluster),
      (data, name): NodeUsage | null => data.nodes.get(name) ?? null,
      (err) => (err instanceof Error ? err : new Error(String(err))),
    ),
  );
  const usage = await loader.load({ cluster: node.cluster, name: node.name });
  return usage ? usageView(usage, node.allocatable) : null;
}
