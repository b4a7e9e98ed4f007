import { atExpiry } from './expiry-timer.js';

/**
 * A subscription's events until `expiresAt`, then one last `expired()` value and the end: a
 * stream must not outlive the token that opened it. Ending the wrapper ends the source.
 */
export function untilExpiry<T>(
  source: AsyncIterable<T>,
  expiresAt: number,
  expired: () => T,
): AsyncIterableIterator<T> {
  const iterator = source[Symbol.asyncIterator]();
  let finished = false;
  let onExpired!: () => void;
  const expiry = new Promise<'expired'>((resolve) => {
    onExpired = () => resolve('expired');
  });
  const cancel = atExpiry(expiresAt, () => onExpired());
  const finish = async () => {
    finished = true;
    cancel();
    await iterator.return?.();
  };
  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    async next(): Promise<IteratorResult<T>> {
      if (finished) return { done: true, value: undefined };
      const result = await Promise.race([iterator.next(), expiry]);
      if (result === 'expired') {
        finish().catch(() => {});
        return { done: false, value: expired() };
      }
      if (result.done) {
        finished = true;
        cancel();
      }
      return result;
    },
    async return(): Promise<IteratorResult<T>> {
      if (!finished) await finish();
      return { done: true, value: undefined };
    },
  };
}
