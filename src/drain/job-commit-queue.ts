import type { Logger } from '../platform/logger.js';
import type { DrainEventRecord } from './drain-event.js';
import type { DrainJob } from './drain-job.js';
import type { DrainJobStore } from './drain-job-store.js';
import type { NodeLease } from './node-lock.js';

export interface JobCommitQueueOptions {
  readonly store: DrainJobStore;
  /** The job the runner changes in place; each commit saves it as it is then. */
  readonly job: DrainJob;
  readonly lease: NodeLease;
  /** Wait before retrying a commit the store could not take (it is unreachable). */
  readonly retryDelayMs: number;
  /** The store refused a commit: someone else holds the node's lease now. */
  readonly onLeaseLost: () => void;
  readonly logger: Logger;
}

/**
 * Commits a running job's events to the store in order, one batch at a time: events recorded
 * while a commit is in flight go out together with the job as it is when the next commit
 * starts, so a slow store costs fewer, larger writes and never reorders anything. The job and
 * its events are saved atomically, so a reader never sees one without the other.
 */
export class JobCommitQueue {
  private pending: DrainEventRecord[] = [];
  private flushing: Promise<void> | undefined;
  private leaseLost = false;

  constructor(private readonly options: JobCommitQueueOptions) {}

  push(event: DrainEventRecord): void {
    this.pending.push(event);
    this.flushing ??= this.flush();
  }

  /** Resolves once everything pushed so far is committed (or can no longer be). */
  async flushed(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  private async flush(): Promise<void> {
    const { store, job, lease } = this.options;
    try {
      while (this.pending.length > 0 && !this.leaseLost) {
        const events = this.pending;
        this.pending = [];
        try {
          if ((await store.commit(job, events, lease)) === undefined) {
            this.leaseLost = true;
            this.options.onLeaseLost();
          }
        } catch (err) {
          // The store is unreachable: keep the events and retry until the lease keeper gives up.
          this.pending = [...events, ...this.pending];
          this.options.logger.warn({ err: String(err) }, 'cannot record drain progress; retrying');
          await new Promise((r) => setTimeout(r, this.options.retryDelayMs));
        }
      }
    } finally {
      this.flushing = undefined;
    }
  }

  /** Stops retrying (the lease keeper found the lease gone). */
  abandon(): void {
    this.leaseLost = true;
  }
}
