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
 * CLUSTER_REMOVED event), registers the node caches' readiness check, and publishes every
 * meaningful node change to the event history and the subscribers.
 */
export class InformerManager {
  private readonly informers = new Map<string, NodeInformer>();
  private unregisterReadiness: (() => void) | undefined;
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
    this.unregisterReadiness ??= this.options.readiness.register({
      name: 'node-caches',
      check: () => nodeCachesReadiness([...this.informers.values()]),
    });
    this.unsubscribe ??= this.options.clusters.subscribe((change) => this.onClusterChange(change));
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.unregisterReadiness?.();
    this.unregisterReadiness = undefined;
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

/**
 * The gateway's readiness, from its node caches. Ready when no cluster is still on its first
 * attempt (a replica just started is not ready before it knows its clusters) and at least one
 * cluster's cache has synced, even if it is stale now. One unreachable cluster of five must not
 * pull the replica out of its Service (its other four clusters are served, and every replica
 * would see the same outage); a replica none of whose clusters ever synced answers nothing
 * useful, so it is not ready, and neither is one serving no cluster at all.
 */
export function nodeCachesReadiness(informers: readonly NodeInformer[]): { ok: boolean; reason?: string } {
  if (informers.length === 0) return { ok: false, reason: 'no cluster is served' };
  const syncing = informers.filter((i) => i.clusterStatus === 'SYNCING').map((i) => i.name);
  if (syncing.length > 0) {
    return { ok: false, reason: `node cache still syncing: ${syncing.join(', ')}` };
  }
  if (!informers.some((i) => i.hasData)) {
    const states = informers.map((i) => `${i.name} ${i.clusterStatus}`).join(', ');
    return { ok: false, reason: `no cluster's node cache has synced (${states})` };
  }
  return { ok: true };
}
