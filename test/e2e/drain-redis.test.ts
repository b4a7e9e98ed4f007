import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  allProgress,
  dataOf,
  expectContiguous,
  guardPodWithBudget,
  readJob,
  setBudget,
  startDrain,
  untilFinished,
  workerNodePicker,
} from '../drain/drain-e2e-support.js';
import { deleteKeys, REDIS_URL } from '../events/redis-test-keys.js';
import { SIM_DRAIN_CONFIG } from '../support/drain-timings.js';
import { waitFor } from '../support/wait-for.js';
import { type SimCluster, startGateway, startSimCluster, type TestGateway } from './harness.js';
import { CANCEL_DRAIN, CORDON_NODE, DRAIN_NODE, DRAIN_PROGRESS, UNCORDON_NODE } from './operations/drain.js';

describe('drain jobs shared by two gateways on one Redis', () => {
  const redisKeyPrefix = `kng-test-${randomUUID()}:`;
  let cluster: SimCluster;
  let a: TestGateway;
  let b: TestGateway;
  let redis: Redis;
  const pickNode = workerNodePicker(() => cluster.sim);

  beforeAll(async () => {
    cluster = await startSimCluster({ nodes: 10, pods: 160, seed: 26 });
    const config = { redisUrl: REDIS_URL, redisKeyPrefix, drain: SIM_DRAIN_CONFIG };
    [a, b] = await Promise.all([
      startGateway({ kubeconfigPath: cluster.kubeconfigPath, config }),
      startGateway({ kubeconfigPath: cluster.kubeconfigPath, config }),
    ]);
    redis = new Redis(REDIS_URL);
  });
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await cluster?.stop();
    await deleteKeys(redis, redisKeyPrefix);
    redis.disconnect();
  });

  it('drainProgress on B receives every event of a drain started on A', async () => {
    const node = pickNode();
    const guarded = guardPodWithBudget(cluster.sim, node);
    const job = await startDrain(a, node, { deleteEmptyDirData: true, force: true });
    const subscription = b.subscribe(DRAIN_PROGRESS, { id: job.id });
    await waitFor(() => subscription.received.some((r) => r.data?.drainProgress.kind === 'POD_BLOCKED'), {
      what: 'B to see the blocked eviction',
    });
    setBudget(cluster.sim, guarded, 0);
    const events = await allProgress(subscription);
    expectContiguous(events);
    expect(events.at(-1)).toMatchObject({ kind: 'JOB_SUCCEEDED', job: { state: 'SUCCEEDED' } });
    // B saw exactly the steps the job recorded after its snapshot.
    const log = (await readJob(b, job.id)).events;
    expect(events.slice(1).map((e) => [e.sequence, e.kind])).toEqual(
      log.filter((e) => e.sequence > events[0]!.sequence).map((e) => [e.sequence, e.kind]),
    );
    expect((await readJob(a, job.id)).runner).toBe((await readJob(b, job.id)).runner);
  });

  it('drainNode for the same node on A and B at once yields one job', async () => {
    const node = pickNode();
    const [fromA, fromB] = await Promise.all([
      startDrain(a, node, { dryRun: true, force: true, deleteEmptyDirData: true }),
      startDrain(b, node, { dryRun: true, force: true, deleteEmptyDirData: true }),
    ]);
    expect(fromB.id).toBe(fromA.id);
    expect((await untilFinished(b, fromA.id)).state).toBe('SUCCEEDED');
  });

  it('a subscription ends with UPSTREAM_UNAVAILABLE when its Redis connection drops', async () => {
    const node = pickNode();
    guardPodWithBudget(cluster.sim, node);
    const job = await startDrain(a, node, { deleteEmptyDirData: true, force: true });
    const subscription = b.subscribe(DRAIN_PROGRESS, { id: job.id });
    await subscription.next(); // the snapshot: subscribed
    const clients = (await redis.client('LIST')) as string;
    const ids = clients
      .split('\n')
      .filter((line) => line.includes(`name=kng-events:${redisKeyPrefix}`))
      .map((line) => /id=(\d+)/.exec(line)?.[1]);
    for (const id of ids) if (id) await redis.client('KILL', 'ID', id);
    const failure = await waitFor(() => subscription.received.find((r) => r.errors)?.errors?.[0], {
      what: 'the subscription error',
    });
    expect(failure.extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(failure.message).toMatch(/Redis is unreachable/);
    await subscription.done;
    // Cancel reaches A's runner although the cancel event was published while it resubscribed.
    const cancelled = await waitFor(
      async () => {
        const response = await b.query(CANCEL_DRAIN, { id: job.id });
        return response.data?.cancelDrain ?? undefined;
      },
      { what: 'cancel to succeed once Redis reconnected' },
    );
    expect(cancelled.state).toBe('CANCELLED');
  });
});

describe('a gateway whose Redis is unreachable', () => {
  let cluster: SimCluster;
  let gateway: TestGateway;
  beforeAll(async () => {
    cluster = await startSimCluster({ nodes: 4, pods: 30, seed: 36 });
    gateway = await startGateway({
      kubeconfigPath: cluster.kubeconfigPath,
      config: { redisUrl: 'redis://127.0.0.1:1', redisKeyPrefix: `kng-test-${randomUUID()}:` },
    });
  });
  afterAll(async () => {
    await gateway?.stop();
    await cluster?.stop();
  });

  it('fails drain mutations fast with UPSTREAM_UNAVAILABLE, never starting a drain', async () => {
    const node = cluster.sim.cluster.findWorkerNode();
    const started = Date.now();
    const response = await gateway.query(DRAIN_NODE, { name: node });
    expect(response.errors?.[0]?.extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(response.errors?.[0]?.message).toMatch(/Redis is unreachable/);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(cluster.sim.cluster.getNode(node)?.spec?.unschedulable).toBeFalsy();
    const uncordon = await gateway.query(UNCORDON_NODE, { name: node });
    expect(uncordon.errors?.[0]?.extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
    const cancel = await gateway.query(CANCEL_DRAIN, { id: randomUUID() });
    expect(cancel.errors?.[0]?.extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
    const subscription = gateway.subscribe(DRAIN_PROGRESS, { id: randomUUID() });
    expect((await subscription.next()).errors?.[0]?.extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
  });

  it('still cordons: a cordon needs no coordination', async () => {
    const node = cluster.sim.cluster.findWorkerNode();
    expect(dataOf(await gateway.query(CORDON_NODE, { name: node }), 'cordonNode')).toMatchObject({
      schedulable: false,
    });
  });
});
