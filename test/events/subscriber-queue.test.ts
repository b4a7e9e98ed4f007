import { describe, expect, it } from 'vitest';
import { SubscriberOverflowError, SubscriberQueue } from '../../src/events/subscriber-queue.js';

interface Item {
  key: string;
  n: number;
}

function queue(limit: number, extra: Partial<ConstructorParameters<typeof SubscriberQueue<Item>>[0]> = {}) {
  return new SubscriberQueue<Item>({
    limit,
    keyOf: (i) => i.key,
    merge: (a, b) => ({ key: b.key, n: a.n + b.n }),
    ...extra,
  });
}

async function drain(q: AsyncIterableIterator<Item>): Promise<Item[]> {
  const out: Item[] = [];
  for await (const item of q) out.push(item);
  return out;
}

describe('SubscriberQueue', () => {
  it('hands an item straight to a waiting reader', async () => {
    const q = queue(1);
    const next = q.next();
    q.push({ key: 'a', n: 1 });
    expect(await next).toEqual({ value: { key: 'a', n: 1 }, done: false });
    expect(q.size).toBe(0);
  });

  it('merges pending items of one key at the tail, keeping the order of the newest parts', async () => {
    const q = queue(10);
    q.push({ key: 'a', n: 1 });
    q.push({ key: 'b', n: 10 });
    q.push({ key: 'a', n: 2 });
    q.end();
    expect(await drain(q)).toEqual([
      { key: 'b', n: 10 },
      { key: 'a', n: 3 },
    ]);
  });

  it('closes a reader that overflows with a clear last item and frees what was pending', async () => {
    const overflowed: SubscriberOverflowError[] = [];
    const q = queue(2, {
      maxIdleMs: 0,
      overflowItem: (e) => ({ key: 'overflow', n: -e.dropped }),
      onOverflow: (e) => overflowed.push(e),
    });
    expect(q.push({ key: 'a', n: 1 })).toBe(true);
    expect(q.push({ key: 'b', n: 1 })).toBe(true);
    expect(q.push({ key: 'a', n: 1 })).toBe(true);
    expect(q.push({ key: 'c', n: 1 })).toBe(false);
    expect(q.push({ key: 'd', n: 1 })).toBe(false);
    expect(q.size).toBe(1);
    expect(overflowed[0]?.message).toMatch(/subscriber too slow: more than 2 events/);
    expect(await drain(q)).toEqual([{ key: 'overflow', n: -3 }]);
  });

  it('rejects the reader with SubscriberOverflowError when no last item is configured', async () => {
    const q = queue(1, { maxIdleMs: 0 });
    q.push({ key: 'a', n: 1 });
    q.push({ key: 'b', n: 1 });
    await expect(q.next()).rejects.toBeInstanceOf(SubscriberOverflowError);
  });

  it('lets a live reader drain a burst larger than the limit, up to the hard limit', async () => {
    const q = queue(3, { maxIdleMs: 60_000, hardLimit: 6 });
    const parked = q.next();
    for (let i = 0; i < 6; i++) expect(q.push({ key: `k${i}`, n: i })).toBe(true);
    expect((await parked).value).toEqual({ key: 'k0', n: 0 });
    expect(q.size).toBe(5);
    expect(q.push({ key: 'k6', n: 6 })).toBe(true);
    expect(q.push({ key: 'k7', n: 7 })).toBe(false);
  });

  it('ends a parked reader on return() and tells the owner once', async () => {
    let closed = 0;
    const q = queue(5, { onClose: () => closed++ });
    const parked = q.next();
    await q.return();
    expect(await parked).toEqual({ value: undefined, done: true });
    expect(q.push({ key: 'a', n: 1 })).toBe(false);
    await q.return();
    expect(closed).toBe(1);
  });

  it('delivers what is pending, then a last item, after end()', async () => {
    const q = queue(5);
    q.push({ key: 'a', n: 1 });
    q.end({ key: 'bye', n: 0 });
    expect(await drain(q)).toEqual([
      { key: 'a', n: 1 },
      { key: 'bye', n: 0 },
    ]);
  });
});
