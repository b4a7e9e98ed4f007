import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryPubSub } from '../../src/events/memory-pubsub.js';
import type { PubSub } from '../../src/events/pubsub.js';
import { RedisConnection } from '../../src/events/redis-connection.js';
import { RedisPubSub } from '../../src/events/redis-pubsub.js';
import { createLogger } from '../../src/platform/logger.js';
import { waitFor } from '../support/wait-for.js';
import { REDIS_URL } from './redis-test-keys.js';

const logger = createLogger('silent');
const connections: RedisConnection[] = [];

afterEach(async () => {
  await Promise.all(connections.splice(0).map((c) => c.close()));
});

async function redisPair(): Promise<[RedisPubSub, RedisPubSub, RedisConnection]> {
  const keyPrefix = `kng-test-${randomUUID()}:`;
  const make = async () => {
    const c = new RedisConnection({ url: REDIS_URL, keyPrefix, logger });
    connections.push(c);
    await c.start();
    return c;
  };
  const a = await make();
  const b = await make();
  return [new RedisPubSub(a, logger), new RedisPubSub(b, logger), b];
}

function collector() {
  const messages: string[] = [];
  const errors: Error[] = [];
  return {
    messages,
    errors,
    handlers: { message: (m: string) => messages.push(m), error: (e: Error) => errors.push(e) },
  };
}

describe.each<[string, () => Promise<[PubSub, PubSub]>]>([
  [
    'memory',
    async () => {
      const p = new MemoryPubSub();
      return [p, p];
    },
  ],
  [
    'redis (two replicas)',
    async () => {
      const [a, b] = await redisPair();
      return [a, b];
    },
  ],
])('%s PubSub', (_name, make) => {
  it('delivers messages of a topic in publish order to every subscriber, from any publisher', async () => {
    const [publisher, subscriber] = await make();
    const one = collector();
    const two = collector();
    const other = collector();
    const unsubscribeOne = await subscriber.subscribe('t', one.handlers);
    const unsubscribeTwo = await subscriber.subscribe('t', two.handlers);
    const unsubscribeOther = await subscriber.subscribe('u', other.handlers);
    for (let i = 0; i < 20; i++) await publisher.publish('t', `m${i}`);
    await waitFor(() => one.messages.length === 20 && two.messages.length === 20, { what: 'all messages' });
    expect(one.messages).toEqual(Array.from({ length: 20 }, (_, i) => `m${i}`));
    expect(two.messages).toEqual(one.messages);
    expect(other.messages).toEqual([]);
    await unsubscribeOne();
    await publisher.publish('t', 'after');
    await waitFor(() => two.messages.length === 21, { what: 'the last message' });
    expect(one.messages).toHaveLength(20);
    await unsubscribeTwo();
    await unsubscribeOther();
  });
});

describe('RedisPubSub', () => {
  it('holds one Redis subscription per channel and drops it with the last subscriber', async () => {
    const [, sub] = await redisPair();
    const a = await sub.subscribe('t', collector().handlers);
    const b = await sub.subscribe('t', collector().handlers);
    expect(sub.channelCount).toBe(1);
    await a();
    expect(sub.channelCount).toBe(1);
    await b();
    expect(sub.channelCount).toBe(0);
  });

  it('ends every subscription with an error when the event connection drops', async () => {
    const [, sub, connection] = await redisPair();
    const c = collector();
    await sub.subscribe('t', c.handlers);
    connection.subscriber.disconnect(true);
    await waitFor(() => c.errors.length === 1, { what: 'the subscription error' });
    expect(c.errors[0]?.message).toMatch(/Redis is unreachable/);
    expect(sub.channelCount).toBe(0);
  });
});
