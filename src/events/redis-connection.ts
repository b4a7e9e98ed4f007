import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Logger } from '../platform/logger.js';

/** Redis could not be reached in time; callers report UPSTREAM_UNAVAILABLE rather than guess. */
export class RedisUnavailableError extends Error {
  override readonly name = 'RedisUnavailableError';
}

export interface RedisConnectionOptions {
  readonly url: string;
  /** Prepended to every key and channel, so gateways (or test runs) can share one Redis. */
  readonly keyPrefix: string;
  readonly logger: Logger;
  /** @default 2000 */
  readonly connectTimeoutMs?: number;
  /** Deadline of every command. @default 2000 */
  readonly commandTimeoutMs?: number;
}

/**
 * The gateway's two Redis connections: one for commands, one in subscriber mode (Redis allows
 * nothing else on a connection that subscribed). Both fail fast while Redis is away (no offline
 * queue, command deadline) and reconnect in the background.
 */
export class RedisConnection {
  readonly client: Redis;
  readonly subscriber: Redis;
  readonly keyPrefix: string;
  private readonly logger: Logger;
  private readonly connectTimeoutMs: number;

  constructor(options: RedisConnectionOptions) {
    this.keyPrefix = options.keyPrefix;
    this.logger = options.logger;
    this.connectTimeoutMs = options.connectTimeoutMs ?? 2000;
    const common = {
      lazyConnect: true,
      connectTimeout: this.connectTimeoutMs,
      commandTimeout: options.commandTimeoutMs ?? 2000,
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
      retryStrategy: (attempt: number) => Math.min(100 * 2 ** attempt, 2000),
    };
    // Named after the prefix, so `CLIENT LIST` tells gateways sharing a Redis apart.
    const name = (role: string) => `kng-${role}:${options.keyPrefix.replace(/\s/g, '_')}`;
    this.client = new Redis(options.url, { ...common, connectionName: name('commands') });
    // Subscriptions are not restored after a reconnect: subscribers are told the stream broke.
    this.subscriber = new Redis(options.url, {
      ...common,
      connectionName: name('events'),
      autoResubscribe: false,
    });
    for (const [role, conn] of [
      ['commands', this.client],
      ['events', this.subscriber],
    ] as const) {
      conn.on('error', (err: Error) =>
        this.logger.warn({ err: err.message, role }, 'redis connection error'),
      );
      conn.on('ready', () => this.logger.info({ role }, 'redis connected'));
    }
  }

  /** Connects both; resolves even if Redis is down (they keep retrying; calls fail meanwhile). */
  async start(): Promise<void> {
    const connect = (conn: Redis) =>
      conn
        .connect()
        .catch((err: Error) => this.logger.error({ err: err.message }, 'redis unreachable at start'));
    await Promise.all([connect(this.client), connect(this.subscriber)]);
  }

  isReady(): boolean {
    return this.client.status === 'ready' && this.subscriber.status === 'ready';
  }

  key(...parts: string[]): string {
    return this.keyPrefix + parts.join(':');
  }

  async close(): Promise<void> {
    await Promise.all([quit(this.client), quit(this.subscriber)]);
  }
}

async function quit(conn: Redis): Promise<void> {
  if (conn.status === 'end') return;
  try {
    if (conn.status === 'ready') await conn.quit();
    else conn.disconnect();
  } catch {
    conn.disconnect();
  }
}

/**
 * Runs a Redis call, turning every transport failure (closed connection, command deadline,
 * no offline queue) into RedisUnavailableError. Redis' own error replies are bugs: rethrown.
 */
export async function redisCall<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof Error && err.name === 'ReplyError') throw err;
    const reason = err instanceof Error ? err.message : String(err);
    throw new RedisUnavailableError(`Redis is unreachable (${what}): ${reason}`, { cause: err });
  }
}

/** A Lua script sent by SHA1 (EVALSHA), and in full once per Redis that does not know it yet. */
export class LuaScript {
  private readonly sha: string;

  constructor(
    readonly name: string,
    private readonly lua: string,
  ) {
    this.sha = createHash('sha1').update(lua).digest('hex');
  }

  async run(redis: Redis, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown> {
    return redisCall(this.name, async () => {
      try {
        return await redis.evalsha(this.sha, keys.length, ...keys, ...args);
      } catch (err) {
        if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
        return await redis.eval(this.lua, keys.length, ...keys, ...args);
      }
    });
  }
}
