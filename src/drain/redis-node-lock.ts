import { LuaScript, type RedisConnection, redisCall } from '../events/redis-connection.js';
import type { NodeLease, NodeLock } from './node-lock.js';

// Compare-and-set in Lua: the check and the write happen atomically on the Redis server.
const ACQUIRE = new LuaScript(
  'drain-lease-acquire',
  `local current = redis.call('GET', KEYS[1])
if current == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
if current then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1`,
);

const RENEW = new LuaScript(
  'drain-lease-renew',
  `if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1`,
);

const RELEASE = new LuaScript(
  'drain-lease-release',
  `if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
return redis.call('DEL', KEYS[1])`,
);

/** NodeLock shared by every replica on one Redis; the lease is a key that expires. */
export class RedisNodeLock implements NodeLock {
  constructor(private readonly connection: RedisConnection) {}

  /** The Redis key of a lock key (the job store fences its writes on it). */
  redisKey(key: string): string {
    return this.connection.key(key);
  }

  async acquire(key: string, token: string, ttlMs: number): Promise<boolean> {
    return (await ACQUIRE.run(this.connection.client, [this.redisKey(key)], [token, ttlMs])) === 1;
  }

  async renew(lease: NodeLease, ttlMs: number): Promise<boolean> {
    return (await RENEW.run(this.connection.client, [this.redisKey(lease.key)], [lease.token, ttlMs])) === 1;
  }

  async release(lease: NodeLease): Promise<void> {
    await RELEASE.run(this.connection.client, [this.redisKey(lease.key)], [lease.token]);
  }

  async holder(key: string): Promise<string | null> {
    return redisCall('lease holder', () => this.connection.client.get(this.redisKey(key)));
  }
}
