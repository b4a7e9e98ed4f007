import type { Unsubscribe } from '../events/pubsub.js';
import type {
  BulkDrainEvent,
  BulkDrainEventRecord,
  BulkDrainJob,
  BulkDrainSnapshot,
} from './bulk-drain-job.js';

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
 * shared by every replica on one Redis (RedisBulkDrainStore). Only the coordinating replica
 * commits; anyone may request a cancel.
 */
export interface BulkDrainStore {
  create(job: BulkDrainJob): Promise<void>;
  get(id: string): Promise<BulkDrainSnapshot | undefined>;
  /** Saves `job`, appends `events` (numbering them) and publishes them, as one step. Resolves the last sequence. */
  commit(job: BulkDrainJob, events: readonly BulkDrainEventRecord[]): Promise<number>;
  /** Marks an unfinished job for cancellation and records a CANCEL_REQUESTED event, once. */
  requestCancel(id: string, event: BulkDrainEventRecord): Promise<BulkDrainSnapshot | undefined>;
  readEvents(id: string, afterSequence: number, limit: number): Promise<BulkDrainEvent[]>;
  subscribeEvents(id: string, handlers: BulkDrainEventHandlers): Promise<Unsubscribe>;
}
