import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admittedEvictions, allBulkProgress, expectContiguousBulk } from '../drain/bulk-drain-e2e-support.js';
import {
  controllerKind,
  dataOf,
  guardPodWithBudget,
  keyOf,
  podsOn,
  setBudget,
  workerNodePicker,
} from '../drain/drain-e2e-support.js';
import type { BulkDrainProgressSubscription } from '../gql/graphql.js';
import { SIM_DRAIN_CONFIG } from '../support/drain-timings.js';
import type { TestSubscription } from '../support/graphql-clients.js';
import { waitFor } from '../support/wait-for.js';
import { type SimCluster, type SpawnedGateway, startSimCluster } from './harness.js';
import { DRAIN_JOB, DRAIN_JOBS } from './operations/drain.js';
import {
  BULK_DRAIN_JOB,
  BULK_DRAIN_PROGRESS,
  CANCEL_BULK_DRAIN,
  DRAIN_NODES,
} from './operations/drain-bulk.js';
import { spawnRedisReplicas, stopRedisReplicas } from './redis-replicas.js';

const OPTIONS = { deleteEmptyDirData: true, force: true };

/**
 * A bulk drain outlives the replica coordinating it: two gateway processes on one Redis prefix,
 * the coordinator killed (-9) while its first node is held by a budget; the survivor takes the
 * bulk over after the coordinator lease (1 s here) and finishes or cancels it.
 */
describe('bulk drain takeover between two gateway processes on one Redis', () => {
  const redisKeyPrefix = `kng-test-${randomUUID()}:`;
  let cluster: SimCluster;
  let survivor: SpawnedGateway;
  const coordinators: SpawnedGateway[] = [];
  const pickNode = workerNodePicker(() => cluster.sim);

  const spawnReplica = async () =>
    (await spawnRedisReplicas({ kubeconfigPath: cluster.kubeconfigPath, redisKeyPrefix, count: 1 }))[0]!;

  beforeAll(async () => {
    cluster = await startSimCluster({ nodes: 10, pods: 160, seed: 61 });
    survivor = await spawnReplica();
  }, 40_000);

  afterAll(async () => {
    await survivor?.close();
    await stopRedisReplicas([survivor, ...coordinators], redisKeyPrefix);
    await cluster?.stop();
  });

  /**
   * Starts a bulk drain of three nodes, one at a time, on a fresh coordinator process, the first
   * node blocked by a budget; resolves once the survivor's subscription shows the block.
   */
  async function bulkBlockedOnFirstNode() {
    const coordinator = await spawnReplica();
    coordinators.push(coordinator);
    const nodes = [pickNode(), pickNode(), pickNode()];
    const guarded = guardPodWithBudget(cluster.sim, nodes[0]!);
    const podsBefore = nodes.flatMap((n) =>
      podsOn(cluster.sim, n).filter((p) => controllerKind(p) !== 'DaemonSet'),
    );
    const job = dataOf(
      await coordinator.query(DRAIN_NODES, { names: nodes, options: OPTIONS, maxConcurrent: 1 }),
      'drainNodes',
    );
    const subscription = survivor.subscribe(BULK_DRAIN_PROGRESS, { id: job.id });
    await waitFor(
      () =>
        subscription.received.some(
          (r) =>
            r.data?.bulkDrainProgress.drainEvent?.kind === 'POD_BLOCKED' &&
            r.data.bulkDrainProgress.drainEvent.pod?.name === guarded.metadata?.name,
        ),
      { what: 'the survivor to see the first node blocked', timeoutMs: 30_000 },
    );
    const before = dataOf(await survivor.query(BULK_DRAIN_JOB, { id: job.id }), 'bulkDrainJob');
    expect(before.runner).toBeTruthy();
    expect(before.nodes.map((n) => n.state)).toEqual(['DRAINING', 'QUEUED', 'QUEUED']);
    return { coordinator, nodes, guarded, podsBefore, job, subscription, before };
  }

  async function kill(coordinator: SpawnedGateway): Promise<void> {
    coordinator.kill('SIGKILL');
    expect(await coordinator.exited).toBe('SIGKILL');
  }

  const kindsOf = (subscription: TestSubscription<BulkDrainProgressSubscription>) =>
    subscription.received.map((r) => r.data?.bulkDrainProgress.kind);

  it('when the coordinator is killed (-9), the survivor takes the bulk over and drains every node once', async () => {
    const { sim } = cluster;
    const { coordinator, nodes, guarded, podsBefore, job, subscription, before } =
      await bulkBlockedOnFirstNode();
    await kill(coordinator);
    await waitFor(() => kindsOf(subscription).includes('BULK_TAKEN_OVER'), {
      what: 'the survivor to take the bulk over',
      timeoutMs: 10_000,
    });
    // Still one node at a time: the queued ones wait for the first, which the budget holds.
    const taken = dataOf(await survivor.query(BULK_DRAIN_JOB, { id: job.id }), 'bulkDrainJob');
    expect(taken.nodes.map((n) => n.state)).toEqual(['DRAINING', 'QUEUED', 'QUEUED']);
    expect(taken.nodes[0]?.drainJobId).toBe(before.nodes[0]?.drainJobId);

    setBudget(sim, guarded, 0);
    const events = await allBulkProgress(subscription);
    expectContiguousBulk(events);
    expect(events.at(-1)?.kind).toBe('BULK_SUCCEEDED');
    expect(events.filter((e) => e.kind === 'BULK_TAKEN_OVER')).toEqual([
      expect.objectContaining({ message: expect.stringContaining(`took over from ${before.runner}`) }),
    ]);
    const done = dataOf(await survivor.query(BULK_DRAIN_JOB, { id: job.id }), 'bulkDrainJob');
    expect(done).toMatchObject({ state: 'SUCCEEDED', counts: { drained: 3, total: 3 } });
    expect(done.runner).not.toBe(before.runner);
    expect(done.nodes[0]?.drainJobId).toBe(before.nodes[0]?.drainJobId);
    expect(done.nodes.every((n) => n.drainJob?.state === 'SUCCEEDED')).toBe(true);

    // Exactly one drain per node, and no pod evicted twice.
    for (const node of nodes) {
      const jobs = dataOf(await survivor.query(DRAIN_JOBS, { node, first: 10 }), 'drainJobs');
      expect(jobs, node).toHaveLength(1);
    }
    const mine = new Set(podsBefore.map(keyOf));
    const evicted = admittedEvictions(sim)
      .map((e) => e.pod)
      .filter((p) => mine.has(p));
    expect(evicted.length).toBeGreaterThan(0);
    expect(new Set(evicted).size).toBe(evicted.length);
    for (const node of nodes)
      expect(
        podsOn(sim, node).every((p) => controllerKind(p) === 'DaemonSet'),
        node,
      ).toBe(true);
  }, 90_000);

  it('a cancel sent to the survivor after the kill ends the bulk CANCELLED at once; no eviction after it returns', async () => {
    const { sim } = cluster;
    const { coordinator, nodes, job, subscription, before } = await bulkBlockedOnFirstNode();
    await kill(coordinator);

    const sentAt = Date.now();
    const cancelled = dataOf(await survivor.query(CANCEL_BULK_DRAIN, { id: job.id }), 'cancelBulkDrain');
    const cancelledAt = Date.now();
    expect(cancelled.state).toBe('CANCELLED');
    // Within a lease or two of the kill, not the 30 s a cancel waits for a live coordinator.
    expect(cancelledAt - sentAt).toBeLessThan(10_000);
    expect(cancelled.runner).not.toBe(before.runner);
    expect(cancelled.nodes.map((n) => [n.name, n.state, n.drainJobId])).toEqual([
      [nodes[0], 'CANCELLED', before.nodes[0]?.drainJobId],
      [nodes[1], 'CANCELLED', null],
      [nodes[2], 'CANCELLED', null],
    ]);
    const nodeJob = dataOf(await survivor.query(DRAIN_JOB, { id: before.nodes[0]!.drainJobId! }), 'drainJob');
    expect(nodeJob.state).toBe('CANCELLED');
    const events = await allBulkProgress(subscription);
    expect(events.at(-1)?.kind).toBe('BULK_CANCELLED');
    expect(events.map((e) => e.kind)).toContain('BULK_TAKEN_OVER');

    // Nothing is left running that could evict: give a would-be retry loop a few rounds to show.
    await new Promise((r) => setTimeout(r, 5 * SIM_DRAIN_CONFIG.evictRetryDelayMs));
    expect(
      sim.audit.entries().filter((e) => e.subresource === 'eviction' && Date.parse(e.time) > cancelledAt),
    ).toEqual([]);
    expect(sim.cluster.getNode(nodes[1]!)?.spec?.unschedulable).toBeFalsy();
    expect(sim.cluster.getNode(nodes[2]!)?.spec?.unschedulable).toBeFalsy();
  }, 90_000);
});
