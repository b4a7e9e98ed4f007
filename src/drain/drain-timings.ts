/** How a drain paces itself. Not user options: operators and tests tune them (kubectl hard-codes them). */
export interface DrainTimings {
  /** Wait before retrying an eviction a PodDisruptionBudget refused (429). kubectl: 5 s. */
  readonly evictRetryDelayMs: number;
  /**
   * Longest interval of the "is the pod gone yet" GET (kubectl polls every 1 s). Polling starts
   * at `deletePollInitialMs` and doubles up to this, so a pod that terminates quickly is seen
   * gone within a fraction of a second, for a few more GETs than kubectl sends.
   */
  readonly deletePollIntervalMs: number;
  readonly deletePollInitialMs: number;
  /** Retries of a call that failed for a transient reason (timeout, 5xx, connection refused). */
  readonly transientRetries: number;
  readonly transientRetryDelayMs: number;
  /** Pods evicted and awaited at once. kubectl starts all of them; we bound it to spare the apiserver. */
  readonly concurrency: number;
}

export const DEFAULT_DRAIN_TIMINGS: DrainTimings = Object.freeze({
  evictRetryDelayMs: 5000,
  deletePollIntervalMs: 1000,
  deletePollInitialMs: 100,
  transientRetries: 3,
  transientRetryDelayMs: 1000,
  concurrency: 64,
});

/**
 * Waits `ms`, ending early when `signal` aborts or `deadline` (epoch ms) passes.
 * Resolves true when the full time elapsed.
 */
export function pause(ms: number, signal: AbortSignal, deadline: number | null = null): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  const wait = deadline === null ? ms : Math.max(0, Math.min(ms, deadline - Date.now()));
  return new Promise((resolve) => {
    const done = (full: boolean) => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      resolve(full);
    };
    const onAbort = () => done(false);
    const timer = setTimeout(() => done(wait === ms), wait);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Runs `work` over `items` with at most `limit` running at once. */
export async function forEachConcurrently<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}
