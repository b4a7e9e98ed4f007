import type { Logger } from '../platform/logger.js';
import type { RateDecision, RateLimiter } from './rate-limiter.js';
import { RedisUnavailableError } from './redis-connection.js';

/**
 * The shared limiter, or a local one while the shared one is unreachable: a Redis outage neither
 * blocks every caller (cordoning a node must still work) nor lifts the limit; each replica then
 * enforces it alone.
 */
export class FallbackRateLimiter implements RateLimiter {
  private warned = false;

  constructor(
    private readonly shared: RateLimiter,
    private readonly local: RateLimiter,
    private readonly logger: Logger,
  ) {}

  async take(key: string, count: number): Promise<RateDecision> {
    try {
      const decision = await this.shared.take(key, count);
      this.warned = false;
      return decision;
    } catch (err) {
      if (!(err instanceof RedisUnavailableError)) throw err;
      if (!this.warned)
        this.logger.warn({ err: err.message }, 'rate limits kept per replica until Redis is back');
      this.warned = true;
      return this.local.take(key, count);
    }
  }
}
