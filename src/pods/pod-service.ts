import type { ClusterRegistry } from '../clusters/cluster-registry.js';
import { impersonating } from '../clusters/impersonating-client.js';
import type { Impersonation } from '../clusters/impersonation.js';
import { KubeApiError } from '../clusters/kube-api-error.js';
import type { KubeClient } from '../clusters/kube-client.js';
import type { Logger } from '../platform/logger.js';
import type { KubePod } from './kube-pod.js';
import { DEFAULT_POD_PAGE_SIZE } from './kube-pod.js';
import { listNodeEvents, type NodeEventView } from './node-events.js';
import { listNodeUsage, type NodeUsageByName } from './node-usage.js';
import { listPodAllocationsByNode, type PodAllocationsByNode } from './pod-allocation-lister.js';
import { listPodCountsByNode, type PodCountListOptions, type PodCountsByNode } from './pod-count-lister.js';
import type { PodMetrics } from './pod-metrics.js';
import { listPodsOnNode, type PodsOnNodeQuery } from './pods-on-node.js';
import { SingleFlight } from './single-flight.js';

/** Pods straight from the API, never cached: per-node counts and the pods on one node. */
export interface PodService {
  /**
   * Non-terminal pods per node of a cluster, from one cluster-wide LIST chain shared by every
   * caller that asks while it runs (and, with `podCountMaxAgeMs`, for that long after).
   * Rejects with KubeApiError when the LIST fails or times out.
   */
  podCounts(cluster: string): Promise<PodCountsByNode>;
  /**
   * The same counts plus each node's summed requests and limits, from one LIST chain of full pods
   * (dearer than the Table rows podCounts reads), shared the same way.
   */
  podAllocations(cluster: string): Promise<PodAllocationsByNode>;
  /**
   * The pods on one node (direct LIST, spec.nodeName field selector), trimmed, sorted; acting
   * as `as` when given, so the cluster's RBAC decides what that person may see.
   */
  podsOnNode(cluster: string, query: PodsOnNodeQuery, as?: Impersonation): Promise<KubePod[]>;
  /** Every node's usage from metrics.k8s.io (one LIST, acting as `as`); never cached. */
  nodeUsage(cluster: string, as?: Impersonation): Promise<NodeUsageByName>;
  /** The Events about one node (a LIST with a field selector, acting as `as`), newest first; never cached. */
  nodeEvents(cluster: string, node: string, as?: Impersonation): Promise<NodeEventView[]>;
}

export interface KubePodServiceOptions {
  clusters: Pick<ClusterRegistry, 'get' | 'subscribe'>;
  apiTimeoutMs: number;
  podCountMaxAgeMs: number;
  /** @default 500 */
  pageSize?: number;
  logger: Logger;
  metrics: PodMetrics;
}

export class KubePodService implements PodService {
  private readonly counts: SingleFlight<PodCountsByNode>;
  private readonly allocations: SingleFlight<PodAllocationsByNode>;
  private unsubscribe?: () => void;

  constructor(private readonly options: KubePodServiceOptions) {
    this.counts = new SingleFlight({
      maxAgeMs: options.podCountMaxAgeMs,
      onServe: (cluster, how) => options.metrics.served(cluster, how),
    });
    this.allocations = new SingleFlight({
      maxAgeMs: options.podCountMaxAgeMs,
      onServe: (cluster, how) => options.metrics.served(cluster, how),
    });
  }

  /** Forgets a removed cluster's kept counts. */
  start(): void {
    this.unsubscribe = this.options.clusters.subscribe((change) => {
      if (change.type !== 'removed') return;
      this.counts.forget(change.cluster.name);
      this.allocations.forget(change.cluster.name);
    });
  }

  stop(): void {
    this.unsubscribe?.();
  }

  podCounts(cluster: string): Promise<PodCountsByNode> {
    return this.counts.run(cluster, () => this.countNow(cluster, listPodCountsByNode));
  }

  podAllocations(cluster: string): Promise<PodAllocationsByNode> {
    return this.allocations.run(cluster, () => this.countNow(cluster, listPodAllocationsByNode));
  }

  async podsOnNode(cluster: string, query: PodsOnNodeQuery, as?: Impersonation): Promise<KubePod[]> {
    return listPodsOnNode(impersonating(this.clientOf(cluster), as), query, {
      timeoutMs: this.options.apiTimeoutMs,
      pageSize: this.options.pageSize,
    });
  }

  nodeUsage(cluster: string, as?: Impersonation): Promise<NodeUsageByName> {
    return listNodeUsage(impersonating(this.clientOf(cluster), as), { timeoutMs: this.options.apiTimeoutMs });
  }

  nodeEvents(cluster: string, node: string, as?: Impersonation): Promise<NodeEventView[]> {
    return listNodeEvents(impersonating(this.clientOf(cluster), as), node, {
      timeoutMs: this.options.apiTimeoutMs,
      pageSize: this.options.pageSize,
    });
  }

  private async countNow<R extends PodCountsByNode>(
    cluster: string,
    list: (client: Pick<KubeClient, 'cluster' | 'stream'>, options: PodCountListOptions) => Promise<R>,
  ): Promise<R> {
    const { logger, metrics } = this.options;
    const startedAt = Date.now();
    try {
      const result = await list(this.clientOf(cluster), {
        timeoutMs: this.options.apiTimeoutMs,
        pageSize: this.options.pageSize ?? DEFAULT_POD_PAGE_SIZE,
      });
      metrics.chainSucceeded(cluster, result);
      logger.info(
        {
          cluster,
          pods: result.pods,
          nodes: result.counts.size,
          pages: result.pages,
          format: result.format,
          ms: result.durationMs,
        },
        `retrieved ${result.pods} pods from cluster ${cluster}`,
      );
      return result;
    } catch (err) {
      const kind = err instanceof KubeApiError ? err.kind : 'INTERNAL';
      metrics.chainFailed(cluster, kind, Date.now() - startedAt);
      logger.warn(
        { cluster, kind, statusCode: err instanceof KubeApiError ? err.statusCode : undefined, err },
        `failed to list pods for cluster ${cluster}: ${err instanceof Error ? err.message : String(err)}`,
      );
      throw err;
    }
  }

  private clientOf(cluster: string): Pick<KubeClient, 'cluster' | 'stream' | 'json'> {
    const connection = this.options.clusters.get(cluster);
    if (!connection)
      throw new KubeApiError('UNAVAILABLE', `cluster ${cluster} is not (or no longer) configured`, 0);
    return connection.client;
  }
}
