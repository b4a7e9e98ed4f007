import {
  type RateDecision,
  type RateLimiter,
  retryAfterMs,
  type TokenBucketOptions,
} from './rate-limiter.js';

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * Token buckets in this process. A full bucket is the same as no bucket, so full ones are
 * dropped when the map grows past `maxKeys`: memory is bounded by the callers active within
 * about one refill time (burst / rate).
 */
export class MemoryTokenBucket implements RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly now: () => number;
  private readonly maxKeys: number;

  constructor(
    private readonly options: TokenBucketOptions,
    clock: { now?: () => number; maxKeys?: number } = {},
  ) {
    this.now = clock.now ?? Date.now;
    this.maxKeys = clock.maxKeys ?? 10_000;
  }

  async take(key: string, count: number): Promise<RateDecision> {
    return this.takeNow(key, count);
  }

  /** The synchronous step, for callers (and tests) that hold no event loop turn. */
  takeNow(key: string, count: number): RateDecision {
    const now = this.now();
    const bucket = this.refilled(this.buckets.get(key), now);
    let decision: RateDecision;
    if (bucket.tokens >= count) {
      bucket.tokens -= count;
      decision = { allowed: true, retryAfterMs: 0 };
    } else {
      decision = {
        allowed: false,
        retryAfterMs: retryAfterMs(bucket.tokens, count, this.options.ratePerSecond),
      };
    }
    this.buckets.set(key, bucket);
    if (this.buckets.size > this.maxKeys) this.dropFull(now);
    return decision;
  }

  get size(): number {
    return this.buckets.size;
  }

  private refilled(bucket: Bucket | undefined, now: number): Bucket {
    const { ratePerSecond, burst } = this.options;
    if (!bucket) return { tokens: burst, at: now };
    const elapsed = Math.max(0, now - bucket.at);
    return { tokens: Math.min(burst, bucket.tokens + (elapsed * ratePerSecond) / 1000), at: now };
  }

  private dropFull(now: number): void {
    for (const [key, bucket] of this.buckets) {
      if (this.refilled(bucket, now).tokens >= this.options.burst) this.buckets.delete(key);
    }
  }
}
