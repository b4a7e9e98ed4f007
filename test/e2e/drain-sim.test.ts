import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addMirrorPod,
  allProgress,
  cancelDrain,
  controllerKind,
  dataOf,
  evictedPods,
  expectContiguous,
  guardPodWithBudget,
  keyOf,
  podsOn,
  readJob,
  setBudget,
  startDrain,
  untilFinished,
  workerNodePicker,
  writesAbout,
} from '../drain/drain-e2e-support.js';
import type { DrainEventKind, DrainNodeMutationVariables } from '../gql/graphql.js';
import { SIM_DRAIN_CONFIG } from '../support/drain-timings.js';
import { waitFor } from '../support/wait-for.js';
import { type SimCluster, startGateway, startSimCluster, type TestGateway } from './harness.js';
import {
  CANCEL_DRAIN,
  CORDON_NODE,
  DRAIN_JOB,
  DRAIN_JOBS,
  DRAIN_NODE,
  DRAIN_PROGRESS,
  UNCORDON_NODE,
} from './operations/drain.js';

describe('drain against the simulator (one gateway, in-memory jobs)', () => {
  let cluster: SimCluster;
  let gateway: TestGateway;
  const pickNode = workerNodePicker(() => cluster.sim);

  beforeAll(async () => {
    cluster = await startSimCluster({ nodes: 12, pods: 220, seed: 6 });
    gateway = await startGateway({
      kubeconfigPath: cluster.kubeconfigPath,
      config: { drain: SIM_DRAIN_CONFIG },
    });
  });
  afterAll(async () => {
    await gateway?.stop();
    await cluster?.stop();
  });

  it('evicts ReplicaSet pods (recreated elsewhere), leaves DaemonSet and mirror pods, streams every step in order', async () => {
    const { sim } = cluster;
    const node = pickNode();
    addMirrorPod(sim, node);
    const before = podsOn(sim, node);
    const staying = before
      .filter((p) => ['DaemonSet', 'Node'].includes(controllerKind(p) ?? ''))
      .map(keyOf)
      .sort();
    const replicated = before.filter((p) => controllerKind(p) === 'ReplicaSet');
    expect(staying.length).toBeGreaterThanOrEqual(2);
    expect(replicated.length).toBeGreaterThan(0);

    const job = await startDrain(gateway, node, { deleteEmptyDirData: true, force: true });
    expect(job.state).toBe('PENDING');
    const events = await allProgress(gateway.subscribe(DRAIN_PROGRESS, { id: job.id }));

    expectContiguous(events);
    expect(events.at(-1)).toMatchObject({ kind: 'JOB_SUCCEEDED', state: 'SUCCEEDED' });
    expect(events.at(-1)?.job.state).toBe('SUCCEEDED');
    const kinds = events.map((e) => e.kind);
    // The snapshot may already include the first steps; whatever follows is in workflow order.
    const order: DrainEventKind[] = ['JOB_STARTED', 'NODE_CORDONED', 'PODS_PLANNED', 'POD_EVICTING'];
    const seen = order.filter((k) => kinds.includes(k));
    expect(seen).toEqual(order.slice(order.length - seen.length));
    for (const pod of replicated) {
      const steps = events.filter((e) => e.pod?.name === pod.metadata?.name).map((e) => e.kind);
      expect(steps.filter((k) => k !== 'POD_EVICTING' && k !== 'POD_EVICTED').at(-1)).toBe('POD_DELETED');
    }

    expect(podsOn(sim, node).map(keyOf).sort()).toEqual(staying);
    const evicted = evictedPods(sim);
    for (const pod of replicated) expect(evicted).toContain(keyOf(pod));
    expect(evicted.some((k) => staying.includes(k))).toBe(false);
    // Each ReplicaSet is back to strength, on other nodes.
    await waitFor(
      () =>
        replicated.every((pod) => {
          const owner = pod.metadata?.ownerReferences?.[0]?.name;
          const rs = sim.cluster
            .listReplicaSets(pod.metadata?.namespace)
            .find((r) => r.metadata?.name === owner);
          const running = sim.cluster
            .listPods({ namespace: pod.metadata?.namespace })
            .filter((p) => p.metadata?.ownerReferences?.[0]?.name === owner && p.status?.phase === 'Running');
          return running.length === rs?.spec?.replicas && running.every((p) => p.spec?.nodeName !== node);
        }),
      { what: 'the evicted ReplicaSet pods to run elsewhere' },
    );
    const done = await readJob(gateway, job.id);
    expect(done).toMatchObject({ state: 'SUCCEEDED', phase: 'DONE', error: null });
    expect(done.counts.deleted).toBe(before.length - staying.length);
    expect(done.counts.skipped).toBe(staying.length);
    expect(sim.cluster.getNode(node)?.spec?.unschedulable).toBe(true);
  });

  it('fails before any eviction when emptyDir pods need deleteEmptyDirData, naming them', async () => {
    const { sim } = cluster;
    const node = pickNode();
    const local = podsOn(sim, node).filter(
      (p) =>
        p.spec?.volumes?.some((v) => v.emptyDir) &&
        controllerKind(p) !== 'DaemonSet' &&
        p.status?.phase === 'Running',
    );
    if (local.length === 0) {
      sim.cluster.createPod({
        metadata: {
          name: 'scratch',
          namespace: 'default',
          ownerReferences: [
            { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'x', uid: 'u', controller: true },
          ],
        },
        spec: {
          nodeName: node,
          containers: [{ name: 'c', image: 'busybox' }],
          volumes: [{ name: 'tmp', emptyDir: {} }],
        },
      });
    }
    const names = podsOn(sim, node)
      .filter(
        (p) =>
          p.spec?.volumes?.some((v) => v.emptyDir) &&
          !['Succeeded', 'Failed'].includes(p.status?.phase ?? ''),
      )
      .filter((p) => controllerKind(p) !== 'DaemonSet')
      .map(keyOf);
    const since = Date.now();
    const onNode = podsOn(sim, node).map(keyOf);
    const job = await untilFinished(gateway, (await startDrain(gateway, node, { force: true })).id);
    expect(job.state).toBe('FAILED');
    expect(job.error).toContain(
      'cannot delete Pods with local storage (use deleteEmptyDirData: true to override): ',
    );
    for (const name of names) expect(job.error).toContain(name);
    expect(writesAbout(sim, node, onNode, since)).toEqual([`patch nodes /${node}`]);
    for (const name of names) {
      expect(job.pods.find((p) => `${p.namespace}/${p.name}` === name)).toMatchObject({ status: 'FAILED' });
    }
  });

  it('keeps retrying a pod a budget protects until the budget allows it, then succeeds', async () => {
    const { sim } = cluster;
    const node = pickNode();
    const guarded = guardPodWithBudget(sim, node);
    const selector = `drain-test=${guarded.metadata!.name}`;
    const job = await startDrain(gateway, node, { podSelector: selector });
    const subscription = gateway.subscribe(DRAIN_PROGRESS, {
      id: job.id,
    });
    await waitFor(
      () => subscription.received.filter((r) => r.data?.drainProgress.kind === 'POD_BLOCKED').length >= 2,
      {
        what: 'two blocked attempts',
      },
    );
    setBudget(sim, guarded, 0);
    const events = await allProgress(subscription);
    expect(events.at(-1)?.kind).toBe('JOB_SUCCEEDED');
    const blocked = subscription.received
      .map((r) => r.data?.drainProgress)
      .filter((e) => e?.kind === 'POD_BLOCKED');
    expect(blocked[0]?.message).toMatch(/disruption budget/i);
    expect(blocked[0]?.pod?.name).toBe(guarded.metadata?.name);
    const done = await readJob(gateway, job.id);
    expect(done.pods).toEqual([expect.objectContaining({ name: guarded.metadata?.name, status: 'DELETED' })]);
    expect(done.pods[0]?.attempts).toBeGreaterThanOrEqual(3);
  });

  it('cancel mid-drain: CANCELLED, no eviction afterwards, the node stays cordoned', async () => {
    const { sim } = cluster;
    const node = pickNode();
    const guarded = guardPodWithBudget(sim, node);
    const onNode = podsOn(sim, node).map(keyOf);
    const job = await startDrain(gateway, node, { deleteEmptyDirData: true, force: true });
    await waitFor(
      async () =>
        ((await readJob(gateway, job.id)).pods.find((p) => p.name === guarded.metadata?.name)?.attempts ??
          0) >= 2,
      { what: 'the guarded pod to be blocked' },
    );
    const cancelled = await cancelDrain(gateway, job.id);
    const cancelledAt = Date.now();
    expect(cancelled.state).toBe('CANCELLED');
    expect(cancelled.pods.find((p) => p.name === guarded.metadata?.name)?.status).toBe('BLOCKED');
    await new Promise((r) => setTimeout(r, 5 * SIM_DRAIN_CONFIG.evictRetryDelayMs)); // several retry periods
    expect(writesAbout(sim, node, onNode, cancelledAt)).toEqual([]);
    expect(sim.cluster.getNode(node)?.spec?.unschedulable).toBe(true);
    expect(sim.cluster.getPod(guarded.metadata!.namespace!, guarded.metadata!.name!)).toBeDefined();
    // The node has no active drain now: it can be uncordoned.
    const uncordoned = await gateway.query(UNCORDON_NODE, { name: node });
    expect(dataOf(uncordoned, 'uncordonNode')).toMatchObject({ name: node, schedulable: true });
  });

  it('dryRun plans and reports, and writes nothing', async () => {
    const { sim } = cluster;
    const node = pickNode();
    const since = Date.now();
    const onNode = podsOn(sim, node).map(keyOf);
    const count = onNode.length;
    const job = await untilFinished(
      gateway,
      (await startDrain(gateway, node, { dryRun: true, deleteEmptyDirData: true, force: true })).id,
    );
    expect(job.state).toBe('SUCCEEDED');
    expect(job.counts.total).toBe(count);
    expect(
      job.pods.filter((p) => p.status === 'PENDING').every((p) => p.message === 'would be evicted (dry run)'),
    ).toBe(true);
    expect(writesAbout(sim, node, onNode, since)).toEqual([]);
    expect(podsOn(sim, node)).toHaveLength(count);
    expect(sim.cluster.getNode(node)?.spec?.unschedulable).toBeFalsy();
  });

  it('cordon and uncordon are idempotent; uncordon is refused while a drain is active', async () => {
    const { sim } = cluster;
    const node = pickNode();
    for (let i = 0; i < 2; i++) {
      expect(dataOf(await gateway.query(CORDON_NODE, { name: node }), 'cordonNode')).toMatchObject({
        schedulable: false,
        status: 'Ready,SchedulingDisabled',
      });
    }
    expect(sim.cluster.getNode(node)?.spec?.unschedulable).toBe(true);
    guardPodWithBudget(sim, node);
    const job = await startDrain(gateway, node, { deleteEmptyDirData: true, force: true });
    const again = await startDrain(gateway, node);
    expect(again.id).toBe(job.id);
    const refused = await gateway.query(UNCORDON_NODE, { name: node });
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', drainJobId: job.jobId });
    const active = dataOf(await gateway.query(DRAIN_JOBS, { node, active: true }), 'drainJobs');
    expect(active).toEqual([{ id: job.id, node, state: expect.stringMatching(/PENDING|RUNNING/) }]);
    await cancelDrain(gateway, job.id);
    for (let i = 0; i < 2; i++) {
      expect(dataOf(await gateway.query(UNCORDON_NODE, { name: node }), 'uncordonNode')).toMatchObject({
        schedulable: true,
      });
    }
    expect(sim.cluster.getNode(node)?.spec?.unschedulable).toBeFalsy();
  });

  it('answers bad input with clear error codes', async () => {
    const cases: [DrainNodeMutationVariables, string, RegExp][] = [
      [{ name: 'no-such-node' }, 'NOT_FOUND', /node "no-such-node" not found/],
      [{ name: 'node-0005', cluster: 'nope' }, 'NOT_FOUND', /unknown cluster "nope"/],
      [{ name: 'node-0005', options: { timeoutSeconds: -5 } }, 'BAD_USER_INPUT', /timeoutSeconds must be/],
      [{ name: 'node-0005', options: { podSelector: 'app in (' } }, 'BAD_USER_INPUT', /podSelector/],
    ];
    for (const [variables, code, message] of cases) {
      const response = await gateway.query(DRAIN_NODE, variables);
      expect(response.errors?.[0]?.extensions?.code, JSON.stringify(response)).toBe(code);
      expect(response.errors?.[0]?.message).toMatch(message);
    }
    // A well-formed id no job has (a malformed one is BAD_USER_INPUT: test/e2e/validation.test.ts).
    const id = '00000000-0000-4000-8000-000000000000';
    const unknown = await gateway.query(CANCEL_DRAIN, { id });
    expect(unknown.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect((await gateway.query(DRAIN_JOB, { id })).data).toEqual({ drainJob: null });
    const sub = gateway.subscribe(DRAIN_PROGRESS, { id });
    const first = await sub.next();
    expect(first.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });
});

describe('a budget that never allows the eviction (kubectl pacing: a retry every 5 s)', () => {
  it('reports BLOCKED every ~5 s, then FAILED at timeoutSeconds', async () => {
    const cluster = await startSimCluster({ nodes: 6, pods: 60, seed: 16 });
    const gateway = await startGateway({ kubeconfigPath: cluster.kubeconfigPath });
    try {
      const node = cluster.sim.cluster.findWorkerNode();
      const guarded = guardPodWithBudget(cluster.sim, node);
      const job = await startDrain(gateway, node, {
        podSelector: `drain-test=${guarded.metadata!.name}`,
        timeoutSeconds: 7,
      });
      const events = await allProgress(gateway.subscribe(DRAIN_PROGRESS, { id: job.id }), 20_000);
      expect(events.at(-1)).toMatchObject({ kind: 'JOB_FAILED', state: 'FAILED' });
      // The stream began with a snapshot that may include the first refusal: read the whole log.
      const log = (await readJob(gateway, job.id)).events;
      const blocked = log.filter((e) => e.kind === 'POD_BLOCKED');
      // Attempts at ~0 s and ~5 s fit in 7 s; a loaded machine may start the first one late
      // and fit a third before the deadline, never more, and never faster than every 5 s.
      expect(blocked.length).toBeGreaterThanOrEqual(2);
      expect(blocked.length).toBeLessThanOrEqual(3);
      expect(blocked.map((e) => e.message)).toEqual(
        blocked.map((_, i) => expect.stringMatching(new RegExp(`^attempt ${i + 1}: .*disruption budget`))),
      );
      const gaps = blocked.slice(1).map((e, i) => Date.parse(e.at) - Date.parse(blocked[i]!.at));
      for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(4900);
      const failedAt = Date.parse(log.at(-1)!.at);
      expect(failedAt - Date.parse(blocked[0]!.at)).toBeGreaterThanOrEqual(6500);
      const done = await readJob(gateway, job.id);
      expect(done.error).toBe(`1 pod(s) could not be drained: ${keyOf(guarded)}`);
      expect(done.pods[0]?.message).toBe('global timeout reached while evicting (timeoutSeconds: 7)');
      expect(cluster.sim.cluster.getPod(guarded.metadata!.namespace!, guarded.metadata!.name!)).toBeDefined();
    } finally {
      await gateway.stop();
      await cluster.stop();
    }
  }, 20_000);
});
