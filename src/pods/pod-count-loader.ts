import DataLoader from 'dataloader';
import type { PodCountsByNode } from './pod-count-lister.js';

/** A node as the pod-count loader knows it. */
export interface NodeKey {
  readonly cluster: string;
  readonly name: string;
}

/** Counts for one cluster; callers make this at most one LIST chain per cluster per request. */
export type ClusterPodCounts = (cluster: string) => Promise<PodCountsByNode>;

/** Turns a failed cluster count into what each of its nodes' fields reports. */
export type CountErrorMapper = (err: unknown, cluster: string) => Error;

/**
 * Per-request loader of `Node.podCount`: collects every node key the operation resolves,
 * asks for each cluster's counts once, and answers each node from them (0 when no pod runs
 * there). When a cluster's LIST fails, each of its nodes gets the mapped error; other
 * clusters' nodes still get their counts.
 */
export function createPodCountLoader(counts: ClusterPodCounts, mapError: CountErrorMapper) {
  return new DataLoader<NodeKey, number, string>(
    async (keys) => {
      const clusters = [...new Set(keys.map((k) => k.cluster))];
      const results = await Promise.allSettled(clusters.map((c) => counts(c)));
      const byCluster = new Map<string, PodCountsByNode | Error>();
      clusters.forEach((cluster, i) => {
        const result = results[i]!;
        byCluster.set(
          cluster,
          result.status === 'fulfilled' ? result.value : mapError(result.reason, cluster),
        );
      });
      return keys.map((key) => {
        const result = byCluster.get(key.cluster)!;
        return result instanceof Error ? result : (result.counts.get(key.name) ?? 0);
      });
    },
    { cacheKeyFn: (key) => `${key.cluster}\u0000${key.name}` },
  );
}
