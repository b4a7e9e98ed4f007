import type { MemoryPubSub } from '../events/memory-pubsub.js';
import type { Unsubscribe } from '../events/pubsub.js';
import { drainStoreFullError } from './drain-errors.js';
import { type DrainEventRecord, type DrainProgressEvent, decodeEvent, encodeEvent } from './drain-event.js';
import { type DrainJob, type DrainJobSnapshot, isTerminalState } from './drain-job.js';
import {
  DEFAULT_DRAIN_STORE_LIMITS,
  DrainCommitGapError,
  type DrainEventHandlers,
  type DrainJobFilter,
  type DrainJobStore,
  type DrainStoreLimits,
  drainEventTopic,
  type RecoveredEvents,
} from './drain-job-store.js';
import type { MemoryNodeLock } from './memory-node-lock.js';
import type { NodeLease } from './node-lock.js';
import { subscribeJobEvents } from './subscribe-job-events.js';

interface StoredJob {
  /** Serialized, so callers never share (and mutate) what the store holds. */
  json: string;
  cluster: string;
  node: string;
  active: boolean;
  finishedAt: number | null;
  sequence: number;
  cancelRequested: boolean;
  events: string[];
  /** The lease token whose steps `step` counts, and the last of its steps stored. */
  run: string | null;
  step: number;
}

/** DrainJobStore for a single gateway process: jobs live as long as the process. */
export class MemoryDrainJobStore implements DrainJobStore {
  /** In creation order, which is what `list` walks (newest first). */
  private readonly jobs = new Map<string, StoredJob>();
  private readonly activeByNode = new Map<string, string>();

  constructor(
    private readonly lock: MemoryNodeLock,
    private readonly pubsub: MemoryPubSub,
    private readonly limits: DrainStoreLimits = DEFAULT_DRAIN_STORE_LIMITS,
  ) {}

  async createUnlessActive(job: DrainJob): Promise<{ job: DrainJob; created: boolean }> {
    this.prune();
    const existing = this.activeByNode.get(nodeKey(job.cluster, job.node));
    const stored = existing === undefined ? undefined : this.jobs.get(existing);
    if (stored) return { job: JSON.parse(stored.json) as DrainJob, created: false };
    if (this.jobs.size >= this.limits.maxJobs && !this.evictOldestFinished()) {
      throw drainStoreFullError(this.limits.maxJobs);
    }
    this.jobs.set(job.id, {
      json: JSON.stringify(job),
      cluster: job.cluster,
      node: job.node,
      active: true,
      finishedAt: null,
      sequence: 0,
      cancelRequested: false,
      events: [],
      run: null,
      step: 0,
    });
    this.activeByNode.set(nodeKey(job.cluster, job.node), job.id);
    return { job: structuredClone(job), created: true };
  }

  async get(id: string): Promise<DrainJobSnapshot | undefined> {
    const stored = this.jobs.get(id);
    if (!stored) return undefined;
    return {
      job: JSON.parse(stored.json) as DrainJob,
      lastSequence: stored.sequence,
      cancelRequested: stored.cancelRequested,
    };
  }

  async activeJobFor(cluster: string, node: string): Promise<DrainJob | undefined> {
    const id = this.activeByNode.get(nodeKey(cluster, node));
    return id === undefined ? undefined : (await this.get(id))?.job;
  }

  async list(filter: DrainJobFilter): Promise<DrainJob[]> {
    this.prune();
    const found: DrainJob[] = [];
    for (const stored of [...this.jobs.values()].reverse()) {
      if (found.length >= filter.limit) break;
      if (filter.cluster !== undefined && stored.cluster !== filter.cluster) continue;
      if (filter.node !== undefined && stored.node !== filter.node) continue;
      if (filter.active !== undefined && stored.active !== filter.active) continue;
      found.push(JSON.parse(stored.json) as DrainJob);
    }
    return found;
  }

  async activeJobIds(): Promise<string[]> {
    return [...this.activeByNode.values()];
  }

  async commit(
    job: DrainJob,
    events: readonly DrainEventRecord[],
    lease: NodeLease,
    firstStep?: number,
  ): Promise<number | undefined> {
    const stored = this.jobs.get(job.id);
    if (!stored || !this.lock.holds(lease)) return undefined;
    // The same step check as the Redis script: each step of a run is appended at most once.
    const last = stored.run === lease.token ? stored.step : 0;
    const first = firstStep ?? last + 1;
    if (first > last + 1)
      throw new DrainCommitGapError(`drain ${job.id}: commit from step ${first} leaves a gap`);
    const skip = last - first + 1;
    if (skip > 0 && skip >= events.length) return stored.sequence;
    stored.run = lease.token;
    stored.step = first + events.length - 1;
    stored.json = JSON.stringify(job);
    if (isTerminalState(job.state) && stored.active) {
      stored.active = false;
      stored.finishedAt = Date.now();
      if (this.activeByNode.get(nodeKey(job.cluster, job.node)) === job.id) {
        this.activeByNode.delete(nodeKey(job.cluster, job.node));
      }
    }
    for (const event of events.slice(skip)) this.append(job.id, stored, event);
    return stored.sequence;
  }

  async restore(
    job: DrainJob,
    recovered: RecoveredEvents,
    lease: NodeLease,
    leaseMs: number,
  ): Promise<boolean> {
    if (this.jobs.has(job.id)) return false;
    const node = nodeKey(job.cluster, job.node);
    const terminal = isTerminalState(job.state);
    if (!terminal) {
      const current = this.activeByNode.get(node);
      if (current !== undefined && current !== job.id && this.jobs.has(current)) return false;
      if (!this.lock.acquireNow(lease.key, lease.token, leaseMs)) return false;
      this.activeByNode.set(node, job.id);
    }
    const kept = recovered.events.slice(-this.limits.maxEventsPerJob);
    const first = recovered.lastSequence - kept.length + 1;
    this.jobs.set(job.id, {
      json: JSON.stringify(job),
      cluster: job.cluster,
      node: job.node,
      active: !terminal,
      finishedAt: terminal ? Date.now() : null,
      sequence: recovered.lastSequence,
      cancelRequested: false,
      events: kept.map((e, i) => encodeEvent(first + i, e)),
      run: lease.token,
      step: recovered.lastStep,
    });
    return true;
  }

  async requestCancel(id: string, event: DrainEventRecord): Promise<DrainJobSnapshot | undefined> {
    const stored = this.jobs.get(id);
    if (!stored) return undefined;
    if (stored.active && !stored.cancelRequested) {
      stored.cancelRequested = true;
      this.append(id, stored, event);
    }
    return this.get(id);
  }

  async readEvents(id: string, afterSequence: number, limit: number): Promise<DrainProgressEvent[]> {
    const stored = this.jobs.get(id);
    if (!stored) return [];
    const first = stored.sequence - stored.events.length + 1; // sequence of events[0]
    const start = Math.max(0, afterSequence + 1 - first);
    return stored.events.slice(start, start + limit).map((e) => decodeEvent(id, e));
  }

  subscribeEvents(id: string, handlers: DrainEventHandlers): Promise<Unsubscribe> {
    return subscribeJobEvents(this.pubsub, id, handlers);
  }

  private append(id: string, stored: StoredJob, event: DrainEventRecord): number {
    stored.sequence++;
    const encoded = encodeEvent(stored.sequence, event);
    stored.events.push(encoded);
    if (stored.events.length > this.limits.maxEventsPerJob) stored.events.shift();
    this.pubsub.publishNow(drainEventTopic(id), encoded);
    return stored.sequence;
  }

  /**
   * Drops finished jobs past retention, and the oldest finished ones while more than `maxJobs`
   * are kept (a restore may add one beyond). Active jobs are never dropped.
   */
  private prune(): void {
    const expiredBefore = Date.now() - this.limits.retentionMs;
    for (const [id, stored] of this.jobs) {
      if (stored.active || stored.finishedAt === null) continue;
      if (stored.finishedAt >= expiredBefore && this.jobs.size <= this.limits.maxJobs) continue;
      this.jobs.delete(id);
    }
  }

  /** Drops the oldest finished job (the map is in creation order); false if every job is active. */
  private evictOldestFinished(): boolean {
    for (const [id, stored] of this.jobs) {
      if (stored.active) continue;
      this.jobs.delete(id);
      return true;
    }
    return false;
  }
}

function nodeKey(cluster: string, node: string): string {
  return `${cluster}\n${node}`;
}
