import DataLoader from 'dataloader';
import type { NodeKey } from './pod-count-loader.js';

/**
 * A per-request loader of one value per node, fetched with ONE call per cluster (however many
 * nodes and batches ask): `fetch` loads the cluster's data, `pick` answers a node from it. When a
 * cluster's call fails each of its nodes gets the mapped error; other clusters still answer.
 */
export function createClusterLoader<D, V>(
  fetch: (cluster: string) => Promise<D>,
  pick: (data: D, node: string) => V,
  mapError: (err: unknown, cluster: string) => Error,
): DataLoader<NodeKey, V, string> {
  return new DataLoader<NodeKey, V, string>(
    async (keys) => {
      const clusters = [...new Set(keys.map((k) => k.cluster))];
      const results = await Promise.allSettled(clusters.map((c) => fetch(c)));
      const byCluster = new Map<string, { data: D } | Error>();
      clusters.forEach((cluster, i) => {
        const r = results[i]!;
        byCluster.set(cluster, r.status === 'fulfilled' ? { data: r.value } : mapError(r.reason, cluster));
      });
      return keys.map((key) => {
        const r = byCluster.get(key.cluster)!;
        return r instanceof Error ? r : pick(r.data, key.name);
      });
    },
    { cacheKeyFn: (key) => `${key.cluster}\u0000${key.name}` },
  );
}
