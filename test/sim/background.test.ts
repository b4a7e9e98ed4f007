import { afterEach, describe, expect, it } from 'vitest';
import { type SimulatorHandle, startSimulator } from '../../src/sim/index.js';
import { watch } from './helpers.js';

let sim: SimulatorHandle | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

describe('background activity', () => {
  it('posts node heartbeats: MODIFIED events that only move lastHeartbeatTime', async () => {
    sim = await startSimulator({ nodes: 5, pods: 40, heartbeatIntervalMs: 100 });
    const w = await watch(sim, `/api/v1/nodes?watch=true&resourceVersion=${sim.cluster.resourceVersion}`);
    const events = [];
    for (let i = 0; i < 10; i++) events.push(await w.next(3_000));
    expect(events.every((e) => e.type === 'MODIFIED')).toBe(true);
    const [a, b] = events.filter((e) => e.object.metadata?.name === 'node-0002');
    expect(a && b).toBeTruthy();
    const strip = (o: Record<string, unknown>): string =>
      JSON.stringify(o, (k, v) =>
        k === 'lastHeartbeatTime' || k === 'resourceVersion' || k === 'time' ? undefined : v,
      );
    expect(strip(a!.object)).toBe(strip(b!.object));
    w.close();
  });

  it('churns pods at a rate: ReplicaSet pods deleted and recreated', async () => {
    sim = await startSimulator({
      nodes: 6,
      pods: 60,
      heartbeatIntervalMs: 0,
      controllerDelayMs: 10,
      churn: { podsPerSecond: 20 },
    });
    const w = await watch(sim, `/api/v1/pods?watch=true&resourceVersion=${sim.cluster.resourceVersion}`);
    const events = await w.until((e) => e.type === 'ADDED', 3_000);
    expect(events.some((e) => e.type === 'MODIFIED' && e.object.metadata?.deletionTimestamp)).toBe(true);
    w.close();
  });

  it('flaps worker nodes NotReady and back', async () => {
    sim = await startSimulator({
      nodes: 6,
      pods: 60,
      heartbeatIntervalMs: 0,
      churn: { readyFlapsPerMinute: 600, readyFlapDurationMs: 100 },
    });
    const w = await watch(sim, `/api/v1/nodes?watch=true&resourceVersion=${sim.cluster.resourceVersion}`);
    const ready = (e: { object: Record<string, unknown> }): string | undefined =>
      (e.object.status as { conditions: Array<{ type: string; status: string }> }).conditions.find(
        (c) => c.type === 'Ready',
      )?.status;
    const down = await w.until((e) => ready(e) === 'False', 3_000);
    const name = down.at(-1)!.object.metadata?.name;
    await w.until((e) => e.object.metadata?.name === name && ready(e) === 'True', 3_000);
    w.close();
  });
});
