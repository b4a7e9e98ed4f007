/** Receives the messages of one topic. */
export interface PubSubHandlers {
  message(message: string): void;
  /**
   * The subscription ended because the transport failed (Redis unreachable); no more messages
   * will come. Not called after `unsubscribe`.
   */
  error(err: Error): void;
}

export type Unsubscribe = () => Promise<void>;

/**
 * Topic-based publish/subscribe of string messages, in publish order per topic. In one process
 * (MemoryPubSub) or across gateway replicas (RedisPubSub). Delivery is at most once: a
 * subscriber that must not miss anything pairs it with a log it can read back (drain events do).
 */
export interface PubSub {
  publish(topic: string, message: string): Promise<void>;
  /** Resolves once every message published from then on will reach `handlers`. */
  subscribe(topic: string, handlers: PubSubHandlers): Promise<Unsubscribe>;
}
