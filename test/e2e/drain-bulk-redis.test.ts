import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  admittedEvictions,
  allBulkProgress,
  blockNodeWithBudget,
  expectContiguousBulk,
} from '../drain/bulk-drain-e2e-support.js';
import { dataOf, workerNodePicker } from '../drain/drain-e2e-support.js';
import { deleteKeys, REDIS_URL } from '../events/redis-test-keys.js';
import { SIM_DRAIN_CONFIG } from '../support/drain-timings.js';
import { waitFor } from '../support/wait-for.js';
import { type SimCluster, startGateway, startSimCluster, type TestGateway } from './harness.js';
import {
  BULK_DRAIN_JOB,
  BULK_DRAIN_PROGRESS,
  CANCEL_BULK_DRAIN,
  DRAIN_NODES,
} from './operations/drain-bulk.js';

const OPTIONS = { deleteEmptyDirData: true, force: true };

describe('bulk drains shared by two gateways on one Redis', () => {
  const redisKeyPrefix = `kng-test-${randomUUID()}:`;
  let cluster: SimCluster;
  let a: TestGateway;
  let b: TestGateway;
  let redis: Redis;
  const pickNode = workerNodePicker(() => cluster.sim);

  beforeAll(async () => {
    cluster = await startSimCluster({ nodes: 12, pods: 180, seed: 27 });
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

  it('a bulk drain started on A is followed to its end on B', async () => {
    const nodes = [pickNode(), pickNode(), pickNode()];
    const job = dataOf(
      await a.query(DRAIN_NODES, { names: nodes, options: OPTIONS, maxConcurrent: 2 }),
      'drainNodes',
    );
    const events = await allBulkProgress(b.subscribe(BULK_DRAIN_PROGRESS, { id: job.id }));
    expectContiguousBulk(events);
    expect(events.at(-1)).toMatchObject({ kind: 'BULK_SUCCEEDED' });
    const done = dataOf(await b.query(BULK_DRAIN_JOB, { id: job.id }), 'bulkDrainJob');
    expect(done).toMatchObject({ state: 'SUCCEEDED', counts: { drained: 3 } });
    expect(done.nodes.every((n) => n.drainJob?.state === 'SUCCEEDED')).toBe(true);
    expect(cluster.sim.cluster.pdbViolations()).toEqual([]);
  });

  it('B cancels a bulk drain coordinated by A: queued nodes never start, no eviction after the cancel returns', async () => {
    const { sim } = cluster;
    const nodes = [pickNode(), pickNode(), pickNode()];
    const blocker = blockNodeWithBudget(sim, nodes[0]!);
    const job = dataOf(
      await a.query(DRAIN_NODES, { names: nodes, options: OPTIONS, maxConcurrent: 1 }),
      'drainNodes',
    );
    const subscription = b.subscribe(BULK_DRAIN_PROGRESS, { id: job.id });
    await waitFor(
      () =>
        subscription.received.some(
          (r) =>
            r.data?.bulkDrainProgress.drainEvent?.kind === 'POD_BLOCKED' &&
            r.data.bulkDrainProgress.drainEvent.pod?.name === blocker.metadata?.name,
        ),
      { what: 'B to see the blocked eviction', timeoutMs: 30_000 },
    );
    const cancelled = dataOf(await b.query(CANCEL_BULK_DRAIN, { id: job.id }), 'cancelBulkDrain');
    const cancelledAt = Date.now();
    expect(cancelled.state).toBe('CANCELLED');
    expect(cancelled.nodes.map((n) => [n.name, n.state, n.drainJobId === null])).toEqual([
      [nodes[0], 'CANCELLED', false],
      [nodes[1], 'CANCELLED', true],
      [nodes[2], 'CANCELLED', true],
    ]);
    const events = await allBulkProgress(subscription);
    expect(events.at(-1)?.kind).toBe('BULK_CANCELLED');
    await new Promise((r) => setTimeout(r, 5 * SIM_DRAIN_CONFIG.evictRetryDelayMs));
    expect(
      sim.audit.entries().filter((e) => e.subresource === 'eviction' && Date.parse(e.time) > cancelledAt),
    ).toEqual([]);
    expect(admittedEvictions(sim).filter((e) => e.at > cancelledAt)).toEqual([]);
    expect(sim.cluster.getNode(nodes[1]!)?.spec?.unschedulable).toBeFalsy();
  });
});
