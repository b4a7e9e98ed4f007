import { describe, expect, it } from 'vitest';
import type { PodCountsByNode } from '../../src/pods/pod-count-lister.js';
import { createPodCountLoader } from '../../src/pods/pod-count-loader.js';

function countsOf(cluster: string, counts: Record<string, number>): PodCountsByNode {
  return {
    cluster,
    counts: new Map(Object.entries(counts)),
    pods: 0,
    pages: 1,
    format: 'table',
    startedAt: 0,
    durationMs: 0,
  };
}

describe('createPodCountLoader', () => {
  it('asks once per cluster for all the nodes of one tick, and answers 0 for nodes without pods', async () => {
    const asked: string[] = [];
    const loader = createPodCountLoader(
      async (cluster) => {
        asked.push(cluster);
        return cluster === 'a' ? countsOf('a', { n1: 3, n2: 1 }) : countsOf('b', { n1: 9 });
      },
      (err) => err as Error,
    );
    const nodes = [
      { cluster: 'a', name: 'n1' },
      { cluster: 'a', name: 'n2' },
      { cluster: 'a', name: 'n3' },
      { cluster: 'b', name: 'n1' },
    ];
    expect(await Promise.all(nodes.map((n) => loader.load(n)))).toEqual([3, 1, 0, 9]);
    expect(asked.sort()).toEqual(['a', 'b']);
  });

  it("rejects only the failing cluster's nodes, with the mapped error", async () => {
    const loader = createPodCountLoader(
      async (cluster) => {
        if (cluster === 'bad') throw new Error('list failed');
        return countsOf(cluster, { n1: 2 });
      },
      (err, cluster) => new Error(`${cluster}: ${(err as Error).message}`),
    );
    const results = await Promise.allSettled([
      loader.load({ cluster: 'good', name: 'n1' }),
      loader.load({ cluster: 'bad', name: 'n1' }),
      loader.load({ cluster: 'bad', name: 'n2' }),
    ]);
    expect(results[0]).toEqual({ status: 'fulfilled', value: 2 });
    for (const r of results.slice(1))
      expect(r).toMatchObject({ status: 'rejected', reason: { message: 'bad: list failed' } });
  });
});
