import type { ClusterConnection } from '../clusters/cluster-registry.js';
import { isKubeApiError } from '../clusters/kube-api-error.js';
import type { Logger } from '../platform/logger.js';
import { NodeCache, type NodeChange } from './node-cache.js';
import type { NodeMetrics } from './node-metrics.js';
import { NodeReflector, type NodeReflectorOptions } from './node-reflector.js';

/**
 * SYNCING: first LIST not done yet. READY: answered from an in-sync cache. DEGRADED: the cache
 * is not in sync (watch lost or silent, API errors) and node queries fall back to direct
 * calls. UNREACHABLE: the API does not answer at all (refused, timed out).
 */
export type ClusterStatus = 'SYNCING' | 'READY' | 'DEGRADED' | 'UNREACHABLE';

/** One cluster as Query.clusters shows it. */
export interface ClusterState {
  readonly name: string;
  readonly server: string;
  readonly status: ClusterStatus;
  readonly synced: boolean;
  readonly nodeCount: number;
  /** When a full LIST last filled the cache. */
  readonly lastSyncAt: Date | null;
  /** When the watch last delivered anything (event or bookmark). */
  readonly lastEventAt: Date | null;
  readonly error: string | null;
  /** The most recent status changes, oldest first, so a brief outage stays visible afterwards. */
  readonly statusHistory: readonly ClusterStatusChange[];
}

export interface ClusterStatusChange {
  readonly status: ClusterStatus;
  readonly at: Date;
  readonly reason: string | null;
}

const STATUS_HISTORY = 20;

export interface NodeInformerOptions {
  connection: ClusterConnection;
  logger: Logger;
  metrics: NodeMetrics;
  reflector?: NodeReflectorOptions;
  /** Meaningful changes (not heartbeats), after the cache has applied them. */
  onChange(change: NodeChange): void;
  /**
   * Anything a node query could answer differently now: `meaningful` for changes, fills and
   * sync-state flips, not for heartbeats (which only move timestamps and resourceVersions).
   */
  onAnswersChanged?(meaningful: boolean): void;
}

/**
 * One cluster's node informer: a NodeCache kept current by a NodeReflector, plus the status,
 * logs and metrics that say how current it is.
 */
export class NodeInformer {
  readonly cache: NodeCache;
  private readonly reflector: NodeReflector;
  private readonly log: Logger;
  private lastError: Error | undefined;
  private lastSyncAt: Date | null = null;
  private lastEventAt: Date | null = null;
  private everSynced = false;
  private status: ClusterStatus = 'SYNCING';
  private readonly statusHistory: ClusterStatusChange[] = [
    { status: 'SYNCING', at: new Date(), reason: null },
  ];

  constructor(private readonly options: NodeInformerOptions) {
    const cluster = options.connection.name;
    const metrics = options.metrics;
    this.log = options.logger.child({ cluster });
    this.cache = new NodeCache({
      onChange: (change) => {
        metrics.nodeChanges.inc({ cluster, type: change.type });
        metrics.cachedNodes.set({ cluster }, this.cache.size);
        options.onAnswersChanged?.(true);
        options.onChange(change);
      },
      onUnchanged: () => {
        metrics.heartbeatsIgnored.inc({ cluster });
        options.onAnswersChanged?.(false);
      },
    });
    this.reflector = new NodeReflector(options.connection.client, this.cache, this.log, options.reflector, {
      onSyncedChange: (synced, reason) => this.syncedChanged(synced, reason),
      onListed: ({ reason, nodes, durationMs }) => {
        this.lastSyncAt = new Date();
        metrics.relists.inc({ cluster, reason });
        metrics.syncDuration.observe({ cluster }, durationMs / 1000);
        metrics.cachedNodes.set({ cluster }, this.cache.size);
        this.log.info({ nodes, durationMs, reason }, 'node informer synced');
        options.onAnswersChanged?.(true);
      },
      onWatchEvent: (type) => {
        this.lastEventAt = new Date();
        metrics.markEvent(cluster);
        metrics.watchEvents.inc({ cluster, type });
      },
      onWatchRestart: (reason) => metrics.watchRestarts.inc({ cluster, reason }),
      onError: (err) => {
        this.lastError = err;
        this.updateStatus();
      },
    });
  }

  get name(): string {
    return this.options.connection.name;
  }

  get connection(): ClusterConnection {
    return this.options.connection;
  }

  /** True while the cache can answer queries on its own. */
  get synced(): boolean {
    return this.reflector.isSynced;
  }

  get clusterStatus(): ClusterStatus {
    return this.status;
  }

  /** Whether the cache ever completed a LIST (it may be stale now). */
  get hasData(): boolean {
    return this.everSynced;
  }

  start(): void {
    this.log.info({ server: this.options.connection.server }, 'node informer started');
    this.reflector.start();
  }

  async stop(): Promise<void> {
    await this.reflector.stop();
    this.options.metrics.forgetCluster(this.name);
    this.log.info('node informer stopped');
  }

  state(): ClusterState {
    return {
      name: this.name,
      server: this.options.connection.server,
      status: this.status,
      synced: this.synced,
      nodeCount: this.cache.size,
      lastSyncAt: this.lastSyncAt,
      lastEventAt: this.lastEventAt,
      error: this.status === 'READY' ? null : (this.lastError?.message ?? null),
      statusHistory: [...this.statusHistory],
    };
  }

  private syncedChanged(synced: boolean, reason: Error | undefined): void {
    if (synced) {
      this.everSynced = true;
      this.lastError = undefined;
    } else if (reason) {
      this.lastError = reason;
    }
    this.options.metrics.cacheSynced.set({ cluster: this.name }, synced ? 1 : 0);
    this.updateStatus();
    this.options.onAnswersChanged?.(true);
  }

  private updateStatus(): void {
    const next = this.computeStatus();
    if (next === this.status) return;
    const level = next === 'READY' ? 'info' : 'warn';
    const reason = next === 'READY' ? null : (this.lastError?.message ?? null);
    this.log[level]({ from: this.status, to: next, reason }, 'cluster status changed');
    this.status = next;
    this.statusHistory.push({ status: next, at: new Date(), reason });
    if (this.statusHistory.length > STATUS_HISTORY) this.statusHistory.shift();
  }

  private computeStatus(): ClusterStatus {
    if (this.synced) return 'READY';
    const err = this.lastError;
    if (!err) return this.everSynced ? 'DEGRADED' : 'SYNCING';
    const noAnswer = isKubeApiError(err) && err.statusCode === 0;
    return noAnswer ? 'UNREACHABLE' : 'DEGRADED';
  }
}
