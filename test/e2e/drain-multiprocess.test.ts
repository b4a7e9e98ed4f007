import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  allProgress,
  cancelDrain,
  expectContiguous,
  guardPodWithBudget,
  readJob,
  setBudget,
  startDrain,
  untilFinished,
  workerNodePicker,
} from '../drain/drain-e2e-support.js';
import { waitFor } from '../support/wait-for.js';
import { type SimCluster, type SpawnedGateway, startSimCluster } from './harness.js';
import { DRAIN_PROGRESS } from './operations/drain.js';
import { spawnRedisReplicas, stopRedisReplicas } from './redis-replicas.js';

describe('two gateway processes on one Redis', () => {
  const redisKeyPrefix = `kng-test-${randomUUID()}:`;
  let cluster: SimCluster;
  let a: SpawnedGateway;
  let b: SpawnedGateway;
  const pickNode = workerNodePicker(() => cluster.sim);

  beforeAll(async () => {
    cluster = await startSimCluster({ nodes: 10, pods: 160, seed: 46 });
    [a, b] = (await spawnRedisReplicas({
      kubeconfigPath: cluster.kubeconfigPath,
      redisKeyPrefix,
      count: 2,
    })) as [SpawnedGateway, SpawnedGateway];
  }, 40_000);

  afterAll(async () => {
    await stopRedisReplicas([a, b], redisKeyPrefix);
    await cluster?.stop();
  });

  it('drainNode for the same node on A and B at once yields one job', async () => {
    const node = pickNode();
    // A budget keeps the job active however slowly either process answers, so the second
    // request cannot arrive after the first job has already finished.
    guardPodWithBudget(cluster.sim, node);
    const options = { force: true, deleteEmptyDirData: true };
    const [fromA, fromB] = await Promise.all([startDrain(a, node, options), startDrain(b, node, options)]);
    expect(fromB.id).toBe(fromA.id);
    await cancelDrain(b, fromA.id);
    expect((await untilFinished(a, fromA.id)).state).toBe('CANCELLED');
  });

  it('when A is killed (-9) mid-drain, B takes the job over after the lease and finishes it', async () => {
    const node = pickNode();
    const guarded = guardPodWithBudget(cluster.sim, node);
    const job = await startDrain(a, node, { deleteEmptyDirData: true, force: true });
    try {
      const subscription = b.subscribe(DRAIN_PROGRESS, { id: job.id });
      const kinds = () => subscription.received.map((r) => r.data?.drainProgress.kind);
      await waitFor(() => kinds().includes('POD_BLOCKED'), { what: 'B to see A blocked on the budget' });
      const runnerA = (await readJob(b, job.id)).runner;
      expect(runnerA).toBeTruthy();

      a.kill('SIGKILL');
      expect(await a.exited).toBe('SIGKILL');
      const killedAt = Date.now();
      await waitFor(() => kinds().includes('JOB_TAKEN_OVER'), {
        timeoutMs: 10_000,
        what: 'B to take the job over',
      });
      const takeoverDelay = Date.now() - killedAt;
      expect(takeoverDelay).toBeLessThan(5000); // lease 1 s + a scan every lease/3

      setBudget(cluster.sim, guarded, 0);
      const events = await allProgress(subscription);
      expectContiguous(events);
      expect(events.at(-1)).toMatchObject({ kind: 'JOB_SUCCEEDED' });
      const done = await readJob(b, job.id);
      expect(done.state).toBe('SUCCEEDED');
      expect(done.runner).not.toBe(runnerA);
      expect(done.takeovers).toEqual([{ at: expect.any(String), from: runnerA, to: done.runner }]);
      expect(done.pods.find((p) => p.name === guarded.metadata?.name)?.status).toBe('DELETED');
      expect(
        cluster.sim.cluster
          .listPods({ nodeName: node })
          .every((p) => p.metadata?.ownerReferences?.[0]?.kind === 'DaemonSet'),
      ).toBe(true);
    } finally {
      await b.close();
    }
  }, 30_000);
});
