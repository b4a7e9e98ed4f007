import type { SubscriberQueue } from './subscriber-queue.js';

/**
 * `events`, a generator that reads `queue`, as an iterator whose return() and throw() end the queue
 * first. An async generator parked on `await queue.next()` would only see return() at its next
 * yield; ending the queue first wakes it, so an unsubscribe frees the subscription at once.
 */
export function queueClosingIterator<T, Q>(
  queue: SubscriberQueue<Q>,
  events: AsyncGenerator<T, void, undefined>,
): AsyncIterableIterator<T> {
  return {
    next: () => events.next(),
    return: async (value?: unknown) => {
      await queue.return();
      return events.return(value as undefined);
    },
    throw: async (err?: unknown) => {
      await queue.return();
      return events.throw(err);
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
