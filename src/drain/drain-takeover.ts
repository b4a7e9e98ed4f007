import type { Logger } from '../platform/logger.js';
import { type DrainJobSnapshot, isTerminalState } from './drain-job.js';
import type { DrainJobStore } from './drain-job-store.js';
import { type NodeLock, nodeLeaseKey } from './node-lock.js';

export interface TakeoverWatcherOptions {
  readonly store: DrainJobStore;
  readonly lock: NodeLock;
  /** How often to look; a third of the lease, so a dead runner's job waits at most ~1.3 leases. */
  readonly intervalMs: number;
  /** A PENDING job younger than this is left to the replica that created it. */
  readonly graceMs: number;
  readonly isRunningHere: (jobId: string) => boolean;
  /** Tries to take the job's lease and run it; resolves whether it did. */
  readonly claim: (snapshot: DrainJobSnapshot) => Promise<boolean>;
  readonly logger: Logger;
}

/**
 * Finds active jobs nobody holds a lease for (their runner died, or its replica shut down) and
 * claims them. The lock decides races between replicas: at most one claim succeeds.
 */
export class TakeoverWatcher {
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<unknown> | undefined;

  constructor(private readonly options: TakeoverWatcherOptions) {}

  start(): void {
    this.timer = setInterval(() => {
      this.ticking ??= this.tick().finally(() => {
        this.ticking = undefined;
      });
    }, this.options.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.ticking;
  }

  /** One scan; resolves how many jobs it claimed. Errors (store unreachable) wait for the next scan. */
  async tick(): Promise<number> {
    const { store, logger } = this.options;
    let claimed = 0;
    try {
      for (const id of await store.activeJobIds()) {
        if (this.options.isRunningHere(id)) continue;
        const snapshot = await store.get(id);
        if (!snapshot || !(await this.isOrphaned(snapshot))) continue;
        if (await this.options.claim(snapshot)) claimed++;
      }
    } catch (err) {
      logger.debug({ err: String(err) }, 'takeover scan failed; will retry');
    }
    return claimed;
  }

  private async isOrphaned({ job }: DrainJobSnapshot): Promise<boolean> {
    if (isTerminalState(job.state)) return false;
    if (job.state === 'PENDING' && Date.now() - Date.parse(job.createdAt) < this.options.graceMs)
      return false;
    return (await this.options.lock.holder(nodeLeaseKey(job.cluster, job.node))) === null;
  }
}
