import type { Logger } from '../platform/logger.js';
import type { PubSub, PubSubHandlers, Unsubscribe } from './pubsub.js';
import { type RedisConnection, RedisUnavailableError, redisCall } from './redis-connection.js';

/**
 * PubSub over Redis PUBLISH/SUBSCRIBE, shared by all gateway replicas on one Redis. One
 * SUBSCRIBE per channel however many local subscribers it has. When the subscriber connection
 * drops, every local subscription ends with an error: messages published meanwhile are lost,
 * and a subscriber that resubscribes reads what it missed from its own log.
 */
export class RedisPubSub implements PubSub {
  private readonly channels = new Map<string, Set<PubSubHandlers>>();
  /** SUBSCRIBE or UNSUBSCRIBE in flight per channel, so they reach Redis in call order. */
  private readonly pending = new Map<string, Promise<unknown>>();

  constructor(
    private readonly connection: RedisConnection,
    private readonly logger: Logger,
  ) {
    connection.subscriber.on('message', (channel: string, message: string) => this.deliver(channel, message));
    connection.subscriber.on('close', () => this.failAll());
  }

  /** The Redis channel of a topic (Lua scripts that publish need it). */
  channel(topic: string): string {
    return this.connection.key('events', topic);
  }

  async publish(topic: string, message: string): Promise<void> {
    await redisCall('publish', () => this.connection.client.publish(this.channel(topic), message));
  }

  async subscribe(topic: string, handlers: PubSubHandlers): Promise<Unsubscribe> {
    const channel = this.channel(topic);
    let set = this.channels.get(channel);
    if (!set) {
      if (this.connection.subscriber.status !== 'ready') {
        throw new RedisUnavailableError('Redis is unreachable: cannot subscribe to events');
      }
      set = new Set();
      this.channels.set(channel, set);
      set.add(handlers);
      await this.serialize(channel, () => this.connection.subscriber.subscribe(channel)).catch(
        (err: unknown) => {
          this.channels.delete(channel);
          throw err;
        },
      );
    } else {
      set.add(handlers);
      await this.pending.get(channel); // the first subscriber's SUBSCRIBE
    }
    return () => this.unsubscribe(channel, handlers);
  }

  private async unsubscribe(channel: string, handlers: PubSubHandlers): Promise<void> {
    const set = this.channels.get(channel);
    if (!set?.delete(handlers) || set.size > 0) return;
    this.channels.delete(channel);
    if (this.connection.subscriber.status !== 'ready') return; // the connection's loss unsubscribed it
    await this.serialize(channel, () => this.connection.subscriber.unsubscribe(channel)).catch(
      (err: unknown) => this.logger.warn({ err, channel }, 'redis unsubscribe failed'),
    );
  }

  private serialize(channel: string, call: () => Promise<unknown>): Promise<unknown> {
    const previous = this.pending.get(channel) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(() => redisCall('subscribe', call));
    this.pending.set(channel, next);
    const clear = () => {
      if (this.pending.get(channel) === next) this.pending.delete(channel);
    };
    next.then(clear, clear);
    return next;
  }

  private deliver(channel: string, message: string): void {
    for (const handlers of this.channels.get(channel) ?? []) handlers.message(message);
  }

  private failAll(): void {
    if (this.channels.size === 0) return;
    const err = new RedisUnavailableError('Redis is unreachable: the event stream was interrupted');
    const all = [...this.channels.values()];
    this.channels.clear();
    this.logger.warn({ subscriptions: all.length }, 'redis event connection lost; ending subscriptions');
    for (const set of all) for (const handlers of set) handlers.error(err);
  }

  get channelCount(): number {
    return this.channels.size;
  }
}
