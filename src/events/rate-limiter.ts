/** A token bucket's answer to one request for tokens. */
export interface RateDecision {
  readonly allowed: boolean;
  /** When refused: how long until the bucket holds enough tokens (ms); 0 when allowed. */
  readonly retryAfterMs: number;
}

/** Token buckets: `ratePerSecond` tokens a second, at most `burst` saved up, one bucket per key. */
export interface TokenBucketOptions {
  readonly ratePerSecond: number;
  readonly burst: number;
}

/**
 * Per-key token buckets, in one process (MemoryTokenBucket) or shared by the replicas on one
 * Redis (RedisTokenBucket). `take` removes `count` tokens if the bucket holds that many, else
 * none: a request is served whole or refused whole.
 */
export interface RateLimiter {
  take(key: string, count: number): Promise<RateDecision>;
}

/** The wait until a bucket holding `tokens` has `count` of them. */
export function retryAfterMs(tokens: number, count: number, ratePerSecond: number): number {
  return Math.max(1, Math.ceil(((count - tokens) * 1000) / ratePerSecond));
}
