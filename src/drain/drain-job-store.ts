import type { Unsubscribe } from '../events/pubsub.js';
import type { DrainEventRecord, DrainProgressEvent } from './drain-event.js';
import type { DrainJob, DrainJobSnapshot } from './drain-job.js';
import type { NodeLease } from './node-lock.js';

export interface DrainJobFilter {
  readonly cluster?: string;
  readonly node?: string;
  /** true: PENDING and RUNNING jobs only; false: finished ones only. */
  readonly active?: boolean;
  /** Newest first, at most this many. */
  readonly limit: number;
}

export interface DrainEventHandlers {
  event(event: DrainProgressEvent): void;
  /** The live stream broke (Redis unreachable); no more events will come. */
  error(err: Error): void;
}

/** How much a store keeps. */
export interface DrainStoreLimits {
  /** How long a finished job (and its events) is kept. @default 1 hour */
  readonly retentionMs: number;
  /** Events kept per job; older ones are trimmed (the job itself keeps every pod's state). @default 10000 */
  readonly maxEventsPerJob: number;
  /**
   * Jobs kept (and listed) at most. Only finished jobs are evicted for new ones, oldest first;
   * when all are active, a new drain is refused (RATE_LIMITED). @default 1000
   */
  readonly maxJobs: number;
}

export const DEFAULT_DRAIN_STORE_LIMITS: DrainStoreLimits = Object.freeze({
  retentionMs: 3_600_000,
  maxEventsPerJob: 10_000,
  maxJobs: 1000,
});

/**
 * Drain jobs, their event logs and the live stream of their events. One process
 * (MemoryDrainJobStore) or every replica on one Redis (RedisDrainJobStore). Only the holder of
 * the node's lease writes a job (`commit` is fenced by it); anyone may request a cancel.
 * Failures to reach the backing store reject with RedisUnavailableError.
 */
export interface DrainJobStore {
  /**
   * Stores `job` unless an active job exists for its node, atomically: two replicas racing for
   * one node get one job. Resolves the node's active job and whether it is the one given.
   * Makes room by dropping the oldest finished job; rejects with a RATE_LIMITED
   * DrainRequestError when `maxJobs` jobs are all active.
   */
  createUnlessActive(job: DrainJob): Promise<{ job: DrainJob; created: boolean }>;
  get(id: string): Promise<DrainJobSnapshot | undefined>;
  activeJobFor(cluster: string, node: string): Promise<DrainJob | undefined>;
  list(filter: DrainJobFilter): Promise<DrainJob[]>;
  /** Ids of every PENDING or RUNNING job, for the takeover watcher. */
  activeJobIds(): Promise<string[]>;
  /**
   * Saves `job`, appends `events` (assigning their sequence numbers) and publishes them, as one
   * atomic step, if `lease` still holds the job's node. Resolves the last sequence, or undefined
   * when the lease was lost (nothing written). A terminal job stops being active and starts to
   * expire. `job` is serialized before the call returns, so the caller may go on changing it.
   *
   * `firstStep` is the identity of `events[0]`: the runner numbers its steps 1, 2, 3, ... per
   * lease token, and the store appends each step at most once. Steps it already has (a commit
   * retried after a timeout although the first try ran, or a late copy of an older commit) are
   * skipped, and a batch with nothing new changes nothing, not even the job; a batch that would
   * leave a gap rejects with DrainCommitGapError. Without it the events are appended as the next
   * steps.
   */
  commit(
    job: DrainJob,
    events: readonly DrainEventRecord[],
    lease: NodeLease,
    firstStep?: number,
  ): Promise<number | undefined>;
  /**
   * Re-creates a job the store lost (Redis restarted without its data) from what its runner
   * holds in memory: the job, its latest events (numbered so the last is `lastSequence`) and
   * how far its steps went (`lastStep` under `lease.token`). An active job also gets back its
   * node's active entry and `lease` (for `leaseMs`). Resolves false, writing nothing, if the job
   * exists, or (active job) if another job is the node's active one or another token holds the
   * lease. Publishes nothing: live streams broke with the outage, and readers resume from the log.
   */
  restore(job: DrainJob, recovered: RecoveredEvents, lease: NodeLease, leaseMs: number): Promise<boolean>;
  /** Marks an active job for cancellation and records a CANCEL_REQUESTED event, once. */
  requestCancel(id: string, event: DrainEventRecord): Promise<DrainJobSnapshot | undefined>;
  /** Events with a sequence greater than `afterSequence`, oldest first, at most `limit`. */
  readEvents(id: string, afterSequence: number, limit: number): Promise<DrainProgressEvent[]>;
  /** Live events of one job from now on. Resolves once subscribed. */
  subscribeEvents(id: string, handlers: DrainEventHandlers): Promise<Unsubscribe>;
}

/** What a runner remembers of a job's event log, to re-create it. */
export interface RecoveredEvents {
  /** The newest events, oldest first; the last one has `lastSequence`. */
  readonly events: readonly DrainEventRecord[];
  readonly lastSequence: number;
  /** The runner's step number of the last event it committed under the lease token. */
  readonly lastStep: number;
}

/** A commit's first step is beyond the next one the store expects: an event would be lost. */
export class DrainCommitGapError extends Error {
  override readonly name = 'DrainCommitGapError';
}

/** The pubsub topic of a job's events. */
export function drainEventTopic(jobId: string): string {
  return `drain:${jobId}`;
}
