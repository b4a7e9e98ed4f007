import { Counter, Histogram, type Registry } from 'prom-client';
import type { PodListFormat } from './pod-count-lister.js';
import type { SharedHow } from './single-flight.js';

/**
 * What the pod-count path adds to the API-call metrics KubeClient already records: how often a
 * count chain ran and how long it took, how many pods it read, and how often requests shared one.
 */
export class PodMetrics {
  readonly countChains: Counter<'cluster' | 'format' | 'outcome'>;
  readonly countChainDuration: Histogram<'cluster'>;
  readonly podsRetrieved: Counter<'cluster'>;
  readonly countPages: Counter<'cluster'>;
  readonly countServes: Counter<'cluster' | 'how'>;

  constructor(registry: Registry) {
    const registers = [registry];
    this.countChains = new Counter({
      name: 'gateway_pod_count_lists_total',
      help: 'Cluster-wide pod LIST chains run to count pods per node, by format (table|object) and outcome',
      labelNames: ['cluster', 'format', 'outcome'] as const,
      registers,
    });
    this.countChainDuration = new Histogram({
      name: 'gateway_pod_count_list_duration_seconds',
      help: 'Duration of one whole pod-count LIST chain (every page, parsed)',
      labelNames: ['cluster'] as const,
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 30, 60],
      registers,
    });
    this.podsRetrieved = new Counter({
      name: 'gateway_pod_count_pods_retrieved_total',
      help: 'Non-terminal pods read by pod-count LIST chains',
      labelNames: ['cluster'] as const,
      registers,
    });
    this.countPages = new Counter({
      name: 'gateway_pod_count_pages_total',
      help: 'Pages read by pod-count LIST chains',
      labelNames: ['cluster'] as const,
      registers,
    });
    this.countServes = new Counter({
      name: 'gateway_pod_count_requests_total',
      help: 'Requests for a cluster pod count: led a new LIST chain, joined a running one, or reused a recent result',
      labelNames: ['cluster', 'how'] as const,
      registers,
    });
  }

  served(cluster: string, how: SharedHow): void {
    this.countServes.inc({ cluster, how });
  }

  chainSucceeded(
    cluster: string,
    result: { format: PodListFormat; pods: number; pages: number; durationMs: number },
  ) {
    this.countChains.inc({ cluster, format: result.format, outcome: 'ok' });
    this.countChainDuration.observe({ cluster }, result.durationMs / 1000);
    this.podsRetrieved.inc({ cluster }, result.pods);
    this.countPages.inc({ cluster }, result.pages);
  }

  chainFailed(cluster: string, outcome: string, durationMs: number): void {
    this.countChains.inc({ cluster, format: 'unknown', outcome });
    this.countChainDuration.observe({ cluster }, durationMs / 1000);
  }
}
