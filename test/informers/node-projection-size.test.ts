import { describe, expect, it } from 'vitest';
import type { RawNode } from '../../src/informers/kube-node.js';
import { projectNode } from '../../src/informers/node-projection.js';
import { StringPool } from '../../src/informers/string-pool.js';
import { generateCluster } from '../../src/sim/generate-cluster.js';
import { retainedBytesPerItem } from '../support/retained-heap.js';

/** Heap kept alive by what `build` returns, per item; `build` must return `count` items. */
function retainedPerItem(count: number, build: () => unknown[]): number {
  const { bytesPerItem, count: kept } = retainedBytesPerItem(build);
  expect(kept).toBe(count);
  return bytesPerItem;
}

describe('the cached node projection', () => {
  it('keeps a realistic node in well under 4 KB of heap (a parsed node takes ~19 KB)', () => {
    const count = 2000;
    const json = generateCluster({ nodes: count, pods: 0, seed: 9 }).nodes.map((n) => JSON.stringify(n));
    const pool = new StringPool();
    const parsed = retainedPerItem(count, () => json.map((s) => JSON.parse(s) as RawNode));
    const projected = retainedPerItem(count, () =>
      json.map((s) => projectNode(JSON.parse(s) as RawNode, 'c', pool)),
    );
    expect(projected).toBeLessThan(4096);
    expect(projected).toBeLessThan(parsed / 3);
  });
});
