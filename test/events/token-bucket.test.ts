import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FallbackRateLimiter } from '../../src/events/fallback-rate-limiter.js';
import { MemoryTokenBucket } from '../../src/events/memory-token-bucket.js';
import { RedisConnection } from '../../src/events/redis-connection.js';
import { RedisTokenBucket } from '../../src/events/redis-token-bucket.js';
import { createLogger } from '../../src/platform/logger.js';
import { deleteKeys, REDIS_URL } from './redis-test-keys.js';

const logger = createLogger('silent');

describe('MemoryTokenBucket', () => {
  function bucket(options = { ratePerSecond: 10, burst: 20 }, maxKeys?: number) {
    const clock = { t: 1_000_000 };
    return { clock, limiter: new MemoryTokenBucket(options, { now: () => clock.t, maxKeys }) };
  }

  it('grants the burst at once, then refuses with the wait until the next token', () => {
    const { limiter } = bucket();
    for (let i = 0; i < 20; i++) expect(limiter.takeNow('alice', 1).allowed).toBe(true);
    expect(limiter.takeNow('alice', 1)).toEqual({ allowed: false, retryAfterMs: 100 });
    // Another caller has its own bucket.
    expect(limiter.takeNow('bob', 1).allowed).toBe(true);
  });

  it('refills at the rate, never beyond the burst', () => {
    const { clock, limiter } = bucket();
    expect(limiter.takeNow('a', 20).allowed).toBe(true);
    clock.t += 250; // 2.5 tokens
    expect(limiter.takeNow('a', 2).allowed).toBe(true);
    expect(limiter.takeNow('a', 1)).toEqual({ allowed: false, retryAfterMs: 50 });
    clock.t += 60_000;
    expect(limiter.takeNow('a', 20).allowed).toBe(true);
    expect(limiter.takeNow('a', 1).allowed).toBe(false);
  });

  it('takes all of a request or nothing', () => {
    const { limiter } = bucket();
    expect(limiter.takeNow('a', 15).allowed).toBe(true);
    expect(limiter.takeNow('a', 6)).toEqual({ allowed: false, retryAfterMs: 100 });
    expect(limiter.takeNow('a', 5).allowed).toBe(true);
  });

  it('a clock going back neither refills nor breaks the bucket', () => {
    const { clock, limiter } = bucket();
    expect(limiter.takeNow('a', 20).allowed).toBe(true);
    clock.t -= 10_000;
    expect(limiter.takeNow('a', 1).allowed).toBe(false);
  });

  it('keeps no more buckets than maxKeys once they are full again', () => {
    const { clock, limiter } = bucket({ ratePerSecond: 10, burst: 20 }, 100);
    for (let i = 0; i < 1000; i++) {
      limiter.takeNow(`caller-${i}`, 1);
      clock.t += 200; // every earlier bucket refills
    }
    expect(limiter.size).toBeLessThanOrEqual(101);
  });
});

describe('RedisTokenBucket', () => {
  const keyPrefix = `kng-test-${randomUUID()}:`;
  let connection: RedisConnection;
  beforeAll(async () => {
    connection = new RedisConnection({ url: REDIS_URL, keyPrefix, logger, connectTimeoutMs: 300 });
    await connection.start();
  });
  afterAll(async () => {
    await deleteKeys(connection.client, keyPrefix);
    await connection.close();
  });

  it('two replicas share one budget per caller; keys hold a hash of the name', async () => {
    const a = new RedisTokenBucket(connection, { ratePerSecond: 1, burst: 5 }, 'mutations');
    const b = new RedisTokenBucket(connection, { ratePerSecond: 1, burst: 5 }, 'mutations');
    const results = [];
    for (let i = 0; i < 6; i++) results.push(await (i % 2 === 0 ? a : b).take('alice', 1));
    expect(results.map((r) => r.allowed)).toEqual([true, true, true, true, true, false]);
    expect(results[5]?.retryAfterMs).toBeGreaterThan(0);
    expect(results[5]?.retryAfterMs).toBeLessThanOrEqual(1000);
    expect((await a.take('bob', 5)).allowed).toBe(true);
    const keys = await connection.client.keys(`${keyPrefix}*`);
    expect(keys).toHaveLength(2);
    for (const key of keys) expect(key).toMatch(new RegExp(`^${keyPrefix}rate:mutations:[0-9a-f]{32}$`));
    // Idle buckets expire once full again.
    expect(await connection.client.pttl(keys[0] as string)).toBeGreaterThan(0);
  });

  it('takes all of a request or nothing', async () => {
    const limiter = new RedisTokenBucket(connection, { ratePerSecond: 1, burst: 5 }, 'batch');
    expect((await limiter.take('carol', 4)).allowed).toBe(true);
    expect((await limiter.take('carol', 2)).allowed).toBe(false);
    expect((await limiter.take('carol', 1)).allowed).toBe(true);
  });

  it('while Redis is unreachable the fallback enforces the limit locally', async () => {
    const down = new RedisConnection({
      url: 'redis://127.0.0.1:1',
      keyPrefix,
      logger,
      connectTimeoutMs: 100,
      commandTimeoutMs: 100,
    });
    await down.start();
    try {
      const options = { ratePerSecond: 1, burst: 2 };
      const limiter = new FallbackRateLimiter(
        new RedisTokenBucket(down, options, 'mutations'),
        new MemoryTokenBucket(options),
        logger,
      );
      const results = [];
      for (let i = 0; i < 3; i++) results.push((await limiter.take('dave', 1)).allowed);
      expect(results).toEqual([true, true, false]);
    } finally {
      await down.close();
    }
  });
});
