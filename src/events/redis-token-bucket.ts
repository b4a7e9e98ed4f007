import { createHash } from 'node:crypto';
import type { RateDecision, RateLimiter, TokenBucketOptions } from './rate-limiter.js';
import { LuaScript, type RedisConnection } from './redis-connection.js';

// KEYS[1]: the bucket hash (tokens, at). ARGV: rate per second, burst, count.
// Redis' clock, not the replicas': replicas whose clocks disagree still share one budget.
// The hash expires once it would be full again, so idle callers leave nothing behind.
const TAKE = new LuaScript(
  'token-bucket-take',
  `local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local count = tonumber(ARGV[3])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or burst
local at = tonumber(state[2]) or now
if now > at then tokens = math.min(burst, tokens + (now - at) * rate / 1000) end
local allowed = 0
local retry = 0
if tokens >= count then
  tokens = tokens - count
  allowed = 1
else
  retry = math.max(1, math.ceil((count - tokens) * 1000 / rate))
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', now)
redis.call('PEXPIRE', KEYS[1], math.ceil((burst - tokens) * 1000 / rate) + 1000)
return {allowed, retry}`,
);

/**
 * Token buckets on Redis, shared by every replica using the same key prefix. Keys hold a hash of
 * the bucket's name (a user name), not the name: bounded length, nothing personal in KEYS output.
 */
export class RedisTokenBucket implements RateLimiter {
  constructor(
    private readonly connection: RedisConnection,
    private readonly options: TokenBucketOptions,
    /** What the buckets limit, part of the key: `mutations`. */
    private readonly name: string,
  ) {}

  async take(key: string, count: number): Promise<RateDecision> {
    const hash = createHash('sha256').update(key).digest('hex').slice(0, 32);
    const redisKey = this.connection.key('rate', this.name, hash);
    const [allowed, retry] = (await TAKE.run(
      this.connection.client,
      [redisKey],
      [this.options.ratePerSecond, this.options.burst, count],
    )) as [number, number];
    return { allowed: allowed === 1, retryAfterMs: allowed === 1 ? 0 : retry };
  }
}
