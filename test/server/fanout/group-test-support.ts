import type { NodeEvent } from '../../../src/informers/node-event.js';
import type { NodeChangeItem } from '../../../src/resolvers/node-changes.js';

/** A label change of node `name`, as the feed delivers it. */
export function event(name: string, seq = 1): NodeEvent {
  return {
    seq,
    cursor: `c:${seq}`,
    type: 'MODIFIED',
    cluster: 'one',
    name,
    changes: ['LABELS'],
    node: null,
    previousLabels: null,
    at: new Date(0).toISOString(),
  };
}

/** A source the test pushes items into, as the feed would. */
export function source() {
  const pending: NodeChangeItem[] = [];
  let wake: (() => void) | undefined;
  let ended = false;
  const iterator: AsyncIterableIterator<NodeChangeItem> = {
    async next() {
      while (pending.length === 0 && !ended) await new Promise<void>((r) => (wake = r));
      if (pending.length > 0) return { done: false, value: pending.shift()! };
      return { done: true, value: undefined };
    },
    async return() {
      ended = true;
      wake?.();
      return { done: true, value: undefined };
    },
    [Symbol.asyncIterator]: () => iterator,
  };
  return {
    iterator,
    push(item: NodeChangeItem) {
      pending.push(item);
      wake?.();
    },
    get ended() {
      return ended;
    },
  };
}
