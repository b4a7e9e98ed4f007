import { describe, expect, it } from 'vitest';
import { LabelSelectorError } from '../../src/clusters/label-selector.js';
import { NodeCache } from '../../src/informers/node-cache.js';
import { projectNode } from '../../src/informers/node-projection.js';
import {
  compileNodeFilter,
  encodeNodeCursor,
  type NodeFilterInput,
  NodeQueryError,
  pageOfNodes,
} from '../../src/informers/node-query.js';
import { rawNode } from './fixtures.js';

/** 10 nodes: n00..n09; odd ones not ready, every third cordoned, n00 a control plane with a taint. */
function cluster() {
  const cache = new NodeCache();
  const nodes = Array.from({ length: 10 }, (_, i) => {
    const raw = rawNode(`n0${i}`);
    raw.metadata!.creationTimestamp = `2026-01-${String(20 - i).padStart(2, '0')}T00:00:00Z`;
    raw.metadata!.labels!.tier = i < 5 ? 'front' : 'back';
    if (i % 2 === 1) raw.status!.conditions![1]!.status = 'False';
    if (i % 3 === 0) raw.spec!.unschedulable = true;
    if (i === 0) {
      delete raw.metadata!.labels!['node-role.kubernetes.io/worker'];
      raw.metadata!.labels!['node-role.kubernetes.io/control-plane'] = '';
      raw.spec!.taints = [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }];
    }
    return projectNode(raw, 'c');
  });
  cache.replace(nodes, { silent: true });
  return cache;
}

const names = (filter: NodeFilterInput) =>
  pageOfNodes({
    view: cluster().sorted('NAME'),
    order: { field: 'NAME', direction: 'ASC' },
    predicate: compileNodeFilter(filter),
  }).nodes.map((n) => n.name);

describe('node filters', () => {
  it.each<[NodeFilterInput, string[]]>([
    [{ ready: true }, ['n00', 'n02', 'n04', 'n06', 'n08']],
    [{ schedulable: false }, ['n00', 'n03', 'n06', 'n09']],
    [{ role: 'control-plane' }, ['n00']],
    [{ taintKey: 'node-role.kubernetes.io/control-plane' }, ['n00']],
    [{ nameContains: 'N0' }, ['n00', 'n01', 'n02', 'n03', 'n04', 'n05', 'n06', 'n07', 'n08', 'n09']],
    [{ nameContains: '7' }, ['n07']],
    [{ labelSelector: 'tier=back' }, ['n05', 'n06', 'n07', 'n08', 'n09']],
    [{ labelSelector: 'tier in (back),kubernetes.io/hostname notin (n05,n06)' }, ['n07', 'n08', 'n09']],
    [{ labelSelector: '!node-role.kubernetes.io/worker' }, ['n00']],
    [{ labelSelector: 'tier!=front', ready: true, schedulable: true }, ['n08']],
  ])('%j', (filter, expected) => {
    expect(names(filter)).toEqual(expected);
  });

  it('rejects a malformed label selector', () => {
    expect(() => compileNodeFilter({ labelSelector: 'tier in (a' })).toThrow(LabelSelectorError);
  });
});

describe('pageOfNodes', () => {
  const cache = cluster();

  it('walks pages by cursor and counts the whole match', () => {
    const order = { field: 'NAME', direction: 'ASC' } as const;
    const predicate = compileNodeFilter({ ready: true });
    const first = pageOfNodes({ view: cache.sorted('NAME'), order, predicate, first: 2 });
    expect(first.nodes.map((n) => n.name)).toEqual(['n00', 'n02']);
    expect(first).toMatchObject({ hasNextPage: true, hasPreviousPage: false, totalCount: 5 });
    const after = encodeNodeCursor(first.nodes[1]!, 'NAME');
    const second = pageOfNodes({ view: cache.sorted('NAME'), order, predicate, first: 3, after });
    expect(second.nodes.map((n) => n.name)).toEqual(['n04', 'n06', 'n08']);
    expect(second).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
  });

  it('keeps its place when the node at the cursor is deleted', () => {
    const local = cluster();
    const order = { field: 'NAME', direction: 'ASC' } as const;
    const page = pageOfNodes({ view: local.sorted('NAME'), order, first: 3 });
    local.remove('n02');
    const next = pageOfNodes({
      view: local.sorted('NAME'),
      order,
      first: 2,
      after: encodeNodeCursor(page.nodes[2]!, 'NAME'),
    });
    expect(next.nodes.map((n) => n.name)).toEqual(['n03', 'n04']);
  });

  it('orders descending and by creation time', () => {
    const desc = pageOfNodes({
      view: cache.sorted('NAME'),
      order: { field: 'NAME', direction: 'DESC' },
      first: 3,
    });
    expect(desc.nodes.map((n) => n.name)).toEqual(['n09', 'n08', 'n07']);
    const next = pageOfNodes({
      view: cache.sorted('NAME'),
      order: { field: 'NAME', direction: 'DESC' },
      first: 2,
      after: encodeNodeCursor(desc.nodes[2]!, 'NAME'),
    });
    expect(next.nodes.map((n) => n.name)).toEqual(['n06', 'n05']);
    const byAge = pageOfNodes({
      view: cache.sorted('CREATED_AT'),
      order: { field: 'CREATED_AT', direction: 'ASC' },
      first: 2,
    });
    expect(byAge.nodes.map((n) => n.name)).toEqual(['n09', 'n08']);
  });

  it('rejects a cursor of another ordering or a made-up one', () => {
    const cursor = encodeNodeCursor(cache.get('n01')!, 'NAME');
    expect(() =>
      pageOfNodes({
        view: cache.sorted('CREATED_AT'),
        order: { field: 'CREATED_AT', direction: 'ASC' },
        after: cursor,
      }),
    ).toThrow(/another orderBy/);
    expect(() => pageOfNodes({ view: [], order: { field: 'NAME', direction: 'ASC' }, after: 'xyz' })).toThrow(
      NodeQueryError,
    );
  });
});
