import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SimulatorHandle, startSimulator } from '../../src/sim/index.js';
import { api, type ListBody } from './helpers.js';

// The one test at full scale: 5000 nodes and 100,000 pods must fit and be served quickly.
let sim: SimulatorHandle;
let startMs: number;

beforeAll(async () => {
  const t0 = performance.now();
  sim = await startSimulator({ nodes: 5000, pods: 100_000, heartbeatIntervalMs: 0 });
  startMs = performance.now() - t0;
}, 60_000);
afterAll(() => sim.stop());

describe('a 5000-node, 100,000-pod cluster', () => {
  it('starts in seconds and stays within a reasonable heap', () => {
    expect(startMs).toBeLessThan(30_000);
    expect(sim.cluster.listNodes()).toHaveLength(5000);
    expect(process.memoryUsage().heapUsed).toBeLessThan(1.5e9);
  });

  it('serves pages of 500 pods in well under 100 ms each', async () => {
    let token: string | undefined;
    const t0 = performance.now();
    let items = 0;
    for (let i = 0; i < 20; i++) {
      const res: { body: ListBody } = await api<ListBody>(
        sim,
        `/api/v1/pods?limit=500${token ? `&continue=${encodeURIComponent(token)}` : ''}`,
      );
      items += res.body.items.length;
      token = res.body.metadata.continue;
    }
    const perPage = (performance.now() - t0) / 20;
    expect(items).toBe(10_000);
    expect(perPage).toBeLessThan(100);
  }, 30_000);

  it('answers a node-scoped pod list from the node index', async () => {
    const node = sim.cluster.findWorkerNode();
    const t0 = performance.now();
    const res = await api<ListBody>(sim, `/api/v1/pods?fieldSelector=spec.nodeName%3D${node}`);
    expect(performance.now() - t0).toBeLessThan(200);
    expect(res.body.items.length).toBe(sim.cluster.podCount(node));
  });
});
