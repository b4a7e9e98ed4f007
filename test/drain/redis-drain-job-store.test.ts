import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { RedisDrainJobStore } from '../../src/drain/redis-drain-job-store.js';
import { RedisNodeLock } from '../../src/drain/redis-node-lock.js';
import { RedisConnection, RedisUnavailableError } from '../../src/events/redis-connection.js';
import { RedisPubSub } from '../../src/events/redis-pubsub.js';
import { createLogger } from '../../src/platform/logger.js';
import { deleteKeys, REDIS_URL } from '../events/redis-test-keys.js';
import { CONTRACT_LIMITS, describeDrainJobStore, event, job } from './drain-job-store-contract.js';

const logger = createLogger('silent');

async function redisStore(url = REDIS_URL) {
  const keyPrefix = `kng-test-${randomUUID()}:`;
  const connection = new RedisConnection({
    url,
    keyPrefix,
    logger,
    connectTimeoutMs: 300,
    commandTimeoutMs: 500,
  });
  await connection.start();
  const pubsub = new RedisPubSub(connection, logger);
  const lock = new RedisNodeLock(connection);
  const store = new RedisDrainJobStore(connection, pubsub, lock, CONTRACT_LIMITS);
  return {
    store,
    lock,
    connection,
    async close() {
      if (connection.isReady()) await deleteKeys(connection.client, keyPrefix);
      await connection.close();
    },
  };
}

describeDrainJobStore('redis', () => redisStore());

describe('redis DrainJobStore specifics', () => {
  it('a finished job expires after the retention time, and list forgets it', async () => {
    const t = await redisStore();
    try {
      const j = job('n1');
      await t.store.createUnlessActive(j);
      const lease = { key: `drain:lease:c1:n1`, token: 'tok' };
      await t.lock.acquire(lease.key, lease.token, 10_000);
      j.state = 'SUCCEEDED';
      await t.store.commit(j, [event('JOB_SUCCEEDED')], lease);
      const ttl = await t.connection.client.pttl(t.connection.key('drain', 'job', j.id));
      expect(ttl).toBeGreaterThan(CONTRACT_LIMITS.retentionMs - 5000);
      expect(ttl).toBeLessThanOrEqual(CONTRACT_LIMITS.retentionMs);
      await t.connection.client.del(t.connection.key('drain', 'job', j.id)); // as if it expired
      expect(await t.store.list({ limit: 10 })).toEqual([]);
      expect(await t.connection.client.zcard(t.connection.key('drain', 'jobs'))).toBe(0);
    } finally {
      await t.close();
    }
  });

  it('fails fast with RedisUnavailableError when Redis cannot be reached', async () => {
    const t = await redisStore('redis://127.0.0.1:1');
    try {
      const started = Date.now();
      await expect(t.store.createUnlessActive(job('n1'))).rejects.toBeInstanceOf(RedisUnavailableError);
      await expect(t.store.get('x')).rejects.toBeInstanceOf(RedisUnavailableError);
      await expect(t.lock.acquire('k', 'a', 1000)).rejects.toBeInstanceOf(RedisUnavailableError);
      await expect(t.store.subscribeEvents('x', { event: () => {}, error: () => {} })).rejects.toBeInstanceOf(
        RedisUnavailableError,
      );
      expect(Date.now() - started).toBeLessThan(1000);
    } finally {
      await t.close();
    }
  });
});
