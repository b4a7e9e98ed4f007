import type { Logger } from '../platform/logger.js';
import {
  type BulkDrainEventRecord,
  type BulkDrainJob,
  type BulkDrainNode,
  type BulkNodeState,
  countBulkNodes,
  isFinalNodeState,
} from './bulk-drain-job.js';
import type { BulkDrainStore } from './bulk-drain-store.js';
import { DrainRequestError } from './drain-errors.js';
import { type DrainProgressEvent, isTerminalEvent } from './drain-event.js';
import type { DrainJob, DrainRequester } from './drain-job.js';
import type { DrainMetrics } from './drain-metrics.js';
import type { DrainOptions } from './drain-options.js';
import type { DeliveredDrainEvent } from './drain-progress-stream.js';
import { LeaseKeeper } from './lease-keeper.js';
import type { NodeLease, NodeLock } from './node-lock.js';

/** What a bulk drain uses of the single-node drains (DrainService). */
export interface NodeDrains {
  startDrain(
    cluster: string,
    node: string,
    options: DrainOptions,
    by: DrainRequester | null,
    bulkId: string,
  ): Promise<DrainJob>;
  /** The newest drain job of `node` that bulk `bulkId` started, if any. */
  startedByBulk(cluster: string, node: string, bulkId: string): Promise<DrainJob | undefined>;
  cancel(id: string): Promise<DrainJob>;
  progress(id: string): AsyncIterableIterator<DeliveredDrainEvent>;
  events(id: string, afterSequence: number, limit: number): Promise<DrainProgressEvent[]>;
}

/** Most earlier events of a node's job copied into the bulk log when following it starts. */
const EARLIER_EVENTS_LIMIT = 1000;

export interface BulkDrainRunDeps {
  readonly store: BulkDrainStore;
  readonly drains: NodeDrains;
  readonly lock: NodeLock;
  /** Life of the coordinator lease without renewal: how soon another replica takes a dead coordinator's bulk over. */
  readonly leaseMs: number;
  readonly logger: Logger;
  readonly replicaId: string;
  /** Counts the takeovers (gateway_bulk_drain_takeovers_total). */
  readonly metrics?: Pick<DrainMetrics, 'bulkTakeovers'>;
}

export interface BulkDrainRunStart {
  /** Another replica coordinated the bulk until its lease lapsed (or it shut down): resume it. */
  readonly takeover: boolean;
  /** A cancel was requested (stored) before this run began: honoured at once. */
  readonly cancelRequested: boolean;
}

const NODE_STATE_OF: Partial<Record<DrainProgressEvent['kind'], BulkNodeState>> = {
  JOB_SUCCEEDED: 'DRAINED',
  JOB_FAILED: 'FAILED',
  JOB_CANCELLED: 'CANCELLED',
};

/**
 * Coordinates one bulk drain on the replica holding its coordinator lease (bulkLeaseKey, kept
 * alive by a LeaseKeeper): starts the queued nodes' drains, at most `maxConcurrent` at once, each
 * an ordinary drain job (its lease, its impersonation, its takeover), follows each job's events
 * into the bulk log, and stops starting nodes on a cancel or, with stopOnFailure, on the first
 * failed node. Concurrent drains share the cluster's PodDisruptionBudgets: an eviction the
 * apiserver refuses (429) is retried by the node's drain.
 *
 * A run that takes a bulk over resumes it from the stored job: DRAINED and FAILED nodes stay;
 * a DRAINING node's drain job is followed to its end (that job is taken over on its own by the
 * node drain watcher if its runner died too), never started a second time; the QUEUED nodes
 * start as the bound allows; a stored cancel request or stopOnFailure stop holds at once.
 */
export class BulkDrainRun {
  private cancelled: boolean;
  private cancelling: Promise<void> | undefined;
  private stopped: boolean;
  /** Shutdown, or the lease is lost: nothing more is started or written; the next coordinator goes on. */
  private halted = false;
  private leaseLost = false;
  private keeper: LeaseKeeper | undefined;
  private readonly running = new Map<string, string>();
  /** The node drain streams being followed, closed on halt so the run ends at once. */
  private readonly streams = new Set<AsyncIterableIterator<DeliveredDrainEvent>>();
  private pending: BulkDrainEventRecord[] = [];
  private flushing: Promise<void> = Promise.resolve();
  /** Events of this coordinator's lease handed to the store so far: the next commit's first step. */
  private committedSteps = 0;
  private readonly log: Logger;

  constructor(
    private readonly deps: BulkDrainRunDeps,
    private readonly job: BulkDrainJob,
    private readonly lease: NodeLease,
    private readonly start: BulkDrainRunStart,
  ) {
    this.log = deps.logger.child({ bulk: job.id, cluster: job.cluster });
    this.cancelled = start.cancelRequested;
    this.stopped = job.stoppedOnFailure === true;
  }

  /** Stops starting nodes and cancels the running node drains; resolves when they confirmed. */
  cancel(): Promise<void> {
    this.cancelled = true;
    this.cancelling ??= Promise.all([...this.running.values()].map((id) => this.cancelNodeJob(id))).then(
      () => undefined,
    );
    return this.cancelling;
  }

  /**
   * Shutdown: starts no more nodes, writes nothing more and stops following; the run ends and
   * gives its lease up, so another replica can take the bulk over at once.
   */
  halt(): void {
    if (this.halted) return;
    this.halted = true;
    this.stopped = true;
    this.pending = [];
    for (const stream of this.streams) void stream.return?.();
  }

  async run(): Promise<void> {
    try {
      this.keeper = new LeaseKeeper({
        ...this.deps,
        lease: this.lease,
        jobId: this.job.id,
        logger: this.log,
      });
      await this.keeper.start((reason) => {
        if (reason === 'cancel') void this.cancel();
        else this.loseLease('the lease was taken or lapsed');
      });
      this.begin();
      await this.driveNodes();
      if (this.halted) return;
      for (const node of this.queued()) {
        this.setNode(
          node,
          'CANCELLED',
          this.cancelled ? 'CANCELLED' : 'STOPPED',
          this.cancelled
            ? 'not started: the bulk drain was cancelled'
            : 'not started: another node failed (stopOnFailure)',
        );
      }
      this.finish();
    } catch (err) {
      this.log.error({ err }, 'bulk drain failed unexpectedly');
      this.job.error = `internal error: ${err instanceof Error ? err.message : String(err)}`;
      this.finish('FAILED');
    } finally {
      await this.flushed();
      await this.keeper?.stop(!this.leaseLost && !this.keeper.lost);
    }
  }

  private begin(): void {
    const previous = this.job.runner;
    this.job.state = 'RUNNING';
    this.job.startedAt ??= now();
    this.job.runner = this.deps.replicaId;
    const counts = countBulkNodes(this.job);
    if (!this.start.takeover) {
      this.record(
        'BULK_STARTED',
        null,
        `${counts.QUEUED} node(s) to drain, ${this.job.maxConcurrent} at a time`,
      );
      return;
    }
    this.log.warn({ from: previous, cancelled: this.cancelled }, 'took the bulk drain over');
    this.deps.metrics?.bulkTakeovers.inc();
    this.record(
      'BULK_TAKEN_OVER',
      null,
      `replica ${this.deps.replicaId} took over from ${previous ?? 'nobody'}: ` +
        `${counts.DRAINING} node(s) draining, ${counts.QUEUED} queued` +
        (this.cancelled ? '; cancelling as requested' : ''),
    );
  }

  /**
   * The nodes a previous coordinator started are followed first, each in one of the
   * `maxConcurrent` slots; the queued ones start in the slots as they free up.
   */
  private async driveNodes(): Promise<void> {
    const draining = this.job.nodes.filter((n) => n.state === 'DRAINING');
    const queue = this.queued();
    const { maxConcurrent } = this.job;
    const slots = Math.max(draining.length, Math.min(maxConcurrent, draining.length + queue.length));
    const worker = async (resumed: BulkDrainNode | undefined, mayStart: boolean) => {
      if (resumed) await this.resumeNode(resumed);
      if (!mayStart) return;
      for (let node = queue.shift(); node; node = queue.shift()) {
        if (await this.shouldStop()) break;
        await this.drainNode(node);
      }
    };
    await Promise.all(Array.from({ length: slots }, (_, i) => worker(draining[i], i < maxConcurrent)));
  }

  /** A node a previous coordinator started: its drain job is followed, not started again. */
  private async resumeNode(node: BulkDrainNode): Promise<void> {
    // Never stored so (jobId is set with DRAINING); startDrain would return the node's active drain.
    if (!node.jobId) return this.drainNode(node);
    await this.followNodeJob(node, node.jobId);
  }

  private async drainNode(node: BulkDrainNode): Promise<void> {
    let job: DrainJob;
    try {
      // A drain the previous coordinator started and died before recording: if still active,
      // startDrain returns it; if it has ended meanwhile, it is found by its bulkId and settled
      // from, not followed by a second drain of the node.
      const earlier = this.start.takeover
        ? await this.deps.drains.startedByBulk(this.job.cluster, node.name, this.job.id)
        : undefined;
      job =
        earlier ??
        (await this.deps.drains.startDrain(
          this.job.cluster,
          node.name,
          this.job.options,
          this.job.requestedBy,
          this.job.id,
        ));
    } catch (err) {
      const code = err instanceof DrainRequestError ? err.code : 'DRAIN_FAILED';
      this.failNode(node, code, err instanceof Error ? err.message : String(err));
      return;
    }
    node.jobId = job.id;
    this.setNode(node, 'DRAINING', null, `drain job ${job.id}`);
    await this.followNodeJob(node, job.id);
  }

  private async followNodeJob(node: BulkDrainNode, jobId: string): Promise<void> {
    this.running.set(node.name, jobId);
    try {
      // A cancel that came while the job was being created (or before a takeover) may have missed it.
      if ((await this.shouldStop()) && this.cancelled) void this.cancelNodeJob(jobId);
      await this.follow(node, jobId);
    } finally {
      this.running.delete(node.name);
    }
  }

  /** Forwards the node job's events until its terminal one, which sets the node's state. */
  private async follow(node: BulkDrainNode, jobId: string): Promise<void> {
    if (this.halted) return;
    const after = node.forwardedSequence ?? 0;
    const stream = this.deps.drains.progress(jobId);
    this.streams.add(stream);
    try {
      for await (const event of stream) {
        if (event.kind === 'JOB_SNAPSHOT') {
          // What the job did before this stream began that the bulk log lacks: the job started
          // before it was followed, or a previous coordinator copied only part of it.
          const from = Math.max(after, event.sequence - EARLIER_EVENTS_LIMIT);
          if (event.sequence > from) {
            const earlier = await this.deps.drains.events(jobId, from, event.sequence - from);
            for (const e of earlier) if (e.sequence <= event.sequence) this.forward(node, e);
          }
          continue;
        }
        const { snapshot: _snapshot, ...drainEvent } = event;
        if (event.sequence > after) this.forward(node, drainEvent);
        if (isTerminalEvent(event.kind)) {
          const state = NODE_STATE_OF[event.kind] ?? 'FAILED';
          if (state === 'FAILED') this.failNode(node, 'DRAIN_FAILED', event.message);
          else this.setNode(node, state, null, event.message);
          return;
        }
      }
    } catch (err) {
      if (!this.halted)
        this.failNode(node, 'UPSTREAM_UNAVAILABLE', `lost the drain's progress: ${String(err)}`);
    } finally {
      this.streams.delete(stream);
      await stream.return?.();
    }
    if (!this.halted && !isFinalNodeState(node.state))
      this.failNode(node, 'UPSTREAM_UNAVAILABLE', 'the drain stream ended early');
  }

  private forward(node: BulkDrainNode, drainEvent: DrainProgressEvent): void {
    node.forwardedSequence = drainEvent.sequence;
    this.push({
      kind: 'NODE_DRAIN_EVENT',
      node: node.name,
      nodeState: node.state,
      drainEvent,
      message: null,
    });
  }

  /**
   * Read before each node starts: the stored cancel flag (a published request may have been
   * missed), and whether the lease is still ours, so that a coordinator whose renewals stalled
   * past the lease starts no node beside the one that took the bulk over.
   */
  private async shouldStop(): Promise<boolean> {
    if (this.cancelled || this.stopped) return true;
    const [current, holder] = await Promise.all([
      this.deps.store.get(this.job.id),
      this.deps.lock.holder(this.lease.key),
    ]);
    if (holder !== this.lease.token) this.loseLease('another replica holds the lease, or it lapsed');
    if (current?.cancelRequested) this.cancelled = true;
    return this.cancelled || this.stopped;
  }

  private async cancelNodeJob(id: string): Promise<void> {
    try {
      await this.deps.drains.cancel(id);
    } catch (err) {
      this.log.warn({ err: String(err), job: id }, 'could not cancel a node drain');
    }
  }

  private loseLease(why: string): void {
    if (this.halted) return;
    this.leaseLost = true;
    this.log.warn({ why }, 'lost the coordinator lease; another replica may take the bulk drain over');
    this.halt();
  }

  private finish(forced?: 'FAILED'): void {
    if (this.halted) return;
    const failed = this.job.nodes.filter((n) => n.state === 'FAILED');
    const state = forced ?? (this.cancelled ? 'CANCELLED' : failed.length > 0 ? 'FAILED' : 'SUCCEEDED');
    if (state === 'FAILED' && !this.job.error)
      this.job.error = `${failed.length} node(s) failed: ${failed.map((n) => n.name).join(', ')}`;
    this.job.state = state;
    this.job.finishedAt = now();
    const drained = this.job.nodes.filter((n) => n.state === 'DRAINED').length;
    this.log.info({ state, drained, failed: failed.length }, 'bulk drain finished');
    this.record(`BULK_${state}`, null, state === 'FAILED' ? this.job.error : `${drained} node(s) drained`);
  }

  private queued(): BulkDrainNode[] {
    return this.job.nodes.filter((n) => n.state === 'QUEUED');
  }

  /** A node's drain failed (or could not start): with stopOnFailure, no queued node starts after it. */
  private failNode(node: BulkDrainNode, code: string, message: string | null): void {
    if (this.job.stopOnFailure) {
      this.stopped = true;
      this.job.stoppedOnFailure = true;
    }
    this.setNode(node, 'FAILED', code, message);
  }

  private setNode(
    node: BulkDrainNode,
    state: BulkNodeState,
    code: string | null,
    message: string | null,
  ): void {
    node.state = state;
    node.errorCode = code;
    node.message = message;
    node.updatedAt = now();
    this.push({ kind: 'NODE_STATE', node: node.name, nodeState: state, drainEvent: null, message });
  }

  private record(kind: BulkDrainEventRecord['kind'], node: string | null, message: string | null): void {
    this.push({ kind, node, nodeState: null, drainEvent: null, message });
  }

  /** Queues an event; one commit (the job and every queued event) is in flight at a time. */
  private push(event: Omit<BulkDrainEventRecord, 'at' | 'state'>): void {
    if (this.halted) return;
    this.job.updatedAt = now();
    this.pending.push({ ...event, at: this.job.updatedAt, state: this.job.state });
    this.flushing = this.flushing.then(() => this.flush());
  }

  private async flush(): Promise<void> {
    if (this.pending.length === 0 || this.halted) return;
    const events = this.pending;
    this.pending = [];
    // Every attempt carries the same steps: a retry after a timeout whose first try did run is
    // stored once. Given up on, the steps stay used: had one of the tries run, the next batch is
    // not mistaken for it.
    const firstStep = this.committedSteps + 1;
    this.committedSteps += events.length;
    for (let attempt = 0; !this.halted; attempt++) {
      try {
        const written = await this.deps.store.commit(this.job, events, this.lease, firstStep);
        if (written === undefined) this.loseLease('a commit was refused: the lease is not ours');
        return;
      } catch (err) {
        if (attempt >= 20) {
          this.log.error({ err: String(err) }, 'could not record bulk drain events; dropping them');
          return;
        }
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  }

  private flushed(): Promise<void> {
    return this.flushing;
  }
}

function now(): string {
  return new Date().toISOString();
}
