import { randomUUID } from 'node:crypto';
import type { Logger } from '../platform/logger.js';
import {
  type BulkDrainEvent,
  type BulkDrainJob,
  type BulkDrainNode,
  isTerminalBulkEvent,
  isTerminalBulkState,
} from './bulk-drain-job.js';
import { bulkDrainProgressStream, type DeliveredBulkDrainEvent } from './bulk-drain-progress-stream.js';
import { BulkDrainRun, type NodeDrains } from './bulk-drain-run.js';
import type { BulkDrainStore } from './bulk-drain-store.js';
import { DrainRequestError } from './drain-errors.js';
import type { DrainRequester } from './drain-job.js';
import type { DrainOptions } from './drain-options.js';

export interface BulkDrainServiceOptions {
  readonly store: BulkDrainStore;
  readonly drains: NodeDrains;
  readonly logger: Logger;
  readonly replicaId: string;
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
 * Bulk drains: one job over many nodes, coordinated by the replica that created it
 * (BulkDrainRun), readable, followable and cancellable from every replica through the store.
 */
export class BulkDrainService {
  private readonly runs = new Map<string, { run: BulkDrainRun; done: Promise<void> }>();

  constructor(private readonly options: BulkDrainServiceOptions) {}

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
    await this.options.store.create(job);
    const created = structuredClone(job);
    const run = new BulkDrainRun(this.options, job);
    const done = run.run().finally(() => this.runs.delete(job.id));
    this.runs.set(job.id, { run, done });
    this.options.logger.info(
      { bulk: job.id, cluster: job.cluster, nodes: nodes.length },
      'bulk drain started',
    );
    return created;
  }

  /** Shutdown: local coordinations stop starting nodes and stop writing (see BulkDrainRun.halt). */
  stop(): void {
    for (const { run } of this.runs.values()) run.halt();
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
        local?.cancel(),
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
