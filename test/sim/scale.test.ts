import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SimulatorHandle, startSimulator } from '../../src/sim/index.js';
import { api, type ListBody } from './helpers.js';

// The one test at full scale: 5000 nodes and 100,000 pods must fit and be served whole. How fast
// is `npm run bench -- sim`'s business (timings here would only measure the machine's load).
let sim: SimulatorHandle;

beforeAll(async () => {
  sim = await startSimulator({ nodes: 5000, pods: 100_000, heartbeatIntervalMs: 0 });
}, 60_000);
afterAll(() => sim.stop());

describe('a 5000-node, 100,000-pod cluster', () => {
  it('starts and stays within a reasonable heap', () => {
    expect(sim.cluster.listNodes()).toHaveLength(5000);
    expect(process.memoryUsage().heapUsed).toBeLessThan(1.5e9);
  });

  it('serves pages of 500 pods that continue one another without a repeat', async () => {
    let token: string | undefined;
    const names = new Set<string>();
    let items = 0;
    for (let i = 0; i < 20; i++) {
      const res: { body: ListBody } = await api<ListBody>(
        sim,
        `/api/v1/pods?limit=500${token ? `&continue=${encodeURIComponent(token)}` : ''}`,
      );
      items += res.body.items.length;
      for (const pod of res.body.items) names.add(`${pod.metadata?.namespace}/${pod.metadata?.name}`);
      token = res.body.metadata.continue;
      expect(token).toBeTruthy();
    }
    expect(items).toBe(10_000);
    expect(names.size).toBe(10_000);
  }, 30_000);

  it('answers a node-scoped pod list from the node index', async () => {
    const node = sim.cluster.findWorkerNode();
    const res = await api<ListBody>(sim, `/api/v1/pods?fieldSelector=spec.nodeName%3D${node}`);
    expect(res.body.items.length).toBe(sim.cluster.podCount(node));
    expect(
      res.body.items.every((pod) => (pod.spec as { nodeName?: string } | undefined)?.nodeName === node),
    ).toBe(true);
  });
});
