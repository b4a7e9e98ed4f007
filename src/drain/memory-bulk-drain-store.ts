import type { MemoryPubSub } from '../events/memory-pubsub.js';
import type { Unsubscribe } from '../events/pubsub.js';
import {
  type BulkDrainEvent,
  type BulkDrainEventRecord,
  type BulkDrainJob,
  type BulkDrainSnapshot,
  bulkDrainTopic,
  decodeBulkEvent,
  encodeBulkEvent,
  isTerminalBulkState,
} from './bulk-drain-job.js';
import {
  type BulkDrainEventHandlers,
  type BulkDrainStore,
  type BulkDrainStoreLimits,
  DEFAULT_BULK_DRAIN_STORE_LIMITS,
} from './bulk-drain-store.js';
import { DrainRequestError } from './drain-errors.js';
import { bulkLeaseKey, type NodeLease, type NodeLock } from './node-lock.js';

interface Entry {
  json: string;
  seq: number;
  cancel: boolean;
  /** The lease token of the last commit, and the last step it stored (see BulkDrainStore.commit). */
  run?: string;
  step?: number;
  events: string[];
  finishedAt: number | null;
}

/**
 * BulkDrainStore of one process. Its commits are fenced by `lock` like the Redis store's, so the
 * interface holds the same, although in one process nobody else could take a bulk over.
 */
export class MemoryBulkDrainStore implements BulkDrainStore {
  private readonly jobs = new Map<string, Entry>();

  constructor(
    private readonly lock: NodeLock,
    private readonly pubsub: MemoryPubSub,
    private readonly limits: BulkDrainStoreLimits = DEFAULT_BULK_DRAIN_STORE_LIMITS,
    private readonly now: () => number = Date.now,
  ) {}

  async create(job: BulkDrainJob): Promise<void> {
    this.prune();
    if (this.jobs.size >= this.limits.maxJobs) {
      throw new DrainRequestError(
        'RATE_LIMITED',
        `${this.limits.maxJobs} bulk drains are active, the most the gateway keeps; retry when one has finished`,
        { limit: 'active-bulk-drains', max: this.limits.maxJobs },
      );
    }
    this.jobs.set(job.id, { json: JSON.stringify(job), seq: 0, cancel: false, events: [], finishedAt: null });
  }

  async get(id: string): Promise<BulkDrainSnapshot | undefined> {
    const entry = this.live(id);
    if (!entry) return undefined;
    return {
      job: JSON.parse(entry.json) as BulkDrainJob,
      lastSequence: entry.seq,
      cancelRequested: entry.cancel,
    };
  }

  async activeJobIds(): Promise<string[]> {
    return [...this.jobs].filter(([, entry]) => entry.finishedAt === null).map(([id]) => id);
  }

  async commit(
    job: BulkDrainJob,
    events: readonly BulkDrainEventRecord[],
    lease: NodeLease,
    firstStep: number,
  ): Promise<number | undefined> {
    // Serialized before the await: the caller may go on changing the job.
    const json = JSON.stringify(job);
    const terminal = isTerminalBulkState(job.state);
    if ((await this.lock.holder(bulkLeaseKey(job.id))) !== lease.token) return undefined;
    const entry = this.jobs.get(job.id);
    if (!entry) return 0;
    // The same step check as the Redis script: each step of a run is appended at most once.
    const last = entry.run === lease.token ? (entry.step ?? 0) : 0;
    const skip = Math.max(0, last - firstStep + 1);
    if (skip >= events.length) return entry.seq;
    entry.run = lease.token;
    entry.step = firstStep + events.length - 1;
    entry.json = json;
    for (const event of events.slice(skip)) this.append(job.id, entry, event);
    if (terminal) entry.finishedAt ??= this.now();
    return entry.seq;
  }

  async requestCancel(id: string, event: BulkDrainEventRecord): Promise<BulkDrainSnapshot | undefined> {
    const entry = this.live(id);
    if (!entry) return undefined;
    const job = JSON.parse(entry.json) as BulkDrainJob;
    if (!entry.cancel && !isTerminalBulkState(job.state)) {
      entry.cancel = true;
      this.append(id, entry, event);
    }
    return this.get(id);
  }

  async readEvents(id: string, afterSequence: number, limit: number): Promise<BulkDrainEvent[]> {
    const entry = this.live(id);
    if (!entry || limit <= 0) return [];
    const events = entry.events.map((e) => decodeBulkEvent(id, e)).filter((e) => e.sequence > afterSequence);
    return events.slice(0, limit);
  }

  subscribeEvents(id: string, handlers: BulkDrainEventHandlers): Promise<Unsubscribe> {
    return this.pubsub.subscribe(bulkDrainTopic(id), {
      message: (message) => handlers.event(decodeBulkEvent(id, message)),
      error: (err) => handlers.error(err),
    });
  }

  private append(id: string, entry: Entry, event: BulkDrainEventRecord): void {
    const encoded = encodeBulkEvent(++entry.seq, event);
    entry.events.push(encoded);
    if (entry.events.length > this.limits.maxEvents)
      entry.events.splice(0, entry.events.length - this.limits.maxEvents);
    this.pubsub.publishNow(bulkDrainTopic(id), encoded);
  }

  private live(id: string): Entry | undefined {
    const entry = this.jobs.get(id);
    if (entry?.finishedAt != null && this.now() - entry.finishedAt > this.limits.retentionMs) {
      this.jobs.delete(id);
      return undefined;
    }
    return entry;
  }

  /** Drops expired jobs, then the oldest finished ones while there are too many. */
  private prune(): void {
    for (const id of [...this.jobs.keys()]) this.live(id);
    for (const [id, entry] of this.jobs) {
      if (this.jobs.size < this.limits.maxJobs) break;
      if (entry.finishedAt !== null) this.jobs.delete(id);
    }
  }
}
