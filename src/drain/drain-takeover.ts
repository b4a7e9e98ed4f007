import type { Logger } from '../platform/logger.js';
import { type DrainJobSnapshot, isTerminalState } from './drain-job.js';
import type { DrainJobStore } from './drain-job-store.js';
import { type NodeLock, nodeLeaseKey } from './node-lock.js';

/** The jobs a TakeoverWatcher scans: node drain jobs, bulk drain jobs. */
export interface OrphanSource<S> {
  /** Ids of every unfinished job. */
  activeIds(): Promise<string[]>;
  get(id: string): Promise<S | undefined>;
  /** The lease a live runner of the job holds; null when the job is not to be taken (finished, too young). */
  leaseKeyOf(snapshot: S): string | null;
}

export interface TakeoverWatcherOptions<S> {
  readonly source: OrphanSource<S>;
  readonly lock: NodeLock;
  /** How often to look (takeoverScanIntervalMs). */
  readonly intervalMs: number;
  readonly isRunningHere: (id: string) => boolean;
  /** Tries to take the job's lease and run it; resolves whether it did. */
  readonly claim: (snapshot: S) => Promise<boolean>;
  readonly logger: Logger;
}

/**
 * Finds active jobs nobody holds a lease for (their runner died, or its replica shut down) and
 * claims them. The lock decides races between replicas: at most one claim succeeds.
 */
export class TakeoverWatcher<S> {
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<unknown> | undefined;

  constructor(private readonly options: TakeoverWatcherOptions<S>) {}

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
    const { source, lock, logger } = this.options;
    let claimed = 0;
    try {
      for (const id of await source.activeIds()) {
        if (this.options.isRunningHere(id)) continue;
        const snapshot = await source.get(id);
        const key = snapshot && source.leaseKeyOf(snapshot);
        if (!snapshot || !key || (await lock.holder(key)) !== null) continue;
        if (await this.options.claim(snapshot)) claimed++;
      }
    } catch (err) {
      logger.debug({ err: String(err) }, 'takeover scan failed; will retry');
    }
    return claimed;
  }
}

/** Node drain jobs to take over; a PENDING job younger than `graceMs` is left to the replica that created it. */
export function drainJobOrphans(store: DrainJobStore, graceMs: number): OrphanSource<DrainJobSnapshot> {
  return {
    activeIds: () => store.activeJobIds(),
    get: (id) => store.get(id),
    leaseKeyOf: ({ job }) => {
      if (isTerminalState(job.state)) return null;
      if (job.state === 'PENDING' && Date.now() - Date.parse(job.createdAt) < graceMs) return null;
      return nodeLeaseKey(job.cluster, job.node);
    },
  };
}

/** A scan every third of the lease: a dead runner's job is taken over at most ~1.3 leases after its last renewal. */
export function takeoverScanIntervalMs(leaseMs: number): number {
  return Math.max(50, Math.floor(leaseMs / 3));
}
