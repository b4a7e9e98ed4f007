import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/**
 * Metrics of the node informers and of node-change fan-out, on the gateway's registry.
 * Per-cluster series are removed when the cluster is, so a deleted context leaves no ghosts.
 */
export class NodeMetrics {
  private readonly lastEventAt = new Map<string, number>();

  readonly cachedNodes: Gauge<'cluster'>;
  readonly cacheSynced: Gauge<'cluster'>;
  readonly watchEvents: Counter<'cluster' | 'type'>;
  readonly nodeChanges: Counter<'cluster' | 'type'>;
  readonly heartbeatsIgnored: Counter<'cluster'>;
  readonly relists: Counter<'cluster' | 'reason'>;
  readonly watchRestarts: Counter<'cluster' | 'reason'>;
  readonly syncDuration: Histogram<'cluster'>;
  readonly fallbackLists: Counter<'cluster'>;
  readonly lastEventAge: Gauge<'cluster'>;
  readonly subscribers: Gauge;
  readonly subscriberEvents: Counter<'outcome'>;
  readonly subscribersClosedSlow: Counter;

  constructor(registry: Registry) {
    const registers = [registry];
    this.cachedNodes = new Gauge({
      name: 'gateway_node_cache_size',
      help: 'Nodes held in the informer cache',
      labelNames: ['cluster'],
      registers,
    });
    this.cacheSynced = new Gauge({
      name: 'gateway_node_cache_synced',
      help: '1 while the cluster node cache is in sync with the API (0 = answering from the stale cache, or by direct LIST before the first sync)',
      labelNames: ['cluster'],
      registers,
    });
    this.watchEvents = new Counter({
      name: 'gateway_node_watch_events_total',
      help: 'Node watch events received, by type (ADDED, MODIFIED, DELETED, BOOKMARK, ERROR)',
      labelNames: ['cluster', 'type'],
      registers,
    });
    this.nodeChanges = new Counter({
      name: 'gateway_node_changes_total',
      help: 'Meaningful node changes published to subscribers, by type',
      labelNames: ['cluster', 'type'],
      registers,
    });
    this.heartbeatsIgnored = new Counter({
      name: 'gateway_node_heartbeats_ignored_total',
      help: 'Node updates that changed nothing users see (heartbeats): cached, not published',
      labelNames: ['cluster'],
      registers,
    });
    this.relists = new Counter({
      name: 'gateway_node_relists_total',
      help: 'Full node LISTs by the informer, by reason (initial, expired, error)',
      labelNames: ['cluster', 'reason'],
      registers,
    });
    this.watchRestarts = new Counter({
      name: 'gateway_node_watch_restarts_total',
      help: 'Node watches re-opened, by reason (closed, stalled, error, probe)',
      labelNames: ['cluster', 'reason'],
      registers,
    });
    this.syncDuration = new Histogram({
      name: 'gateway_node_sync_duration_seconds',
      help: 'Time a full node LIST took to fill the cache',
      labelNames: ['cluster'],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.fallbackLists = new Counter({
      name: 'gateway_node_fallback_lists_total',
      help: 'Node queries answered by a direct LIST/GET because the cache was not in sync',
      labelNames: ['cluster'],
      registers,
    });
    const lastEventAt = this.lastEventAt;
    this.lastEventAge = new Gauge({
      name: 'gateway_node_watch_last_event_age_seconds',
      help: 'Seconds since the node watch last received anything (event or bookmark)',
      labelNames: ['cluster'],
      registers,
      collect() {
        const now = Date.now();
        for (const [cluster, at] of lastEventAt) this.set({ cluster }, (now - at) / 1000);
      },
    });
    this.subscribers = new Gauge({
      name: 'gateway_node_subscribers',
      help: 'Active nodeChanged subscriptions',
      registers,
    });
    this.subscriberEvents = new Counter({
      name: 'gateway_node_subscriber_events_total',
      help: 'Node events for subscribers by outcome: merged (slow reader, same node) or dropped (overflow)',
      labelNames: ['outcome'],
      registers,
    });
    this.subscribersClosedSlow = new Counter({
      name: 'gateway_node_subscribers_closed_slow_total',
      help: 'nodeChanged subscriptions closed because their reader fell too far behind',
      registers,
    });
  }

  markEvent(cluster: string): void {
    this.lastEventAt.set(cluster, Date.now());
  }

  /** Drops every per-cluster series of a removed cluster. */
  forgetCluster(cluster: string): void {
    this.lastEventAt.delete(cluster);
    for (const metric of [this.cachedNodes, this.cacheSynced, this.lastEventAge]) metric.remove({ cluster });
    this.heartbeatsIgnored.remove({ cluster });
    this.fallbackLists.remove({ cluster });
    this.syncDuration.remove({ cluster });
    // prom-client removes exact label sets only, so name every value these labels take.
    for (const type of WATCH_EVENT_TYPES) this.watchEvents.remove({ cluster, type });
    for (const type of WATCH_EVENT_TYPES) this.nodeChanges.remove({ cluster, type });
    for (const reason of RELIST_REASONS) this.relists.remove({ cluster, reason });
    for (const reason of RESTART_REASONS) this.watchRestarts.remove({ cluster, reason });
  }
}

export const WATCH_EVENT_TYPES = ['ADDED', 'MODIFIED', 'DELETED', 'BOOKMARK', 'ERROR'] as const;
export type RelistReason = 'initial' | 'expired' | 'error';
const RELIST_REASONS: readonly RelistReason[] = ['initial', 'expired', 'error'];
/** `probe`: re-opened after the API answered a probe again following failed ones. */
export type WatchRestartReason = 'closed' | 'stalled' | 'error' | 'probe';
const RESTART_REASONS: readonly WatchRestartReason[] = ['closed', 'stalled', 'error', 'probe'];
