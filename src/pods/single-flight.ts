/** How a caller of SingleFlight.run got its value. */
export type SharedHow = 'led' | 'joined' | 'reused';

export interface SingleFlightOptions {
  /** How long a successful result may be handed to later callers; 0 = only to concurrent ones. */
  maxAgeMs: number;
  /** Told how each call was served (for metrics). */
  onServe?: (key: string, how: SharedHow) => void;
  now?: () => number;
}

interface Settled<V> {
  value: V;
  startedAt: number;
}

/**
 * At most one call of `fn` per key at a time: callers that arrive while one runs share its
 * promise (success or failure). A success may also be reused until it is `maxAgeMs` old,
 * counted from when its call started, so a reused value is never older than the limit says.
 * Failures are never kept: the next caller after a failure tries again.
 */
export class SingleFlight<V> {
  private readonly inFlight = new Map<string, Promise<V>>();
  private readonly settled = new Map<string, Settled<V>>();
  private readonly now: () => number;

  constructor(private readonly options: SingleFlightOptions) {
    this.now = options.now ?? Date.now;
  }

  run(key: string, fn: () => Promise<V>): Promise<V> {
    const kept = this.fresh(key);
    if (kept) {
      this.options.onServe?.(key, 'reused');
      return Promise.resolve(kept.value);
    }
    const running = this.inFlight.get(key);
    if (running) {
      this.options.onServe?.(key, 'joined');
      return running;
    }
    this.options.onServe?.(key, 'led');
    const startedAt = this.now();
    const call: Promise<V> = Promise.resolve()
      .then(fn)
      .then((value) => {
        // A call forgotten while it ran answers its callers but is not kept.
        const current = this.inFlight.get(key) === call;
        if (current && this.options.maxAgeMs > 0) this.settled.set(key, { value, startedAt });
        return value;
      })
      .finally(() => {
        if (this.inFlight.get(key) === call) this.inFlight.delete(key);
      });
    this.inFlight.set(key, call);
    return call;
  }

  /**
   * Drops a kept result (e.g. when its cluster is removed). A running call still answers the
   * callers that have it, but later callers start a new one and its result is not kept.
   */
  forget(key: string): void {
    this.settled.delete(key);
    this.inFlight.delete(key);
  }

  private fresh(key: string): Settled<V> | undefined {
    const kept = this.settled.get(key);
    if (!kept) return undefined;
    if (this.now() - kept.startedAt < this.options.maxAgeMs) return kept;
    this.settled.delete(key);
    return undefined;
  }
}
