import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  admittedEvictions,
  allBulkProgress,
  blockNodeWithBudget,
  budgetEveryReplicaSet,
  expectContiguousBulk,
  peakDraining,
} from '../drain/bulk-drain-e2e-support.js';
import { dataOf, workerNodePicker } from '../drain/drain-e2e-support.js';
import type { DrainNodesMutationVariables } from '../gql/graphql.js';
import { SIM_DRAIN_CONFIG } from '../support/drain-timings.js';
import { waitFor } from '../support/wait-for.js';
import { type SimCluster, startGateway, startSimCluster, type TestGateway } from './harness.js';
import {
  BULK_DRAIN_EVENTS,
  BULK_DRAIN_JOB,
  BULK_DRAIN_PROGRESS,
  CANCEL_BULK_DRAIN,
  CORDON_NODES,
  DRAIN_NODES,
  UNCORDON_NODES,
} from './operations/drain-bulk.js';

const OPTIONS = { deleteEmptyDirData: true, force: true };

describe('bulk drains against the simulator (one gateway, in-memory jobs)', () => {
  let cluster: SimCluster;
  let gateway: TestGateway;
  const pickNode = workerNodePicker(() => cluster.sim);

  beforeAll(async () => {
    cluster = await startSimCluster({ nodes: 26, pods: 420, seed: 15 });
    gateway = await startGateway({
      kubeconfigPath: cluster.kubeconfigPath,
      config: { drain: SIM_DRAIN_CONFIG },
    });
  });
  afterAll(async () => {
    await gateway?.stop();
    await cluster?.stop();
  });

  it('drains 10 nodes, 3 at a time, under budgets: no budget is ever broken, the stream shows every node and pod step', async () => {
    const { sim } = cluster;
    expect(budgetEveryReplicaSet(sim)).toBeGreaterThan(0);
    const nodes = Array.from({ length: 10 }, () => pickNode());
    const job = dataOf(
      await gateway.query(DRAIN_NODES, { names: nodes, options: OPTIONS, maxConcurrent: 3 }),
      'drainNodes',
    );
    expect(job).toMatchObject({ maxConcurrent: 3, stopOnFailure: true, counts: { total: 10 } });
    // id is the global id (Relay), jobId the UUID; every event's job is this bulk drain.
    expect(job.jobId).toMatch(/^[0-9a-f-]{36}$/);
    expect(job.id).not.toBe(job.jobId);
    const live = await allBulkProgress(gateway.subscribe(BULK_DRAIN_PROGRESS, { id: job.id }), 120_000);
    expectContiguousBulk(live);
    expect(new Set(live.map((e) => e.job.jobId))).toEqual(new Set([job.jobId]));
    // The steps before the stream's snapshot are in the job's log.
    const earlier = dataOf(
      await gateway.query(BULK_DRAIN_EVENTS, { id: job.id, first: Math.max(live[0]!.sequence, 0) }),
      'bulkDrainJob',
    ).events;
    expect(earlier.map((e) => e.sequence)).toEqual(
      Array.from({ length: live[0]!.sequence }, (_, i) => i + 1),
    );
    const events = [...earlier, ...live.slice(1)];
    expect(live.at(-1)).toMatchObject({ kind: 'BULK_SUCCEEDED', state: 'SUCCEEDED' });
    expect(sim.cluster.pdbViolations()).toEqual([]);
    expect(peakDraining(events)).toBeLessThanOrEqual(3);
    for (const node of nodes) {
      const states = events.filter((e) => e.kind === 'NODE_STATE' && e.node === node).map((e) => e.nodeState);
      expect(states.at(-1)).toBe('DRAINED');
      const steps = events
        .filter((e) => e.kind === 'NODE_DRAIN_EVENT' && e.node === node)
        .map((e) => e.drainEvent?.kind);
      expect(steps).toEqual(expect.arrayContaining(['NODE_CORDONED', 'PODS_PLANNED', 'JOB_SUCCEEDED']));
      expect(sim.cluster.getNode(node)?.spec?.unschedulable).toBe(true);
    }
    // Every pod eviction the cluster admitted is in the stream (evicting, then deleted).
    const streamed = new Set(
      events
        .filter((e) => e.drainEvent?.kind === 'POD_DELETED')
        .map((e) => `${e.drainEvent?.pod?.namespace}/${e.drainEvent?.pod?.name}`),
    );
    for (const { pod } of admittedEvictions(sim)) expect(streamed).toContain(pod);
    const done = dataOf(await gateway.query(BULK_DRAIN_JOB, { id: job.id }), 'bulkDrainJob');
    expect(done.counts).toMatchObject({ total: 10, drained: 10, failed: 0 });
    expect(done.nodes.every((n) => n.drainJob?.state === 'SUCCEEDED')).toBe(true);
  });

  it('cancel stops the bulk: queued nodes never start, the running drains are cancelled, no eviction after it returns', async () => {
    const { sim } = cluster;
    const nodes = Array.from({ length: 5 }, () => pickNode());
    // The first two nodes each hold a pod no budget lets go: their drains block until cancelled.
    const guarded = nodes.slice(0, 2).map((n) => blockNodeWithBudget(sim, n));
    const job = dataOf(
      await gateway.query(DRAIN_NODES, { names: nodes, options: OPTIONS, maxConcurrent: 2 }),
      'drainNodes',
    );
    const subscription = gateway.subscribe(BULK_DRAIN_PROGRESS, { id: job.id });
    await waitFor(
      () =>
        guarded.every((pod) =>
          subscription.received.some(
            (r) =>
              r.data?.bulkDrainProgress.drainEvent?.kind === 'POD_BLOCKED' &&
              r.data.bulkDrainProgress.drainEvent.pod?.name === pod.metadata?.name,
          ),
        ),
      { what: 'both guarded pods to be blocked', timeoutMs: 30_000 },
    );
    const cancelled = dataOf(await gateway.query(CANCEL_BULK_DRAIN, { id: job.id }), 'cancelBulkDrain');
    const cancelledAt = Date.now();
    expect(cancelled.state).toBe('CANCELLED');
    const byName = new Map(cancelled.nodes.map((n) => [n.name, n]));
    for (const n of nodes.slice(0, 2)) expect(byName.get(n)).toMatchObject({ state: 'CANCELLED' });
    for (const n of nodes.slice(2))
      expect(byName.get(n)).toMatchObject({ state: 'CANCELLED', drainJobId: null });
    const events = await allBulkProgress(subscription);
    expect(events.at(-1)?.kind).toBe('BULK_CANCELLED');
    await new Promise((r) => setTimeout(r, 5 * SIM_DRAIN_CONFIG.evictRetryDelayMs)); // several retry periods
    expect(admittedEvictions(sim).filter((e) => e.at > cancelledAt)).toEqual([]);
    const attempts = sim.audit
      .entries()
      .filter((e) => e.subresource === 'eviction' && Date.parse(e.time) > cancelledAt);
    expect(attempts).toEqual([]);
    for (const n of nodes.slice(2)) expect(sim.cluster.getNode(n)?.spec?.unschedulable).toBeFalsy();
    expect(sim.cluster.pdbViolations()).toEqual([]);
  });

  it('cordonNodes and uncordonNodes answer per node: duplicates once, unknown names NOT_FOUND, by names or filter', async () => {
    const { sim } = cluster;
    const [a, b] = [pickNode(), pickNode()];
    const cordoned = dataOf(
      await gateway.query(CORDON_NODES, { names: [a, b, a, 'no-such-node'] }),
      'cordonNodes',
    );
    expect(cordoned).toEqual([
      expect.objectContaining({ name: a, ok: true, node: { name: a, schedulable: false } }),
      expect.objectContaining({ name: b, ok: true }),
      expect.objectContaining({ name: 'no-such-node', ok: false, errorCode: 'NOT_FOUND', node: null }),
    ]);
    expect(sim.cluster.getNode(a)?.spec?.unschedulable).toBe(true);
    await waitFor(
      async () => {
        const res = await gateway.query(UNCORDON_NODES, {
          filter: { schedulable: false, labelSelector: `kubernetes.io/hostname in (${a},${b})` },
        });
        return res.data?.uncordonNodes?.length === 2;
      },
      { what: 'the cache to see both nodes cordoned' },
    );
    expect(sim.cluster.getNode(a)?.spec?.unschedulable).toBeFalsy();
    expect(sim.cluster.getNode(b)?.spec?.unschedulable).toBeFalsy();
  });

  it('hostile inputs are coded errors before any API call', async () => {
    const { sim } = cluster;
    const node = pickNode();
    const before = sim.audit.entries().length;
    const code = async (variables: DrainNodesMutationVariables) => {
      const res = await gateway.query(DRAIN_NODES, variables);
      expect(res.data?.drainNodes ?? null).toBeNull();
      return res.errors?.[0]?.extensions?.code;
    };
    const many = Array.from({ length: 501 }, (_, i) => `node-${String(i).padStart(4, '0')}`);
    expect(await code({ names: many })).toBe('BAD_USER_INPUT');
    expect(await code({ names: [node], maxConcurrent: 0 })).toBe('BAD_USER_INPUT');
    expect(await code({ names: [node], maxConcurrent: 10_000 })).toBe('BAD_USER_INPUT');
    expect(await code({ filter: { labelSelector: 'no-such-label=anywhere' } })).toBe('BAD_USER_INPUT');
    expect(await code({ names: [] })).toBe('BAD_USER_INPUT');
    expect(await code({})).toBe('BAD_USER_INPUT');
    expect(await code({ names: [node], filter: { ready: true } })).toBe('BAD_USER_INPUT');
    const invalid = await gateway.query(DRAIN_NODES, { names: [node, 'Not_A_Node'] });
    expect(invalid.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'names[1]' });
    const cordon = await gateway.query(CORDON_NODES, { names: many });
    expect(cordon.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(
      sim.audit
        .entries()
        .slice(before)
        .filter((e) => e.verb !== 'watch' && e.verb !== 'list'),
    ).toEqual([]);

    // Unknown names are FAILED NOT_FOUND in the job, not a failure of the whole request.
    const job = dataOf(
      await gateway.query(DRAIN_NODES, {
        names: [node, node, 'ghost-node'],
        options: { ...OPTIONS, dryRun: true },
      }),
      'drainNodes',
    );
    expect(job.counts.total).toBe(2);
    expect(job.nodes.find((n) => n.name === 'ghost-node')).toMatchObject({
      state: 'FAILED',
      errorCode: 'NOT_FOUND',
    });
    const events = await allBulkProgress(gateway.subscribe(BULK_DRAIN_PROGRESS, { id: job.id }));
    expect(events.at(-1)?.kind).toBe('BULK_FAILED');
    const done = dataOf(await gateway.query(BULK_DRAIN_JOB, { id: job.id }), 'bulkDrainJob');
    expect(done.nodes.find((n) => n.name === node)?.state).toBe('DRAINED');
  });
});
