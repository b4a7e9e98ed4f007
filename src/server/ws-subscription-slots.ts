import type { IncomingMessage } from 'node:http';
import type { ExecutionArgs, GraphQLError } from 'graphql';
import { isAsyncIterable } from 'graphql-yoga';
import type { Caller } from '../auth/caller.js';
import { callerBucket } from './caller-bucket.js';
import { isRefusal, type SubscriptionLimits, subscriptionLimitError } from './subscription-limits.js';

interface SlotRoot {
  subscribe: (args: ExecutionArgs) => unknown;
  release?: () => void;
}

/**
 * The graphql-ws side of SubscriptionLimits: a subscription takes its slot in onSubscribe (so an
 * over-limit one gets an error message for its id and the socket stays open) and gives it back
 * however it ends. graphql-ws calls onComplete on every ordinary end (client complete, socket
 * close, stream end, error result); the stream's own `finally` covers the ends that skip it (a send
 * failing on a closing socket). Releasing is idempotent, so both may run.
 */
export function subscriptionSlots(limits: SubscriptionLimits) {
  /** Per graphql-ws connection context: the slot of each subscription id. */
  const byConnection = new WeakMap<object, Map<string, () => void>>();
  return {
    acquire(
      connection: object,
      id: string,
      caller: Caller,
      req: IncomingMessage,
    ): (() => void) | GraphQLError {
      const slot = limits.acquire(connection, callerBucket(caller, req));
      if (isRefusal(slot)) return subscriptionLimitError(slot);
      const ids = byConnection.get(connection) ?? new Map<string, () => void>();
      byConnection.set(connection, ids);
      ids.set(id, slot);
      return slot;
    },
    release(connection: object, id: string): void {
      const ids = byConnection.get(connection);
      ids?.get(id)?.();
      ids?.delete(id);
    },
    async subscribe(args: ExecutionArgs, root: SlotRoot): Promise<unknown> {
      const release = root.release ?? (() => {});
      let result: unknown;
      try {
        result = await root.subscribe(args);
      } catch (err) {
        release();
        throw err;
      }
      if (!isAsyncIterable(result)) {
        release();
        return result;
      }
      return releasingAtEnd(result, release);
    },
  };
}

/**
 * `source`, calling `release` when it ends, fails or is returned. Not an async generator: a
 * generator's return() waits for its pending next() (the next event, maybe minutes away), so a
 * client's complete would not end the subscription until then.
 */
function releasingAtEnd<T>(source: AsyncIterable<T>, release: () => void): AsyncIterableIterator<T> {
  const it = source[Symbol.asyncIterator]();
  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    async next() {
      try {
        const r = await it.next();
        if (r.done) release();
        return r;
      } catch (err) {
        release();
        throw err;
      }
    },
    async return(value?: unknown) {
      release();
      return (await it.return?.(value)) ?? { done: true, value: undefined };
    },
    async throw(err?: unknown) {
      release();
      if (it.throw) return it.throw(err);
      throw err;
    },
  };
}
