import type { GatewayConfig } from '../config/gateway-config.js';
import { FallbackRateLimiter } from '../events/fallback-rate-limiter.js';
import { MemoryTokenBucket } from '../events/memory-token-bucket.js';
import type { RateLimiter } from '../events/rate-limiter.js';
import type { RedisConnection } from '../events/redis-connection.js';
import { RedisTokenBucket } from '../events/redis-token-bucket.js';
import type { Logger } from '../platform/logger.js';

/**
 * The mutation budget of `--mutation-rate`/`--mutation-burst`: on Redis when the gateway has
 * one (replicas share each caller's budget), else in memory; undefined when the rate is 0.
 */
export function createMutationRateLimiter(
  config: GatewayConfig,
  redis: RedisConnection | undefined,
  logger: Logger,
): RateLimiter | undefined {
  const { mutationRate, mutationBurst } = config.limits;
  if (mutationRate <= 0) return undefined;
  const options = { ratePerSecond: mutationRate, burst: mutationBurst };
  const local = new MemoryTokenBucket(options);
  if (!redis) return local;
  return new FallbackRateLimiter(new RedisTokenBucket(redis, options, 'mutations'), local, logger);
}
