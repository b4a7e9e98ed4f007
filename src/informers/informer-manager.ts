import type { ClusterChange, ClusterConnection, ClusterRegistry } from '../clusters/cluster-registry.js';
import type { Logger } from '../platform/logger.js';
import type { ReadinessRegistry } from '../platform/readiness.js';
import type { NodeChange } from './node-cache.js';
import { NodeChangeFeed, type NodeEventFilter, type NodeFeedItem } from './node-change-feed.js';
import type { NodeEvent } from './node-event.js';
import { NodeEventHistory } from './node-event-history.js';
import { type ClusterState, NodeInformer } from './node-informer.js';
import type { NodeMetrics } from './node-metrics.js';
import { NodeReader } from './node-reader.js';
import type { NodeReflectorOptions } from './node-reflector.js';

export interface InformerManagerOptions {
  clusters: ClusterRegistry;
  readiness: ReadinessRegistry;
  logger: Logger;
  metrics: NodeMetrics;
  /** Events kept per cluster for `since` replays. */
  historyPerCluster: number;
  /** Events pending per subscriber before they merge, then the subscriber is closed. */
  subscriberQueueLimit: number;
  /** Deadline of the direct LIST / GET that answers while a cache is not in sync. */
  apiTimeoutMs: number;
  reflector?: NodeReflectorOptions;
  /**
   * Never start the watches: every node query is a direct LIST / GET, each its own request.
   * What the gateway would cost without informers (the benchmark's baseline); not for production.
   */
  directOnly?: boolean;
}

export type SubscribeResult =
  | { kind: 'ok'; events: AsyncIterableIterator<NodeFeedItem> }
  | { kind: 'invalid-cursor'; reason: string };

/**
 * Runs one node informer per cluster of the registry: starts one when a cluster appears,
 * stops it and drops its cache when the cluster goes (its subscribers get a last
 * CLUSTER_REMOVED event), registers a readiness check per cache, and publishes every
 * meaningful node change to the event history and the subscribers.
 */
export class InformerManager {
  private readonly informers = new Map<string, NodeInformer>();
  private readonly unregisterReadiness = new Map<string, () => void>();
  private readonly stopping = new Set<Promise<void>>();
  readonly history: NodeEventHistory;
  readonly feed: NodeChangeFeed;
  readonly reader: NodeReader;
  private unsubscribe: (() => void) | undefined;
  private answersVersion = 0;
  private heartbeatVersion = 0;
  private readonly log: Logger;

  constructor(private readonly options: InformerManagerOptions) {
    const metrics = options.metrics;
    this.log = options.logger;
    this.history = new NodeEventHistory(options.historyPerCluster);
    this.reader = new NodeReader({
      metrics,
      apiTimeoutMs: options.apiTimeoutMs,
      coalesceLists: options.directOnly !== true,
    });
    this.feed = new NodeChangeFeed(options.subscriberQueueLimit, {
      onSubscribersChange: (count) => metrics.subscribers.set(count),
      onMerged: () => metrics.subscriberEvents.inc({ outcome: 'merged' }),
      onOverflow: (err) => {
        metrics.subscriberEvents.inc({ outcome: 'dropped' }, err.dropped);
        metrics.subscribersClosedSlow.inc();
        this.log.warn({ pending: err.limit }, 'nodeChanged subscriber too slow; closed');
      },
    });
  }

  start(): void {
    this.unsubscribe ??= this.options.clusters.subscribe((change) => this.onClusterChange(change));
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.feed.close();
    const names = [...this.informers.keys()];
    await Promise.all(names.map((name) => this.stopInformer(name)));
    await Promise.all(this.stopping);
  }

  /**
   * Changes whenever a node query could be answered differently (node changes, fills, sync
   * state, clusters added or removed), except heartbeats, counted apart in `heartbeats`.
   * Response caches key on it.
   */
  get version(): number {
    return this.answersVersion;
  }

  /** Changes on every heartbeat-only node update. */
  get heartbeats(): number {
    return this.heartbeatVersion;
  }

  get(cluster: string): NodeInformer | undefined {
    return this.informers.get(cluster);
  }

  /** Every served cluster's state, in the registry's order. */
  states(): ClusterState[] {
    const states: ClusterState[] = [];
    for (const connection of this.options.clusters.list()) {
      const informer = this.informers.get(connection.name);
      if (informer) states.push(informer.state());
    }
    return states;
  }

  /**
   * Subscribes to node events of the filter's clusters; with `since`, first replays what
   * happened after that cursor, or yields one RESYNC when the history no longer reaches back.
   * Replay and live subscription are taken in the same tick, so nothing falls between them.
   */
  subscribe(filter: NodeEventFilter, since?: string): SubscribeResult {
    let initial: NodeEvent[] = [];
    if (since !== undefined) {
      const replay = this.history.since(since, [...filter.clusters]);
      if (replay.kind === 'invalid') return { kind: 'invalid-cursor', reason: replay.reason };
      initial = replay.kind === 'replay' ? replay.events : [this.resyncEvent([...filter.clusters][0] ?? '')];
    }
    return { kind: 'ok', events: this.feed.subscribe(filter, initial) };
  }

  private resyncEvent(cluster: string): NodeEvent {
    return {
      seq: 0,
      cursor: this.history.currentCursor(),
      type: 'RESYNC',
      cluster,
      name: null,
      changes: [],
      node: null,
      previousLabels: null,
      at: new Date().toISOString(),
    };
  }

  private onClusterChange(change: ClusterChange): void {
    this.answersVersion++;
    if (change.type === 'added') this.startInformer(change.cluster);
    else this.removeCluster(change.cluster.name);
  }

  private startInformer(connection: ClusterConnection): void {
    const name = connection.name;
    if (this.informers.has(name)) return;
    this.history.openCluster(name);
    const informer = new NodeInformer({
      connection,
      logger: this.log,
      metrics: this.options.metrics,
      reflector: this.options.reflector,
      // A removed cluster's informer may still deliver a last event while it stops: drop it.
      onChange: (change) => {
        if (this.informers.get(name) === informer) this.publish(name, change);
      },
      onAnswersChanged: (meaningful) => {
        if (meaningful) this.answersVersion++;
        else this.heartbeatVersion++;
      },
    });
    this.informers.set(name, informer);
    this.unregisterReadiness.set(
      name,
      this.options.readiness.register({
        name: `node-cache:${name}`,
        // Only a cluster still on its first attempt holds readiness back: one that cannot be
        // reached must not take the gateway (and every other cluster) out of service.
        check: () =>
          informer.clusterStatus === 'SYNCING'
            ? { ok: false, reason: `node cache of cluster ${name} is still syncing` }
            : { ok: true },
      }),
    );
    if (!this.options.directOnly) informer.start();
  }

  private removeCluster(name: string): void {
    if (!this.informers.has(name)) return;
    const pending = this.stopInformer(name);
    this.stopping.add(pending);
    void pending.finally(() => this.stopping.delete(pending));
    this.history.dropCluster(name);
    this.feed.clusterRemoved({ ...this.resyncEvent(name), type: 'CLUSTER_REMOVED' });
  }

  private async stopInformer(name: string): Promise<void> {
    const informer = this.informers.get(name);
    if (!informer) return;
    this.informers.delete(name);
    this.unregisterReadiness.get(name)?.();
    this.unregisterReadiness.delete(name);
    try {
      await informer.stop();
    } catch (err) {
      this.log.error({ err, cluster: name }, 'node informer did not stop cleanly');
    }
  }

  private publish(cluster: string, change: NodeChange): void {
    const event = this.history.append(cluster, {
      type: change.type,
      name: change.node.name,
      changes: change.changes,
      node: change.node,
      previousLabels:
        change.before && change.before.labels !== change.node.labels ? change.before.labels : null,
      at: new Date().toISOString(),
    });
    this.log.info(
      { cluster, node: change.node.name, type: change.type, changes: change.changes },
      'node changed',
    );
    this.feed.publish(event);
  }
}
