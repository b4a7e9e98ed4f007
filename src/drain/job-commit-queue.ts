import type { Logger } from '../platform/logger.js';
import type { DrainEventRecord } from './drain-event.js';
import { type DrainJob, isTerminalState } from './drain-job.js';
import { DEFAULT_DRAIN_STORE_LIMITS, DrainCommitGapError, type DrainJobStore } from './drain-job-store.js';
import type { NodeLease } from './node-lock.js';

export interface JobCommitQueueOptions {
  readonly store: DrainJobStore;
  /** The job the runner changes in place; each commit saves it as it is then. */
  readonly job: DrainJob;
  readonly lease: NodeLease;
  /** The job's last stored sequence when this run began; else learnt from the first commit. */
  readonly lastSequence?: number;
  /** Wait before retrying a commit the store could not take (it is unreachable). */
  readonly retryDelayMs: number;
  /** The store refused a commit: the lease (or the job) is gone; the run decides what it means. */
  readonly onLeaseLost: () => void;
  readonly logger: Logger;
  /** Committed events remembered to re-create the job if the store loses it. @default maxEventsPerJob */
  readonly tailLimit?: number;
}

/**
 * Commits a running job's events to the store in order, one batch at a time: events recorded
 * while a commit is in flight go out together with the job as it is when the next commit
 * starts, so a slow store costs fewer, larger writes and never reorders anything. The job and
 * its events are saved atomically, so a reader never sees one without the other.
 *
 * Every event is numbered (its step, 1, 2, ... under this run's lease token) and a batch is sent
 * with the step of its first event, so the store appends each step at most once: a commit that
 * timed out but ran later, then retried, does not double a step. The queue also remembers the
 * newest committed events, from which the run re-creates the job if the store loses it.
 */
export class JobCommitQueue {
  private pending: DrainEventRecord[] = [];
  private flushing: Promise<void> | undefined;
  private paused = false;
  /** The step of the last event the store confirmed. */
  private committedStep = 0;
  private lastSequence: number;
  private readonly tail: DrainEventRecord[] = [];
  private readonly tailLimit: number;

  constructor(private readonly options: JobCommitQueueOptions) {
    this.lastSequence = options.lastSequence ?? 0;
    this.tailLimit = options.tailLimit ?? DEFAULT_DRAIN_STORE_LIMITS.maxEventsPerJob;
  }

  push(event: DrainEventRecord): void {
    this.pending.push(event);
    if (!this.paused) this.flushing ??= this.flush();
  }

  /** Resolves once everything pushed so far is committed (or can no longer be). */
  async flushed(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  private async flush(): Promise<void> {
    const { store, job, lease } = this.options;
    try {
      while (this.pending.length > 0 && !this.paused) {
        const events = this.pending;
        this.pending = [];
        try {
          const sequence = await store.commit(job, events, lease, this.committedStep + 1);
          if (sequence === undefined) {
            // Kept: if the store lost the job, the run re-creates it and these go out after.
            this.pending = [...events, ...this.pending];
            this.paused = true;
            this.options.onLeaseLost();
          } else {
            this.confirmed(events, sequence);
          }
        } catch (err) {
          this.pending = [...events, ...this.pending];
          if (err instanceof DrainCommitGapError) {
            this.options.logger.error({ err: String(err) }, 'drain progress refused; stopping');
            this.paused = true;
            this.options.onLeaseLost();
            return;
          }
          // The store is unreachable: keep the events and retry until the lease keeper gives up.
          this.options.logger.warn({ err: String(err) }, 'cannot record drain progress; retrying');
          await new Promise((r) => setTimeout(r, this.options.retryDelayMs));
        }
      }
    } finally {
      this.flushing = undefined;
    }
  }

  private confirmed(events: readonly DrainEventRecord[], sequence: number): void {
    this.committedStep += events.length;
    this.lastSequence = sequence;
    this.tail.push(...events);
    if (this.tail.length > this.tailLimit) this.tail.splice(0, this.tail.length - this.tailLimit);
  }

  /** Stops committing (the lease is gone or in doubt); pushed events wait for `resume`. */
  abandon(): void {
    this.paused = true;
  }

  /** Commits again after the run proved the lease its own. */
  resume(): void {
    this.paused = false;
    if (this.pending.length > 0) this.flushing ??= this.flush();
  }

  /**
   * Re-creates the job in a store that lost it, from the committed events remembered. A
   * terminal job is written finished with every event, uncommitted ones included; an active one
   * gets its lease back and its uncommitted events follow through `resume`. Resolves false when
   * the store refused (another job of the node, or another lease holder).
   */
  async restore(leaseMs: number): Promise<boolean> {
    const { store, job, lease } = this.options;
    const terminal = isTerminalState(job.state);
    const events = terminal ? [...this.tail, ...this.pending] : this.tail;
    const extra = terminal ? this.pending.length : 0;
    const recovered = {
      events,
      lastSequence: this.lastSequence + extra,
      lastStep: this.committedStep + extra,
    };
    if (!(await store.restore({ ...job }, recovered, lease, leaseMs))) return false;
    if (terminal) this.confirmed(this.pending.splice(0), recovered.lastSequence);
    return true;
  }
}
