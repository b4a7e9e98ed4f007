import type { PubSub, PubSubHandlers, Unsubscribe } from './pubsub.js';

/** PubSub within one process. Delivers synchronously, so handlers must only enqueue. */
export class MemoryPubSub implements PubSub {
  private readonly topics = new Map<string, Set<PubSubHandlers>>();

  async publish(topic: string, message: string): Promise<void> {
    this.publishNow(topic, message);
  }

  /** Synchronous publish, for stores that must publish in the same tick as they write. */
  publishNow(topic: string, message: string): void {
    for (const handlers of this.topics.get(topic) ?? []) handlers.message(message);
  }

  async subscribe(topic: string, handlers: PubSubHandlers): Promise<Unsubscribe> {
    const set = this.topics.get(topic) ?? new Set<PubSubHandlers>();
    set.add(handlers);
    this.topics.set(topic, set);
    return async () => {
      set.delete(handlers);
      if (set.size === 0 && this.topics.get(topic) === set) this.topics.delete(topic);
    };
  }

  /** Subscriptions open on all topics (tests check that nothing leaks). */
  get subscriptionCount(): number {
    let count = 0;
    for (const set of this.topics.values()) count += set.size;
    return count;
  }
}
