import { NODE_COMPARATORS, type NodeOrderField } from './node-cache.js';
import type { CacheStaleness, NodeInformer } from './node-informer.js';
import { getNode, listNodes } from './node-list.js';
import type { NodeMetrics } from './node-metrics.js';
import type { CachedNode } from './node-projection.js';

/** Why an answer did not come from an in-sync cache; becomes a response extension. */
export interface DegradedAnswer {
  readonly cluster: string;
  /** DIRECT_LIST / DIRECT_GET: asked the API now (cache never filled); STALE_CACHE: the last known state. */
  readonly source: 'DIRECT_LIST' | 'DIRECT_GET' | 'STALE_CACHE';
  readonly reason: string;
}

export interface SortedNodes {
  /** Ascending by the requested field, then name. */
  readonly view: readonly CachedNode[];
  readonly degraded?: DegradedAnswer;
  readonly stale?: CacheStaleness;
}

export interface OneNode {
  readonly node?: CachedNode;
  readonly degraded?: DegradedAnswer;
  readonly stale?: CacheStaleness;
}

export interface NodeReaderOptions {
  metrics: NodeMetrics;
  /** Deadline of a fallback LIST or GET. */
  apiTimeoutMs: number;
  /** Let concurrent fallback LISTs of one cluster share a request. @default true */
  coalesceLists?: boolean;
}

/**
 * Where node answers come from: the informer cache while it is in sync (no API call); the
 * last cache, flagged stale with its age, once filled but not known current (watch outage,
 * frozen API, relist), so a struggling API never holds a query up; and a direct LIST or GET
 * with the API timeout only before the cache was ever filled. Concurrent fallback LISTs of
 * one cluster share one request, so start-up does not multiply load on the apiserver.
 */
export class NodeReader {
  private readonly inflight = new Map<string, Promise<CachedNode[]>>();

  constructor(private readonly options: NodeReaderOptions) {}

  async sorted(informer: NodeInformer, field: NodeOrderField, labelSelector?: string): Promise<SortedNodes> {
    if (informer.synced) return { view: informer.cache.sorted(field) };
    const stale = informer.staleness();
    if (stale) return { view: informer.cache.sorted(field), stale, degraded: staleCache(informer) };
    const nodes = await this.listOnce(informer, labelSelector);
    return {
      view: [...nodes].sort(NODE_COMPARATORS[field]),
      degraded: { cluster: informer.name, source: 'DIRECT_LIST', reason: notInSync(informer) },
    };
  }

  async get(informer: NodeInformer, name: string): Promise<OneNode> {
    if (informer.synced) return { node: informer.cache.get(name) };
    const stale = informer.staleness();
    if (stale) return { node: informer.cache.get(name), stale, degraded: staleCache(informer) };
    this.options.metrics.fallbackLists.inc({ cluster: informer.name });
    const node = await getNode(informer.connection.client, name, { timeoutMs: this.options.apiTimeoutMs });
    return { node, degraded: { cluster: informer.name, source: 'DIRECT_GET', reason: notInSync(informer) } };
  }

  private listOnce(informer: NodeInformer, labelSelector: string | undefined): Promise<CachedNode[]> {
    const coalesce = this.options.coalesceLists !== false;
    const key = `${informer.name}\u0000${labelSelector ?? ''}`;
    const shared = coalesce ? this.inflight.get(key) : undefined;
    if (shared) return shared;
    this.options.metrics.fallbackLists.inc({ cluster: informer.name });
    const pending = listNodes(informer.connection.client, {
      timeoutMs: this.options.apiTimeoutMs,
      labelSelector,
    }).then((r) => r.nodes);
    if (coalesce) {
      this.inflight.set(key, pending);
      const forget = () => {
        if (this.inflight.get(key) === pending) this.inflight.delete(key);
      };
      pending.then(forget, forget);
    }
    return pending;
  }
}

function notInSync(informer: NodeInformer): string {
  return `node cache of cluster ${informer.name} is not in sync (${informer.clusterStatus})`;
}

function staleCache(informer: NodeInformer): DegradedAnswer {
  return {
    cluster: informer.name,
    source: 'STALE_CACHE',
    reason: `${notInSync(informer)}; last known state`,
  };
}
