import { describe, expect, it } from 'vitest';
import { NodeChangeFeed } from '../../../src/informers/node-change-feed.js';
import type { NodeEvent } from '../../../src/informers/node-event.js';

function event(cluster: string, name: string | null, seq = 1): NodeEvent {
  return {
    seq,
    cursor: `c:${seq}`,
    type: name === null ? 'RESYNC' : 'MODIFIED',
    cluster,
    name,
    changes: name === null ? [] : ['LABELS'],
    node: null,
    previousLabels: null,
    at: new Date(0).toISOString(),
  };
}

async function drain(it: AsyncIterator<unknown>, n: number): Promise<unknown[]> {
  const out: unknown[] = [];
  for (let i = 0; i < n; i++) out.push((await it.next()).value);
  return out;
}

describe('NodeChangeFeed index (cluster, then names)', () => {
  it('hands an event only to subscribers of its cluster and name; RESYNC to each of the cluster once', async () => {
    const feed = new NodeChangeFeed(100);
    const named = feed.subscribe({ clusters: new Set(['a']), names: new Set(['n1', 'n2']) });
    const all = feed.subscribe({ clusters: new Set(['a']) });
    const other = feed.subscribe({ clusters: new Set(['b']), names: new Set(['n1']) });
    feed.publish(event('a', 'n1', 1));
    feed.publish(event('a', 'n3', 2));
    feed.publish(event('b', 'n2', 3));
    feed.publish(event('a', null, 4));
    expect((await drain(named, 2)).map((e) => (e as NodeEvent).seq)).toEqual([1, 4]);
    expect((await drain(all, 3)).map((e) => (e as NodeEvent).seq)).toEqual([1, 2, 4]);
    feed.publish(event('b', 'n1', 5));
    expect((await drain(other, 1)).map((e) => (e as NodeEvent).seq)).toEqual([5]);
    await named.return?.();
    feed.publish(event('a', 'n1', 6));
    expect((await drain(all, 1)).map((e) => (e as NodeEvent).seq)).toEqual([6]);
    expect(feed.size).toBe(2);
  });

  it('counts the readers a fan-out serves from one subscription', () => {
    const counts: number[] = [];
    const feed = new NodeChangeFeed(100, { onSubscribersChange: (n) => counts.push(n) });
    feed.subscribe({ clusters: new Set(['a']) });
    feed.addSharedReaders(2);
    feed.addSharedReaders(-1);
    expect(counts).toEqual([1, 3, 2]);
    expect(feed.size).toBe(2);
  });
});
