import type { ClusterConnection } from '../clusters/cluster-registry.js';
import { isKubeApiError } from '../clusters/kube-api-error.js';
import type { Logger } from '../platform/logger.js';
import { NodeCache, type NodeChange } from './node-cache.js';
import type { NodeMetrics, RelistReason } from './node-metrics.js';
import { NodeReflector, type NodeReflectorOptions } from './node-reflector.js';

/**
 * SYNCING: first LIST not done yet (node queries use direct calls). READY: answered from an
 * in-sync cache. DEGRADED: the cache is not in sync (watch lost or silent, API errors, one
 * failed probe). UNREACHABLE: the API does not answer at all (refused, timed out, probes
 * failing in a row). RELISTING: a LIST is replacing the cache (after a 410). In the last three
 * node queries answer from the last cache, marked stale.
 */
export type ClusterStatus = 'SYNCING' | 'READY' | 'DEGRADED' | 'UNREACHABLE' | 'RELISTING';

/** A LIST that is filling (or replacing) the cache. */
export interface RelistProgress {
  readonly reason: RelistReason;
  readonly startedAt: Date;
  readonly nodesSoFar: number;
}

/** A cache answering although it is not known to be current. */
export interface CacheStaleness {
  readonly cluster: string;
  /** Seconds since the cache was last known current (last watch line, LIST or good probe). */
  readonly ageSeconds: number;
}

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
  /** The cache answers node queries but is not known to be current (DEGRADED, UNREACHABLE, RELISTING). */
  readonly stale: boolean;
  /** While stale: when the cache was last known current. */
  readonly staleSince: Date | null;
  /** While stale: seconds since `staleSince`; 0 when in sync; null before the first LIST. */
  readonly cacheAgeSeconds: number | null;
  /** The LIST in progress, if any. */
  readonly relist: RelistProgress | null;
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
  /** The last moment the cache was known current: a watch line, a completed LIST, a good probe. */
  private confirmedAt = 0;
  private probeFailures = 0;
  private relist: RelistProgress | null = null;
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
      onRelistStart: (reason) => this.relistStarted(reason),
      onRelistProgress: (nodesSoFar) => {
        if (this.relist) this.relist = { ...this.relist, nodesSoFar };
      },
      onProbe: (result) => {
        if (result.ok) {
          if (this.synced) this.confirmedAt = Date.now();
          this.probeFailures = 0;
        } else {
          this.probeFailures = result.consecutive;
          this.lastError = result.error;
        }
        this.updateStatus();
      },
      onListed: ({ reason, nodes, durationMs }) => {
        this.lastSyncAt = new Date();
        this.confirmedAt = Date.now();
        this.relist = null;
        metrics.relists.inc({ cluster, reason });
        metrics.syncDuration.observe({ cluster }, durationMs / 1000);
        metrics.cachedNodes.set({ cluster }, this.cache.size);
        this.log.info({ nodes, durationMs, reason }, 'node informer synced');
        options.onAnswersChanged?.(true);
      },
      onWatchEvent: (type) => {
        this.lastEventAt = new Date();
        this.confirmedAt = this.lastEventAt.getTime();
        this.probeFailures = 0;
        metrics.markEvent(cluster);
        metrics.watchEvents.inc({ cluster, type });
      },
      onWatchRestart: (reason) => metrics.watchRestarts.inc({ cluster, reason }),
      onError: (err) => {
        this.lastError = err;
        this.relist = null;
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

  /** How stale the cache is, when it answers without being known current; else undefined. */
  staleness(now = Date.now()): CacheStaleness | undefined {
    if (this.synced || !this.everSynced) return undefined;
    return { cluster: this.name, ageSeconds: Math.max(0, Math.round((now - this.confirmedAt) / 100) / 10) };
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
    const staleness = this.staleness();
    return {
      name: this.name,
      server: this.options.connection.server,
      status: this.status,
      synced: this.synced,
      nodeCount: this.cache.size,
      lastSyncAt: this.lastSyncAt,
      lastEventAt: this.lastEventAt,
      error: this.status === 'READY' ? null : (this.lastError?.message ?? null),
      stale: staleness !== undefined,
      staleSince: staleness ? new Date(this.confirmedAt) : null,
      cacheAgeSeconds: staleness ? staleness.ageSeconds : this.everSynced ? 0 : null,
      relist: this.relist,
      statusHistory: [...this.statusHistory],
    };
  }

  private relistStarted(reason: RelistReason): void {
    this.relist = { reason, startedAt: new Date(), nodesSoFar: 0 };
    if (this.everSynced) {
      this.log.warn(
        { reason, cachedNodes: this.cache.size },
        'relisting nodes; the cache keeps answering, marked stale, until the LIST completes',
      );
    }
    this.updateStatus();
  }

  private syncedChanged(synced: boolean, reason: Error | undefined): void {
    if (synced) {
      this.everSynced = true;
      this.confirmedAt = Date.now();
      this.probeFailures = 0;
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
    if (this.relist && this.everSynced) return 'RELISTING';
    const err = this.lastError;
    if (!err) return this.everSynced ? 'DEGRADED' : 'SYNCING';
    const noAnswer = isKubeApiError(err) && err.statusCode === 0;
    // One unanswered probe may be a slow moment; two in a row is an API that is not there.
    if (noAnswer && this.probeFailures === 1) return 'DEGRADED';
    return noAnswer ? 'UNREACHABLE' : 'DEGRADED';
  }
}
