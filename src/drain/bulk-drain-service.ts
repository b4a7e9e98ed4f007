import { randomUUID } from 'node:crypto';
import type { Logger } from '../platform/logger.js';
import {
  type BulkDrainEvent,
  type BulkDrainJob,
  type BulkDrainNode,
  type BulkDrainSnapshot,
  isTerminalBulkEvent,
  isTerminalBulkState,
} from './bulk-drain-job.js';
import { bulkDrainProgressStream, type DeliveredBulkDrainEvent } from './bulk-drain-progress-stream.js';
import { BulkDrainRun, type BulkDrainRunStart, type NodeDrains } from './bulk-drain-run.js';
import type { BulkDrainStore } from './bulk-drain-store.js';
import { DrainRequestError } from './drain-errors.js';
import type { DrainRequester } from './drain-job.js';
import type { DrainMetrics } from './drain-metrics.js';
import type { DrainOptions } from './drain-options.js';
import { type OrphanSource, TakeoverWatcher, takeoverScanIntervalMs } from './drain-takeover.js';
import { bulkLeaseKey, type NodeLease, type NodeLock } from './node-lock.js';

export interface BulkDrainServiceOptions {
  readonly store: BulkDrainStore;
  readonly drains: NodeDrains;
  /** Holds each bulk's coordinator lease (bulkLeaseKey), shared like `store`. */
  readonly lock: NodeLock;
  /** Life of a coordinator lease without renewal: how soon a dead coordinator's bulk is taken over. */
  readonly leaseMs: number;
  readonly logger: Logger;
  readonly replicaId: string;
  readonly metrics?: Pick<DrainMetrics, 'bulkTakeovers'>;
  readonly subscriberQueueLimit: number;
  /** How long cancel waits for the coordinator to confirm. @default 30000 */
  readonly cancelWaitMs?: number;
}

/** A node of a bulk request, and why it will not be drained (checked before the job is created). */
export interface BulkNodeRequest {
  readonly name: string;
  readonly rejected?: { readonly code: string; readonly message: string };
}

export interface BulkDrainRequest {
  readonly cluster: string;
  readonly nodes: readonly BulkNodeRequest[];
  readonly options: DrainOptions;
  readonly maxConcurrent: number;
  readonly stopOnFailure: boolean;
  readonly requestedBy: DrainRequester | null;
}

/**
 * Bulk drains: one job over many nodes, coordinated (BulkDrainRun) by the replica holding its
 * coordinator lease: the one that created it, or, once that one died or shut down, whichever
 * replica's watcher claimed it. Readable, followable and cancellable from every replica
 * through the store.
 */
export class BulkDrainService {
  private readonly runs = new Map<string, { run: BulkDrainRun; done: Promise<void> }>();
  private readonly watcher: TakeoverWatcher<BulkDrainSnapshot>;
  private stopping = false;

  constructor(private readonly options: BulkDrainServiceOptions) {
    this.watcher = new TakeoverWatcher({
      source: bulkDrainOrphans(options.store),
      lock: options.lock,
      intervalMs: takeoverScanIntervalMs(options.leaseMs),
      isRunningHere: (id) => this.runs.has(id),
      claim: (snapshot) => this.claim(snapshot.job.id),
      logger: options.logger,
    });
  }

  /** Starts watching for bulk drains whose coordinator is gone, to take them over. */
  watch(): void {
    this.watcher.start();
  }

  /** Creates the bulk job and starts coordinating it; returns at once. */
  async start(request: BulkDrainRequest): Promise<BulkDrainJob> {
    const at = new Date().toISOString();
    const nodes: BulkDrainNode[] = request.nodes.map((n) => ({
      name: n.name,
      state: n.rejected ? 'FAILED' : 'QUEUED',
      jobId: null,
      errorCode: n.rejected?.code ?? null,
      message: n.rejected?.message ?? null,
      updatedAt: at,
    }));
    const job: BulkDrainJob = {
      id: randomUUID(),
      cluster: request.cluster,
      options: request.options,
      maxConcurrent: request.maxConcurrent,
      stopOnFailure: request.stopOnFailure,
      state: 'PENDING',
      nodes,
      requestedBy: request.requestedBy,
      runner: null,
      createdAt: at,
      startedAt: null,
      finishedAt: null,
      updatedAt: at,
      error: null,
    };
    // The lease first: a fresh id's lease is free, and a watcher never sees the job unleased.
    const lease = this.newLease(job.id);
    if (!(await this.options.lock.acquire(lease.key, lease.token, this.options.leaseMs)))
      throw new DrainRequestError('CONFLICT', `bulk drain ${job.id} is already coordinated`);
    try {
      await this.options.store.create(job);
    } catch (err) {
      await this.options.lock.release(lease).catch(() => undefined);
      throw err;
    }
    const created = structuredClone(job);
    this.launch(job, lease, { takeover: false, cancelRequested: false });
    this.options.logger.info(
      { bulk: job.id, cluster: job.cluster, nodes: nodes.length },
      'bulk drain started',
    );
    return created;
  }

  /**
   * Shutdown: local coordinations stop starting nodes and stop writing (see BulkDrainRun.halt),
   * and give their leases up, so that another replica (shared store) takes them over at once.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.watcher.stop();
    for (const { run } of this.runs.values()) run.halt();
    await Promise.all([...this.runs.values()].map((r) => r.done));
  }

  /** Runs one takeover scan now (tests; the watcher does it every leaseMs/3). */
  scanForOrphans(): Promise<number> {
    return this.watcher.tick();
  }

  async get(id: string): Promise<BulkDrainJob | undefined> {
    return (await this.options.store.get(id))?.job;
  }

  /** Recorded events after `afterSequence` (the newest maxEvents are kept). */
  events(id: string, afterSequence: number, limit: number): Promise<BulkDrainEvent[]> {
    return this.options.store.readEvents(id, afterSequence, limit);
  }

  progress(id: string): AsyncIterableIterator<DeliveredBulkDrainEvent> {
    return bulkDrainProgressStream(this.options.store, id, this.options.subscriberQueueLimit);
  }

  /**
   * Stops the bulk drain from any replica: queued nodes never start, running node drains are
   * cancelled (each confirmed by its runner); waits until the coordinator records BULK_CANCELLED.
   *
   * A cancel should end with a definite answer, CANCELLED and every node drain stopped, rather
   * than a bulk left RUNNING with nobody to finish it. So when the coordinator is gone (its lease
   * is free: it died a lease ago, or shut down), this replica claims the bulk at once and, as
   * its new coordinator, honours the stored cancel. While the lease is still held the
   * coordinator may be alive (only slow), and nobody may coordinate beside it: the wait ends
   * when it records BULK_CANCELLED, or, if it died, when the replica whose watcher claims the
   * bulk after the lease lapses does (at most about 1.3 leases after the death), not after
   * cancelWaitMs.
   */
  async cancel(id: string): Promise<BulkDrainJob> {
    const current = await this.options.store.get(id);
    if (!current) throw new DrainRequestError('NOT_FOUND', `no bulk drain with id ${id}`);
    if (isTerminalBulkState(current.job.state)) return current.job;
    const stream = this.progress(id);
    try {
      await stream.next();
      const snapshot = await this.options.store.requestCancel(id, {
        kind: 'CANCEL_REQUESTED',
        at: new Date().toISOString(),
        node: null,
        nodeState: null,
        drainEvent: null,
        message: 'cancel requested',
        state: current.job.state,
      });
      const local = this.runs.get(id)?.run;
      // The coordinator cancels its running nodes; so does this replica, in case it is not the coordinator.
      const draining = (snapshot?.job.nodes ?? []).filter((n) => n.state === 'DRAINING' && n.jobId);
      await Promise.all([
        local ? local.cancel() : this.claim(id),
        ...draining.map((n) => this.options.drains.cancel(n.jobId as string).catch(() => undefined)),
      ]);
      await untilTerminal(stream, this.options.cancelWaitMs ?? 30_000);
    } finally {
      await stream.return?.();
    }
    const after = await this.options.store.get(id);
    if (!after) throw new DrainRequestError('NOT_FOUND', `no bulk drain with id ${id}`);
    return after.job;
  }

  /**
   * Takes the bulk's coordinator lease, if free, and resumes coordinating the bulk here. The
   * lock decides races: of replicas claiming at once, one wins.
   */
  private async claim(id: string): Promise<boolean> {
    const lease = this.newLease(id);
    try {
      if (this.stopping || this.runs.has(id)) return false;
      if (!(await this.options.lock.acquire(lease.key, lease.token, this.options.leaseMs))) return false;
      // Re-read under the lease: a coordinator that finished the bulk just before must not be redone.
      const current = await this.options.store.get(id);
      if (!current || isTerminalBulkState(current.job.state) || this.stopping || this.runs.has(id)) {
        await this.options.lock.release(lease);
        return false;
      }
      this.launch(current.job, lease, { takeover: true, cancelRequested: current.cancelRequested });
      return true;
    } catch (err) {
      this.options.logger.warn({ err: String(err), bulk: id }, 'could not claim bulk drain');
      return false;
    }
  }

  private launch(job: BulkDrainJob, lease: NodeLease, start: BulkDrainRunStart): void {
    const run = new BulkDrainRun(this.options, job, lease, start);
    const done = run.run().finally(() => this.runs.delete(job.id));
    this.runs.set(job.id, { run, done });
  }

  private newLease(id: string): NodeLease {
    return {
      key: bulkLeaseKey(id),
      token: `${this.options.replicaId}/bulk/${id}/${randomUUID().slice(0, 8)}`,
    };
  }
}

/** Bulk drains to take over: every unfinished one whose coordinator lease nobody holds. */
function bulkDrainOrphans(store: BulkDrainStore): OrphanSource<BulkDrainSnapshot> {
  return {
    activeIds: () => store.activeJobIds(),
    get: (id) => store.get(id),
    leaseKeyOf: ({ job }) => (isTerminalBulkState(job.state) ? null : bulkLeaseKey(job.id)),
  };
}

async function untilTerminal(
  stream: AsyncIterator<DeliveredBulkDrainEvent>,
  timeoutMs: number,
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  try {
    for (;;) {
      const next = await Promise.race([stream.next(), timeout]);
      if (next === 'timeout' || next.done) return;
      if (isTerminalBulkEvent(next.value.kind)) return;
    }
  } finally {
    clearTimeout(timer);
  }
}
