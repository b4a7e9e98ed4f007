import type { DrainJobStore } from './drain-job-store.js';
import type { NodeLease, NodeLock } from './node-lock.js';

/**
 * What became of a lease a runner could not renew (or commit under):
 * - `held`: it is still ours (the store was only unreachable for a while);
 * - `elsewhere`: another token holds it, or it lapsed while the job is still stored, so the
 *   takeover watcher decides who resumes; the runner must stop, two runners never evict at once;
 * - `emptied`: the job and the lease are both gone, the store lost its data (Redis restarted
 *   empty): nobody else can resume the job, its runner must re-create it;
 * - `unknown`: the store stayed unreachable until the deadline, or the wait was cancelled.
 */
export type LostLeaseVerdict = 'held' | 'elsewhere' | 'emptied' | 'unknown';

export interface LostLeaseCheck {
  readonly store: DrainJobStore;
  readonly lock: NodeLock;
  readonly lease: NodeLease;
  readonly jobId: string;
  /** Give up (`unknown`) after this time (epoch ms). */
  readonly deadline: number;
  readonly retryDelayMs: number;
  /** Stop waiting (the run is shutting down). */
  readonly cancelled: () => boolean;
}

/** Finds out, retrying while the store is unreachable, what happened to a lost lease. */
export async function checkLostLease(check: LostLeaseCheck): Promise<LostLeaseVerdict> {
  const { store, lock, lease, jobId } = check;
  while (!check.cancelled() && Date.now() < check.deadline) {
    try {
      const holder = await lock.holder(lease.key);
      if (holder !== null && holder !== lease.token) return 'elsewhere';
      const stored = (await store.get(jobId)) !== undefined;
      if (holder === lease.token) return stored ? 'held' : 'emptied';
      return stored ? 'elsewhere' : 'emptied';
    } catch {
      await new Promise((r) => setTimeout(r, check.retryDelayMs));
    }
  }
  return 'unknown';
}
