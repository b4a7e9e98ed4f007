import { describe, expect, it } from 'vitest';
import { NodeChangeFeed } from '../../src/informers/node-change-feed.js';
import type { NodeEvent } from '../../src/informers/node-event.js';
import { NodeEventHistory } from '../../src/informers/node-event-history.js';

function append(h: NodeEventHistory, cluster: string, name: string): NodeEvent {
  return h.append(cluster, {
    type: 'MODIFIED',
    name,
    changes: ['LABELS'],
    node: null,
    previousLabels: null,
    at: new Date().toISOString(),
  });
}

describe('NodeEventHistory', () => {
  it('replays exactly the events after a cursor, across clusters in order', () => {
    const h = new NodeEventHistory(10);
    h.openCluster('a');
    h.openCluster('b');
    const first = append(h, 'a', 'n1');
    append(h, 'b', 'n2');
    append(h, 'a', 'n3');
    append(h, 'b', 'n4');
    const replay = h.since(first.cursor, ['a', 'b']);
    expect(replay.kind === 'replay' && replay.events.map((e) => e.name)).toEqual(['n2', 'n3', 'n4']);
    const onlyA = h.since(first.cursor, ['a']);
    expect(onlyA.kind === 'replay' && onlyA.events.map((e) => e.name)).toEqual(['n3']);
  });

  it('asks for a resync once the history no longer reaches back', () => {
    const h = new NodeEventHistory(2);
    h.openCluster('a');
    const first = append(h, 'a', 'n1');
    const second = append(h, 'a', 'n2');
    append(h, 'a', 'n3');
    append(h, 'a', 'n4');
    expect(h.since(first.cursor, ['a']).kind).toBe('resync');
    const fromSecond = h.since(second.cursor, ['a']);
    expect(fromSecond.kind === 'replay' && fromSecond.events.map((e) => e.name)).toEqual(['n3', 'n4']);
  });

  it('asks for a resync for a cursor of another process and for a cluster added since', () => {
    const h = new NodeEventHistory(10, 'aaaa');
    h.openCluster('a');
    const cursor = append(h, 'a', 'n1').cursor;
    expect(new NodeEventHistory(10, 'bbbb').since(cursor, ['a']).kind).toBe('resync');
    append(h, 'a', 'n2');
    h.openCluster('b');
    expect(h.since(cursor, ['a', 'b']).kind).toBe('resync');
  });

  it('tells a malformed cursor apart', () => {
    expect(new NodeEventHistory(10).since('garbage', ['a']).kind).toBe('invalid');
  });

  it('replays nothing from the current cursor', () => {
    const h = new NodeEventHistory(10);
    h.openCluster('a');
    append(h, 'a', 'n1');
    expect(h.since(h.currentCursor(), ['a'])).toEqual({ kind: 'replay', events: [] });
  });
});

describe('NodeChangeFeed replay', () => {
  it('replays only the events the subscription filter wants, then live ones', async () => {
    const h = new NodeEventHistory(10);
    h.openCluster('a');
    const since = append(h, 'a', 'n0').cursor;
    append(h, 'a', 'n1');
    append(h, 'a', 'n2');
    append(h, 'a', 'n1');
    const replay = h.since(since, ['a']);
    const feed = new NodeChangeFeed(10);
    const events = feed.subscribe(
      { clusters: new Set(['a']), names: new Set(['n1']) },
      replay.kind === 'replay' ? replay.events : [],
    );
    feed.publish(append(h, 'a', 'n2'));
    feed.publish(append(h, 'a', 'n1'));
    const seen: (string | null)[] = [];
    for (let i = 0; i < 3; i++) {
      const item = await events.next();
      seen.push(item.done || 'overflow' in item.value ? null : item.value.name);
    }
    expect(seen).toEqual(['n1', 'n1', 'n1']);
    await events.return?.();
    expect(feed.size).toBe(0);
  });
});
