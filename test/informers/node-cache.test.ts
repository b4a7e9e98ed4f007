import { describe, expect, it } from 'vitest';
import { NodeCache, type NodeChange } from '../../src/informers/node-cache.js';
import { projectNode } from '../../src/informers/node-projection.js';
import { cloneNode, rawNode } from './fixtures.js';

function node(name: string, mutate?: (raw: ReturnType<typeof rawNode>) => void) {
  const raw = cloneNode(rawNode(name));
  mutate?.(raw);
  return projectNode(raw, 'c');
}

function cacheWithLog() {
  const changes: NodeChange[] = [];
  let heartbeats = 0;
  const cache = new NodeCache({ onChange: (c) => changes.push(c), onUnchanged: () => heartbeats++ });
  return { cache, changes, heartbeats: () => heartbeats };
}

describe('NodeCache', () => {
  it('fills silently on the first LIST', () => {
    const { cache, changes } = cacheWithLog();
    cache.replace([node('b'), node('a')], { silent: true });
    expect(changes).toEqual([]);
    expect(cache.sorted('NAME').map((n) => n.name)).toEqual(['a', 'b']);
  });

  it('reports a meaningful update with its kinds, and a heartbeat to no one', () => {
    const { cache, changes, heartbeats } = cacheWithLog();
    cache.replace([node('a')], { silent: true });
    cache.upsert(node('a', (r) => (r.metadata!.resourceVersion = '2')));
    expect(changes).toEqual([]);
    expect(heartbeats()).toBe(1);
    expect(cache.get('a')!.resourceVersion).toBe('2');
    cache.upsert(node('a', (r) => (r.spec!.unschedulable = true)));
    expect(changes.map((c) => [c.type, c.changes])).toEqual([['MODIFIED', ['SCHEDULABLE']]]);
  });

  it('reports a relist as the difference: added, modified and deleted nodes', () => {
    const { cache, changes } = cacheWithLog();
    cache.replace([node('a'), node('b'), node('c')], { silent: true });
    cache.replace([node('a'), node('b', (r) => (r.metadata!.labels!.x = 'y')), node('d')]);
    expect(changes.map((c) => `${c.type} ${c.node.name}`).sort()).toEqual([
      'ADDED d',
      'DELETED c',
      'MODIFIED b',
    ]);
    expect(changes.find((c) => c.type === 'DELETED')!.node.name).toBe('c');
  });

  it('reports a node re-created under the same name (new uid) while unwatched as modified', () => {
    const { cache, changes } = cacheWithLog();
    cache.replace([node('a')], { silent: true });
    cache.replace([node('a', (r) => (r.metadata!.uid = 'other'))]);
    expect(changes.map((c) => c.type)).toEqual(['MODIFIED']);
  });

  it('deletes with the last known state', () => {
    const { cache, changes } = cacheWithLog();
    cache.replace([node('a')], { silent: true });
    cache.remove('a');
    expect(changes.map((c) => [c.type, c.node.name])).toEqual([['DELETED', 'a']]);
    expect(cache.get('a')).toBeUndefined();
    cache.remove('a');
    expect(changes).toHaveLength(1);
  });

  it('keeps sorted views current without resorting on updates', () => {
    const { cache } = cacheWithLog();
    cache.replace(
      [node('b'), node('a', (r) => (r.metadata!.creationTimestamp = '2026-02-01T00:00:00Z')), node('c')],
      {
        silent: true,
      },
    );
    const byName = cache.sorted('NAME');
    const updated = node('b', (r) => (r.spec!.unschedulable = true));
    cache.upsert(updated);
    expect(cache.sorted('NAME')).toBe(byName);
    expect(byName[1]).toBe(updated);
    expect(cache.sorted('CREATED_AT').map((n) => n.name)).toEqual(['b', 'c', 'a']);
    cache.upsert(node('0'));
    expect(cache.sorted('NAME').map((n) => n.name)).toEqual(['0', 'a', 'b', 'c']);
  });
});
