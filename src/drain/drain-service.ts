import { randomUUID } from 'node:crypto';
import type { Impersonation } from '../clusters/impersonation.js';
import { MemoryPubSub } from '../events/memory-pubsub.js';
import type { CachedNode } from '../informers/node-projection.js';
import type { Logger } from '../platform/logger.js';
import { BulkDrainService } from './bulk-drain-service.js';
import type { BulkDrainStore } from './bulk-drain-store.js';
import { type CordonRequest, cordonNode, uncordonNode } from './cordon.js';
import { type CordonRecord, cordonTime } from './cordon-annotations.js';
import type { DrainClusterApi, NodeGetter } from './drain-cluster-api.js';
import { DrainRequestError } from './drain-errors.js';
import { type DrainProgressEvent, isTerminalEvent } from './drain-event.js';
import {
  type DrainJob,
  type DrainJobSnapshot,
  type DrainRequester,
  impersonationOfJob,
  isTerminalState,
  newDrainJob,
} from './drain-job.js';
import { DrainJobRun } from './drain-job-run.js';
import type { DrainJobFilter, DrainJobStore } from './drain-job-store.js';
import type { DrainMetrics } from './drain-metrics.js';
import type { DrainOptions } from './drain-options.js';
import { type DeliveredDrainEvent, drainProgressStream } from './drain-progress-stream.js';
import { drainJobOrphans, TakeoverWatcher, takeoverScanIntervalMs } from './drain-takeover.js';
import type { DrainTimings } from './drain-timings.js';
import { MemoryBulkDrainStore } from './memory-bulk-drain-store.js';
import {
  editNodeLabels,
  editNodeTaints,
  type LabelEdit,
  type NodeEditApi,
  type NodeEditRequest,
  type TaintEdit,
} from './node-edits.js';
import { type NodeLease, type NodeLock, nodeLeaseKey } from './node-lock.js';

/** The node an edit is for, and the version it was made against. */
export type NodeEditTarget = Omit<NodeEditRequest, 'api'>;

export interface DrainServiceOptions {
  readonly store: DrainJobStore;
  readonly lock: NodeLock;
  /**
   * The cluster's API, every call acting as `as` (undefined = the gateway's own account), or
   * undefined for a cluster this gateway does not serve.
   */
  readonly apiFor: (
    cluster: string,
    as?: Impersonation,
  ) => (DrainClusterApi & NodeGetter & NodeEditApi) | undefined;
  readonly logger: Logger;
  readonly metrics: DrainMetrics;
  readonly timings: DrainTimings;
  /** Life of a node lease without renewal: how soon another replica takes over a dead runner's job. */
  readonly leaseMs: number;
  /** This replica's name in jobs (runner, takeovers) and lease tokens. */
  readonly replicaId: string;
  /** Leave running jobs for another replica on shutdown (shared store) instead of failing them. */
  readonly handOverOnShutdown: boolean;
  /** Events buffered per drainProgress subscriber. */
  readonly subscriberQueueLimit: number;
  /** How long cancel waits for the runner to confirm. @default 10000 */
  readonly cancelWaitMs?: number;
  /** Where bulk drains (drainNodes) live, shared like `store`. @default in this process */
  readonly bulkStore?: BulkDrainStore;
}

/** A node's newest jobs searched for the one a bulk started (a bulk drains a node once). */
const BULK_JOB_LOOKBACK = 20;

/**
 * Starts, cancels, lists and streams drain jobs, and runs the ones this replica holds the
 * lease for; cordons and uncordons nodes (an uncordon must wait for the node's drain). At most one active job per node across replicas (the store decides), at most one
 * runner per node (the lease decides).
 */
export class DrainService {
  private readonly runs = new Map<string, { run: DrainJobRun; done: Promise<void> }>();
  private readonly watcher: TakeoverWatcher<DrainJobSnapshot>;
  private stopping = false;
  /** Drains of many nodes, each node an ordinary job of this service. */
  readonly bulk: BulkDrainService;

  constructor(private readonly options: DrainServiceOptions) {
    this.bulk = new BulkDrainService({
      store: options.bulkStore ?? new MemoryBulkDrainStore(options.lock, new MemoryPubSub()),
      drains: this,
      lock: options.lock,
      leaseMs: options.leaseMs,
      logger: options.logger,
      replicaId: options.replicaId,
      metrics: options.metrics,
      subscriberQueueLimit: options.subscriberQueueLimit,
    });
    this.watcher = new TakeoverWatcher({
      source: drainJobOrphans(options.store, options.leaseMs),
      lock: options.lock,
      intervalMs: takeoverScanIntervalMs(options.leaseMs),
      isRunningHere: (id) => this.runs.has(id),
      claim: (snapshot) => this.claim(snapshot, 1),
      logger: options.logger,
    });
  }

  start(): void {
    this.watcher.start();
    this.bulk.watch();
  }

  /**
   * Stops every local run; with handOverOnShutdown their node leases are released for another
   * replica. Bulk coordinator leases are always released (BulkDrainService.stop).
   */
  async stop(): Promise<void> {
    this.stopping = true;
    // Bulk coordinations first: they must not see their node drains end with the shutdown.
    await this.bulk.stop();
    await this.watcher.stop();
    for (const { run } of this.runs.values()) run.stop('shutdown');
    await Promise.all([...this.runs.values()].map((r) => r.done));
  }

  /**
   * kubectl cordon: marks the node unschedulable (acting as `as`) and resolves it as patched.
   * `record` (why, who, when) goes on the node in the same patch; omitted = who and when unknown.
   */
  async cordon(
    cluster: string,
    node: string,
    as?: Impersonation,
    record: CordonRecord = { reason: null, by: as?.user ?? null, at: cordonTime() },
  ): Promise<CachedNode> {
    return cordonNode(this.cordonRequest(cluster, node, as), record);
  }

  /** kubectl label, refused (409) when the node is no longer at `resourceVersion`; acting as `as`. */
  async editLabels(target: NodeEditTarget, edit: LabelEdit, as?: Impersonation): Promise<CachedNode> {
    return editNodeLabels(this.editRequest(target, as), edit);
  }

  /** kubectl taint, refused (409) when the node is no longer at `resourceVersion`; acting as `as`. */
  async editTaints(
    target: NodeEditTarget,
    edit: TaintEdit,
    base: CachedNode | undefined,
    as?: Impersonation,
  ): Promise<CachedNode> {
    return editNodeTaints(this.editRequest(target, as), edit, base);
  }

  /** kubectl uncordon; DrainRequestError CONFLICT (with `drainJobId`) while a drain of the node is active. */
  async uncordon(cluster: string, node: string, as?: Impersonation): Promise<CachedNode> {
    return uncordonNode(this.cordonRequest(cluster, node, as));
  }

  /**
   * Queues a drain of `node` and returns at once; if one is active for the node, returns that
   * one. The job stores `requestedBy`: its every API call, wherever it runs, impersonates them.
   */
  async startDrain(
    cluster: string,
    node: string,
    options: DrainOptions,
    requestedBy: DrainRequester | null = null,
    bulkId: string | null = null,
  ): Promise<DrainJob> {
    const api = this.options.apiFor(cluster, impersonationOfJob({ requestedBy }));
    if (!api) throw new DrainRequestError('NOT_FOUND', `unknown cluster "${cluster}"`);
    const active = await this.options.store.activeJobFor(cluster, node);
    if (active) return active;
    if ((await api.getNode(node)) === undefined) {
      throw new DrainRequestError('NOT_FOUND', `node "${node}" not found in cluster "${cluster}"`);
    }
    const job = newDrainJob({
      id: randomUUID(),
      cluster,
      node,
      options,
      now: new Date(),
      requestedBy,
      bulkId,
    });
    const created = await this.options.store.createUnlessActive(job);
    if (!created.created) return created.job;
    this.options.logger.info({ job: job.id, cluster, node }, 'drain queued');
    // The previous job of this node may still hold the lease for a moment while it finishes.
    void this.claim({ job: created.job, lastSequence: 0, cancelRequested: false }, 10);
    return created.job;
  }

  /** The newest drain job of `node` that bulk drain `bulkId` started, if the store still has it. */
  async startedByBulk(cluster: string, node: string, bulkId: string): Promise<DrainJob | undefined> {
    const jobs = await this.options.store.list({ cluster, node, limit: BULK_JOB_LOOKBACK });
    return jobs.find((job) => job.bulkId === bulkId);
  }

  /**
   * Asks the job to stop and waits (up to cancelWaitMs) until its runner, wherever it runs,
   * confirms; the node stays cordoned. A finished job is returned as it is.
   */
  async cancel(id: string): Promise<DrainJob> {
    const current = await this.requireJob(id);
    if (isTerminalState(current.job.state)) return current.job;
    const stream = this.progress(id);
    try {
      await stream.next(); // the snapshot: from here on, the terminal event cannot be missed
      const event = { kind: 'CANCEL_REQUESTED' as const, at: new Date().toISOString(), pod: null };
      await this.options.store.requestCancel(id, {
        ...event,
        message: 'cancel requested',
        state: current.job.state,
      });
      this.runs.get(id)?.run.stop('cancel');
      await untilTerminal(stream, this.options.cancelWaitMs ?? 10_000);
    } finally {
      await stream.return?.();
    }
    return (await this.requireJob(id)).job;
  }

  async get(id: string): Promise<DrainJob | undefined> {
    return (await this.options.store.get(id))?.job;
  }

  list(filter: DrainJobFilter): Promise<DrainJob[]> {
    return this.options.store.list(filter);
  }

  /** Recorded events of a job after `afterSequence` (the newest maxEventsPerJob are kept). */
  events(id: string, afterSequence: number, limit: number): Promise<DrainProgressEvent[]> {
    return this.options.store.readEvents(id, afterSequence, limit);
  }

  progress(id: string): AsyncIterableIterator<DeliveredDrainEvent> {
    return drainProgressStream(this.options.store, id, { queueLimit: this.options.subscriberQueueLimit });
  }

  /** Runs one takeover scan now (tests; the watcher does it every leaseMs/3). */
  scanForOrphans(): Promise<number> {
    return this.watcher.tick();
  }

  private editRequest(target: NodeEditTarget, as?: Impersonation): NodeEditRequest {
    const api = this.options.apiFor(target.cluster, as);
    if (!api) throw new DrainRequestError('NOT_FOUND', `unknown cluster "${target.cluster}"`);
    return { ...target, api };
  }

  private cordonRequest(cluster: string, node: string, as?: Impersonation): CordonRequest {
    const api = this.options.apiFor(cluster, as);
    if (!api) throw new DrainRequestError('NOT_FOUND', `unknown cluster "${cluster}"`);
    return {
      cluster,
      node,
      api,
      activeJob: () => this.options.store.activeJobFor(cluster, node),
      logger: this.options.logger,
    };
  }

  /** Takes the job's node lease (trying `attempts` times) and runs the job here. */
  private async claim(snapshot: DrainJobSnapshot, attempts: number): Promise<boolean> {
    const { job } = snapshot;
    const lease: NodeLease = {
      key: nodeLeaseKey(job.cluster, job.node),
      token: `${this.options.replicaId}/${job.id}/${randomUUID().slice(0, 8)}`,
    };
    try {
      if (!(await this.acquire(lease, attempts))) return false;
      // Re-read under the lease: a runner that finished the job just before must not be redone.
      const current = await this.options.store.get(job.id);
      // Who asked is read from the stored job, so a takeover keeps acting as the same person.
      const api = current && this.options.apiFor(job.cluster, impersonationOfJob(current.job));
      if (!current || isTerminalState(current.job.state) || !api || this.stopping || this.runs.has(job.id)) {
        if (current && !api)
          this.options.logger.warn({ job: job.id }, 'cannot run drain: cluster not served here');
        await this.options.lock.release(lease);
        return false;
      }
      this.launch(current, lease, api);
      return true;
    } catch (err) {
      this.options.logger.warn({ err: String(err), job: job.id }, 'could not claim drain job');
      return false;
    }
  }

  private async acquire(lease: NodeLease, attempts: number): Promise<boolean> {
    for (let i = 0; i < attempts; i++) {
      if (await this.options.lock.acquire(lease.key, lease.token, this.options.leaseMs)) return true;
      if (i + 1 < attempts) await new Promise((r) => setTimeout(r, 100));
    }
    return false;
  }

  private launch(snapshot: DrainJobSnapshot, lease: NodeLease, api: DrainClusterApi): void {
    const { job } = snapshot;
    const run = new DrainJobRun({ ...this.options, api, logger: this.options.logger }, job, lease, {
      takeover: job.runner !== null,
      cancelRequested: snapshot.cancelRequested,
      handOverOnShutdown: this.options.handOverOnShutdown,
    });
    const done = run.run().finally(() => this.runs.delete(job.id));
    this.runs.set(job.id, { run, done });
  }

  private async requireJob(id: string): Promise<DrainJobSnapshot> {
    const snapshot = await this.options.store.get(id);
    if (!snapshot) throw new DrainRequestError('NOT_FOUND', `no drain job with id ${id}`);
    return snapshot;
  }
}

/** Reads `stream` until a terminal event or until `timeoutMs` passes. */
async function untilTerminal(stream: AsyncIterator<DeliveredDrainEvent>, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  try {
    for (;;) {
      const next = await Promise.race([stream.next(), timeout]);
      if (next === 'timeout' || next.done) return;
      if (isTerminalEvent(next.value.kind)) return;
    }
  } finally {
    clearTimeout(timer);
  }
}
