import type { KubeClient } from '../clusters/kube-client.js';
import { parseQuantity, type Quantity } from './quantity.js';

/** What the metrics API (metrics-server) last measured of one node. */
export interface NodeUsage {
  readonly cpu: Quantity;
  readonly memory: Quantity;
  /** The quantities as the API wrote them, e.g. "123456789n", "2048Ki". */
  readonly cpuText: string;
  readonly memoryText: string;
  /** Over how long the sample was averaged, e.g. "20.05s". */
  readonly window: string;
  /** When the sample was taken (RFC 3339). */
  readonly timestamp: string;
}

/** Node name -> its latest sample; a node the metrics API has no sample of is absent. */
export interface NodeUsageByName {
  readonly cluster: string;
  readonly nodes: ReadonlyMap<string, NodeUsage>;
}

/** metrics.k8s.io/v1beta1 NodeMetrics, as the API sends it. */
interface WireNodeMetrics {
  metadata?: { name?: string };
  timestamp?: string;
  window?: string;
  usage?: { cpu?: string; memory?: string };
}

export const NODE_METRICS_PATH = '/apis/metrics.k8s.io/v1beta1/nodes';

/**
 * Every node's usage with one LIST of metrics.k8s.io/v1beta1 nodes (what `kubectl top nodes`
 * reads). The list is small (a few hundred bytes a node) and the API does not page it, so it is
 * read in one response. Rejects with KubeApiError: NOT_FOUND when the cluster serves no metrics
 * API (no metrics-server APIService), SERVER_ERROR/UNAVAILABLE when its backend is down.
 */
export async function listNodeUsage(
  client: Pick<KubeClient, 'cluster' | 'json'>,
  options: { timeoutMs: number; signal?: AbortSignal },
): Promise<NodeUsageByName> {
  const list = await client.json<{ items?: WireNodeMetrics[] }>({
    path: NODE_METRICS_PATH,
    timeoutMs: options.timeoutMs,
    signal: options.signal,
  });
  const nodes = new Map<string, NodeUsage>();
  for (const item of Array.isArray(list.items) ? list.items : []) {
    const name = item?.metadata?.name;
    const cpuText = item?.usage?.cpu ?? '';
    const memoryText = item?.usage?.memory ?? '';
    const cpu = parseQuantity(cpuText);
    const memory = parseQuantity(memoryText);
    if (!name || !cpu || !memory) continue;
    nodes.set(name, {
      cpu,
      memory,
      cpuText,
      memoryText,
      window: item.window ?? '',
      timestamp: item.timestamp ?? '',
    });
  }
  return { cluster: client.cluster, nodes };
}
