import type { Logger } from '../platform/logger.js';
import {
  type BulkDrainEventRecord,
  type BulkDrainJob,
  type BulkDrainNode,
  type BulkNodeState,
  isFinalNodeState,
} from './bulk-drain-job.js';
import type { BulkDrainStore } from './bulk-drain-store.js';
import { DrainRequestError } from './drain-errors.js';
import { type DrainProgressEvent, isTerminalEvent } from './drain-event.js';
import type { DrainJob, DrainRequester } from './drain-job.js';
import type { DrainOptions } from './drain-options.js';
import type { DeliveredDrainEvent } from './drain-progress-stream.js';

/** What a bulk drain uses of the single-node drains (DrainService). */
export interface NodeDrains {
  startDrain(
    cluster: string,
    node: string,
    options: DrainOptions,
    by: DrainRequester | null,
  ): Promise<DrainJob>;
  cancel(id: string): Promise<DrainJob>;
  progress(id: string): AsyncIterableIterator<DeliveredDrainEvent>;
  events(id: string, afterSequence: number, limit: number): Promise<DrainProgressEvent[]>;
}

/** Most earlier events of a node's job copied into the bulk log when following it starts. */
const EARLIER_EVENTS_LIMIT = 1000;

export interface BulkDrainRunDeps {
  readonly store: BulkDrainStore;
  readonly drains: NodeDrains;
  readonly logger: Logger;
  readonly replicaId: string;
}

const NODE_STATE_OF: Partial<Record<DrainProgressEvent['kind'], BulkNodeState>> = {
  JOB_SUCCEEDED: 'DRAINED',
  JOB_FAILED: 'FAILED',
  JOB_CANCELLED: 'CANCELLED',
};

/**
 * Coordinates one bulk drain on the replica that created it: starts the queued nodes' drains,
 * at most `maxConcurrent` at once, each an ordinary drain job (its lease, its impersonation, its
 * takeover), follows each job's events into the bulk log, and stops starting nodes on a cancel or,
 * with stopOnFailure, on the first failed node. Concurrent drains share the cluster's
 * PodDisruptionBudgets: an eviction the apiserver refuses (429) is retried by the node's drain.
 */
export class BulkDrainRun {
  private cancelled = false;
  private stopped = false;
  /** The gateway shuts down: nothing more is started or written. */
  private halted = false;
  private readonly running = new Map<string, string>();
  private pending: BulkDrainEventRecord[] = [];
  private flushing: Promise<void> = Promise.resolve();
  private readonly log: Logger;

  constructor(
    private readonly deps: BulkDrainRunDeps,
    private readonly job: BulkDrainJob,
  ) {
    this.log = deps.logger.child({ bulk: job.id, cluster: job.cluster });
  }

  /** Stops starting nodes and cancels the running node drains; resolves when they confirmed. */
  async cancel(): Promise<void> {
    this.cancelled = true;
    await Promise.all([...this.running.values()].map((id) => this.cancelNodeJob(id)));
  }

  /** Shutdown: starts no more nodes and writes nothing more; the node drains end as the shutdown says. */
  halt(): void {
    this.halted = true;
    this.stopped = true;
    this.pending = [];
  }

  async run(): Promise<void> {
    const unsubscribe = await this.deps.store.subscribeEvents(this.job.id, {
      event: (e) => {
        if (e.kind === 'CANCEL_REQUESTED') void this.cancel();
      },
      error: () => undefined, // the flag is re-read before each node starts
    });
    try {
      this.job.state = 'RUNNING';
      this.job.startedAt = now();
      this.job.runner = this.deps.replicaId;
      this.record(
        'BULK_STARTED',
        null,
        `${this.queued().length} node(s) to drain, ${this.job.maxConcurrent} at a time`,
      );
      const queue = this.queued();
      const worker = async () => {
        for (let node = queue.shift(); node; node = queue.shift()) {
          if (await this.shouldStop()) break;
          await this.drainNode(node);
        }
      };
      await Promise.all(
        Array.from({ length: Math.min(this.job.maxConcurrent, Math.max(1, queue.length)) }, worker),
      );
      for (const node of this.job.nodes.filter((n) => n.state === 'QUEUED')) {
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
      await unsubscribe();
    }
  }

  private async drainNode(node: BulkDrainNode): Promise<void> {
    let job: DrainJob;
    try {
      job = await this.deps.drains.startDrain(
        this.job.cluster,
        node.name,
        this.job.options,
        this.job.requestedBy,
      );
    } catch (err) {
      const code = err instanceof DrainRequestError ? err.code : 'DRAIN_FAILED';
      this.setNode(node, 'FAILED', code, err instanceof Error ? err.message : String(err));
      if (this.job.stopOnFailure) this.stopped = true;
      return;
    }
    node.jobId = job.id;
    this.running.set(node.name, job.id);
    this.setNode(node, 'DRAINING', null, `drain job ${job.id}`);
    try {
      // A cancel that came while the job was being created may have missed it.
      if ((await this.shouldStop()) && this.cancelled) void this.cancelNodeJob(job.id);
      await this.follow(node, job.id);
    } finally {
      this.running.delete(node.name);
    }
    if (node.state === 'FAILED' && this.job.stopOnFailure) this.stopped = true;
  }

  /** Forwards the node job's events until its terminal one, which sets the node's state. */
  private async follow(node: BulkDrainNode, jobId: string): Promise<void> {
    const stream = this.deps.drains.progress(jobId);
    try {
      for await (const event of stream) {
        if (event.kind === 'JOB_SNAPSHOT') {
          // What the job did before this stream began (it started before it was followed).
          const limit = Math.min(event.sequence, EARLIER_EVENTS_LIMIT);
          const earlier = await this.deps.drains.events(jobId, event.sequence - limit, limit);
          for (const e of earlier) if (e.sequence <= event.sequence) this.forward(node, e);
          continue;
        }
        const { snapshot: _snapshot, ...drainEvent } = event;
        this.forward(node, drainEvent);
        if (isTerminalEvent(event.kind)) {
          const state = NODE_STATE_OF[event.kind] ?? 'FAILED';
          this.setNode(node, state, state === 'FAILED' ? 'DRAIN_FAILED' : null, event.message);
          return;
        }
      }
    } catch (err) {
      this.setNode(node, 'FAILED', 'UPSTREAM_UNAVAILABLE', `lost the drain's progress: ${String(err)}`);
    } finally {
      await stream.return?.();
    }
    if (!isFinalNodeState(node.state))
      this.setNode(node, 'FAILED', 'UPSTREAM_UNAVAILABLE', 'the drain stream ended early');
  }

  private forward(node: BulkDrainNode, drainEvent: DrainProgressEvent): void {
    this.push({
      kind: 'NODE_DRAIN_EVENT',
      node: node.name,
      nodeState: node.state,
      drainEvent,
      message: null,
    });
  }

  private async shouldStop(): Promise<boolean> {
    if (this.cancelled || this.stopped) return true;
    const current = await this.deps.store.get(this.job.id);
    if (current?.cancelRequested) this.cancelled = true;
    return this.cancelled;
  }

  private async cancelNodeJob(id: string): Promise<void> {
    try {
      await this.deps.drains.cancel(id);
    } catch (err) {
      this.log.warn({ err: String(err), job: id }, 'could not cancel a node drain');
    }
  }

  private finish(forced?: 'FAILED'): void {
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
    for (let attempt = 0; ; attempt++) {
      try {
        await this.deps.store.commit(this.job, events);
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
