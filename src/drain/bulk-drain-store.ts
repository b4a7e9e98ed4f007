import type { Unsubscribe } from '../events/pubsub.js';
import type {
  BulkDrainEvent,
  BulkDrainEventRecord,
  BulkDrainJob,
  BulkDrainSnapshot,
} from './bulk-drain-job.js';
import type { NodeLease } from './node-lock.js';

export interface BulkDrainEventHandlers {
  event(event: BulkDrainEvent): void;
  /** The live stream broke (Redis unreachable); no more events will come. */
  error(err: Error): void;
}

/** How much a bulk store keeps. */
export interface BulkDrainStoreLimits {
  /** How long a finished bulk job (and its events) is kept. */
  readonly retentionMs: number;
  /** Events kept per bulk job; older ones are trimmed (the job keeps every node's state). */
  readonly maxEvents: number;
  /** Bulk jobs kept at most (memory); the oldest finished ones go first. */
  readonly maxJobs: number;
}

export const DEFAULT_BULK_DRAIN_STORE_LIMITS: BulkDrainStoreLimits = Object.freeze({
  retentionMs: 3_600_000,
  maxEvents: 20_000,
  maxJobs: 200,
});

/**
 * Bulk drain jobs, their event logs and live streams: in one process (MemoryBulkDrainStore) or
 * shared by every replica on one Redis (RedisBulkDrainStore). Only the coordinating replica,
 * the holder of the bulk's coordinator lease (bulkLeaseKey), commits; anyone may request a cancel.
 */
export interface BulkDrainStore {
  create(job: BulkDrainJob): Promise<void>;
  get(id: string): Promise<BulkDrainSnapshot | undefined>;
  /** Ids of every unfinished (PENDING or RUNNING) bulk job, for the takeover watcher. */
  activeJobIds(): Promise<string[]>;
  /**
   * Saves `job`, appends `events` (numbering them) and publishes them, as one step, if `lease`
   * (the bulk's coordinator lease) is still held by its token. Resolves the last sequence (0 for
   * an unknown job), or undefined when the lease is lost: nothing was written, and another
   * replica may be coordinating the bulk now. A terminal job stops being active.
   *
   * `firstStep` is the identity of `events[0]`: the coordinator numbers its events 1, 2, 3, ...
   * per lease token, and the store appends each at most once, so a commit retried after a timeout
   * although the first try ran records its events once. A batch with nothing new changes nothing.
   * A gap (events the coordinator gave up on) is allowed: the batch is appended.
   */
  commit(
    job: BulkDrainJob,
    events: readonly BulkDrainEventRecord[],
    lease: NodeLease,
    firstStep: number,
  ): Promise<number | undefined>;
  /** Marks an unfinished job for cancellation and records a CANCEL_REQUESTED event, once. */
  requestCancel(id: string, event: BulkDrainEventRecord): Promise<BulkDrainSnapshot | undefined>;
  readEvents(id: string, afterSequence: number, limit: number): Promise<BulkDrainEvent[]>;
  subscribeEvents(id: string, handlers: BulkDrainEventHandlers): Promise<Unsubscribe>;
}
