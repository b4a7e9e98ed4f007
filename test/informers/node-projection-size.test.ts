import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import type { RawNode } from '../../src/informers/kube-node.js';
import { projectNode } from '../../src/informers/node-projection.js';
import { StringPool } from '../../src/informers/string-pool.js';
import { generateCluster } from '../../src/sim/generate-cluster.js';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

/** Heap kept alive by what `build` returns, per item. */
function retainedBytesPerItem(count: number, build: () => unknown[]): number {
  gc();
  gc();
  const before = process.memoryUsage().heapUsed;
  const kept = build();
  gc();
  gc();
  const after = process.memoryUsage().heapUsed;
  expect(kept).toHaveLength(count);
  return (after - before) / count;
}

describe('the cached node projection', () => {
  it('keeps a realistic node in well under 4 KB of heap (a parsed node takes ~19 KB)', () => {
    const count = 2000;
    const json = generateCluster({ nodes: count, pods: 0, seed: 9 }).nodes.map((n) => JSON.stringify(n));
    const pool = new StringPool();
    const parsed = retainedBytesPerItem(count, () => json.map((s) => JSON.parse(s) as RawNode));
    const projected = retainedBytesPerItem(count, () =>
      json.map((s) => projectNode(JSON.parse(s) as RawNode, 'c', pool)),
    );
    expect(projected).toBeLessThan(4096);
    expect(projected).toBeLessThan(parsed / 3);
  });
});
