import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SimulatorHandle, startSimulator } from '../../src/sim/index.js';
import { waitFor } from '../support/wait-for.js';
import { api, type Obj, watch } from './helpers.js';

let sim: SimulatorHandle;

beforeAll(async () => {
  sim = await startSimulator({
    nodes: 12,
    pods: 150,
    heartbeatIntervalMs: 0,
    controllerDelayMs: 20,
    deleteGraceScale: 0.005,
  });
});
afterAll(() => sim.stop());

const pod = (name: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, labels: { app: name } },
  spec: { containers: [{ name: 'main', image: 'nginx:1.27' }], ...extra },
});

describe('PATCH', () => {
  it('applies strategic merge, merge and JSON patches to nodes', async () => {
    const smp = await api<Obj>(sim, '/api/v1/nodes/node-0005', {
      method: 'PATCH',
      body: { spec: { unschedulable: true } },
      contentType: 'application/strategic-merge-patch+json',
    });
    expect(smp.status).toBe(200);
    expect((smp.body.spec as { unschedulable: boolean }).unschedulable).toBe(true);
    const merge = await api<Obj>(sim, '/api/v1/nodes/node-0005', {
      method: 'PATCH',
      body: { metadata: { labels: { team: 'a' } }, spec: { unschedulable: null } },
      contentType: 'application/merge-patch+json',
    });
    expect(merge.body.metadata?.labels?.team).toBe('a');
    expect((merge.body.spec as { unschedulable?: boolean }).unschedulable).toBeUndefined();
    const jp = await api<Obj>(sim, '/api/v1/nodes/node-0005', {
      method: 'PATCH',
      body: [{ op: 'remove', path: '/metadata/labels/team' }],
      contentType: 'application/json-patch+json',
    });
    expect(jp.body.metadata?.labels?.team).toBeUndefined();
    expect(sim.cluster.getNode('node-0005')?.metadata?.labels?.team).toBeUndefined();
  });

  it('does not bump resourceVersion for a patch that changes nothing', async () => {
    const before = sim.cluster.getNode('node-0006')!.metadata!.resourceVersion;
    const res = await api<Obj>(sim, '/api/v1/nodes/node-0006', {
      method: 'PATCH',
      body: { metadata: { labels: { 'kubernetes.io/hostname': 'node-0006' } } },
      contentType: 'application/merge-patch+json',
    });
    expect(res.body.metadata?.resourceVersion).toBe(before);
  });

  it('keeps status when patching the main resource and changes it through /status', async () => {
    const main = await api<Obj>(sim, '/api/v1/nodes/node-0006', {
      method: 'PATCH',
      body: { status: { nodeInfo: { kubeletVersion: 'v9' } } },
      contentType: 'application/merge-patch+json',
    });
    expect((main.body.status as { nodeInfo: { kubeletVersion: string } }).nodeInfo.kubeletVersion).toBe(
      'v1.32.4',
    );
    const status = await api<Obj>(sim, '/api/v1/nodes/node-0006/status', {
      method: 'PATCH',
      body: { status: { conditions: [{ type: 'Ready', status: 'False', reason: 'Test' }] } },
      contentType: 'application/strategic-merge-patch+json',
    });
    const ready = (
      status.body.status as { conditions: Array<{ type: string; status: string }> }
    ).conditions.find((c) => c.type === 'Ready');
    expect(ready?.status).toBe('False');
    sim.cluster.setNodeReady('node-0006', true);
  });

  it('rejects unsupported patch types with 415, bad JSON patches with 400 and failed tests with 422', async () => {
    const apply = await api(sim, '/api/v1/nodes/node-0005', {
      method: 'PATCH',
      body: 'a: b',
      contentType: 'application/apply-patch+yaml',
    });
    expect(apply.status).toBe(415);
    const notArray = await api(sim, '/api/v1/nodes/node-0005', {
      method: 'PATCH',
      body: {},
      contentType: 'application/json-patch+json',
    });
    expect(notArray.status).toBe(400);
    const failedTest = await api(sim, '/api/v1/nodes/node-0005', {
      method: 'PATCH',
      body: [{ op: 'test', path: '/metadata/name', value: 'other' }],
      contentType: 'application/json-patch+json',
    });
    expect(failedTest.status).toBe(422);
    const missing = await api(sim, '/api/v1/nodes/nope', {
      method: 'PATCH',
      body: {},
      contentType: 'application/merge-patch+json',
    });
    expect(missing.status).toBe(404);
  });

  it('treats a stale resourceVersion in a patch body as a conflict', async () => {
    const res = await api(sim, '/api/v1/nodes/node-0005', {
      method: 'PATCH',
      body: { metadata: { resourceVersion: '1', labels: { x: 'y' } } },
      contentType: 'application/merge-patch+json',
    });
    expect(res.status).toBe(409);
  });
});

describe('PUT', () => {
  it('updates with the current resourceVersion and conflicts (409) with a stale one', async () => {
    const current = (await api<Obj>(sim, '/api/v1/nodes/node-0007')).body;
    current.metadata!.labels = { ...current.metadata!.labels, put: 'yes' };
    const ok = await api<Obj>(sim, '/api/v1/nodes/node-0007', { method: 'PUT', body: current });
    expect(ok.status).toBe(200);
    expect(ok.body.metadata?.labels?.put).toBe('yes');
    const stale = await api(sim, '/api/v1/nodes/node-0007', { method: 'PUT', body: current });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({
      reason: 'Conflict',
      message:
        'Operation cannot be fulfilled on nodes "node-0007": the object has been modified; please apply your changes to the latest version and try again',
    });
  });

  it('rejects a body whose name does not match the URL', async () => {
    const res = await api(sim, '/api/v1/nodes/node-0007', {
      method: 'PUT',
      body: { metadata: { name: 'other' } },
    });
    expect(res.status).toBe(400);
  });
});

describe('POST', () => {
  it('creates a pod with defaults, 409 AlreadyExists for a duplicate, generateName', async () => {
    const created = await api<Obj>(sim, '/api/v1/namespaces/default/pods', {
      method: 'POST',
      body: pod('made'),
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      kind: 'Pod',
      metadata: { name: 'made', namespace: 'default' },
      spec: { restartPolicy: 'Always', schedulerName: 'default-scheduler' },
      status: { phase: 'Pending' },
    });
    const dup = await api(sim, '/api/v1/namespaces/default/pods', { method: 'POST', body: pod('made') });
    expect(dup.status).toBe(409);
    expect(dup.body).toMatchObject({ reason: 'AlreadyExists', message: 'pods "made" already exists' });
    const generated = await api<Obj>(sim, '/api/v1/namespaces/default/pods', {
      method: 'POST',
      body: { metadata: { generateName: 'gen-' }, spec: { containers: [{ name: 'c', image: 'x:1' }] } },
    });
    expect(generated.body.metadata?.name).toMatch(/^gen-[a-z0-9]{5}$/);
  });

  it('schedules and starts a created pod', async () => {
    const running = await waitFor(() => {
      const p = sim.cluster.getPod('default', 'made');
      return p?.status?.phase === 'Running' ? p : undefined;
    });
    expect(running.spec?.nodeName).toMatch(/^node-/);
    expect(running.status?.podIP).toBeTruthy();
  });

  it('validates: 422 for a pod without containers or with a bad name, 404 for a missing namespace', async () => {
    const noContainers = await api(sim, '/api/v1/namespaces/default/pods', {
      method: 'POST',
      body: { metadata: { name: 'x' }, spec: {} },
    });
    expect(noContainers.status).toBe(422);
    expect(noContainers.body).toMatchObject({
      reason: 'Invalid',
      message: 'Pod "x" is invalid: spec.containers: Required value',
    });
    const badName = await api(sim, '/api/v1/namespaces/default/pods', {
      method: 'POST',
      body: pod('Bad_Name'),
    });
    expect(badName.status).toBe(422);
    const noNs = await api(sim, '/api/v1/namespaces/nope/pods', { method: 'POST', body: pod('x') });
    expect(noNs.status).toBe(404);
    expect(noNs.body).toMatchObject({ message: 'namespaces "nope" not found' });
  });

  it('creates PodDisruptionBudgets and computes their status', async () => {
    const rs = sim.cluster.listReplicaSets('catalog').find((r) => (r.spec?.replicas ?? 0) >= 2)!;
    const res = await api<Obj>(sim, '/apis/policy/v1/namespaces/catalog/poddisruptionbudgets', {
      method: 'POST',
      body: {
        apiVersion: 'policy/v1',
        kind: 'PodDisruptionBudget',
        metadata: { name: 'post-pdb' },
        spec: { minAvailable: 1, selector: { matchLabels: rs.spec!.selector.matchLabels } },
      },
    });
    expect(res.status).toBe(201);
    const pdb = await waitFor(() =>
      sim.cluster
        .listPodDisruptionBudgets('catalog')
        .find((p) => p.metadata?.name === 'post-pdb' && p.status?.observedGeneration === 1),
    );
    expect(pdb.status).toMatchObject({
      currentHealthy: rs.spec!.replicas,
      desiredHealthy: 1,
      disruptionsAllowed: rs.spec!.replicas! - 1,
    });
    sim.cluster.deletePodDisruptionBudget('catalog', 'post-pdb');
  });
});

describe('DELETE', () => {
  it('deletes a pod gracefully: deletionTimestamp first, gone after the scaled grace period', async () => {
    await api(sim, '/api/v1/namespaces/default/pods', {
      method: 'POST',
      body: pod('graceful', { nodeName: 'node-0008' }),
    });
    const w = await watch(
      sim,
      `/api/v1/namespaces/default/pods?watch=true&fieldSelector=metadata.name%3Dgraceful&resourceVersion=${sim.cluster.resourceVersion}`,
    );
    const res = await api<Obj>(sim, '/api/v1/namespaces/default/pods/graceful', {
      method: 'DELETE',
      body: { gracePeriodSeconds: 30 },
    });
    expect(res.status).toBe(200);
    expect(res.body.metadata).toMatchObject({ deletionGracePeriodSeconds: 30 });
    expect(res.body.metadata?.deletionTimestamp).toBeTruthy();
    const events = await w.until((e) => e.type === 'DELETED');
    expect(events.some((e) => e.type === 'MODIFIED' && e.object.metadata?.deletionTimestamp)).toBe(true);
    expect((await api(sim, '/api/v1/namespaces/default/pods/graceful')).status).toBe(404);
    w.close();
  });

  it('deletes immediately with gracePeriodSeconds=0 and honours preconditions', async () => {
    await api(sim, '/api/v1/namespaces/default/pods', {
      method: 'POST',
      body: pod('precond', { nodeName: 'node-0008' }),
    });
    const wrongUid = await api(sim, '/api/v1/namespaces/default/pods/precond', {
      method: 'DELETE',
      body: { preconditions: { uid: 'nope' } },
    });
    expect(wrongUid.status).toBe(409);
    expect((wrongUid.body as { message: string }).message).toContain(
      'Precondition failed: UID in precondition: nope',
    );
    const uid = sim.cluster.getPod('default', 'precond')!.metadata!.uid;
    const ok = await api(sim, '/api/v1/namespaces/default/pods/precond?gracePeriodSeconds=0', {
      method: 'DELETE',
      body: { preconditions: { uid } },
    });
    expect(ok.status).toBe(200);
    expect(sim.cluster.getPod('default', 'precond')).toBeUndefined();
    expect((await api(sim, '/api/v1/namespaces/default/pods/precond', { method: 'DELETE' })).status).toBe(
      404,
    );
  });

  it('recreates a deleted ReplicaSet pod with a new name and uid on another node', async () => {
    const rsPod = sim.cluster
      .listPods({ namespace: 'payments' })
      .find((p) => p.metadata?.ownerReferences?.[0]?.kind === 'ReplicaSet' && p.status?.phase === 'Running')!;
    const owner = rsPod.metadata!.ownerReferences![0]!;
    const siblingsBefore = sim.cluster
      .listPods({ namespace: 'payments' })
      .filter((p) => p.metadata?.ownerReferences?.[0]?.uid === owner.uid);
    await api(sim, `/api/v1/namespaces/payments/pods/${rsPod.metadata!.name}`, { method: 'DELETE' });
    const replacement = await waitFor(() =>
      sim.cluster
        .listPods({ namespace: 'payments' })
        .find(
          (p) =>
            p.metadata?.ownerReferences?.[0]?.uid === owner.uid &&
            !siblingsBefore.some((s) => s.metadata?.name === p.metadata?.name) &&
            p.status?.phase === 'Running',
        ),
    );
    expect(replacement.metadata?.name).toMatch(new RegExp(`^${owner.name}-[a-z0-9]{5}$`));
    expect(replacement.metadata?.uid).not.toBe(rsPod.metadata?.uid);
    expect(replacement.spec?.nodeName).not.toBe(rsPod.spec?.nodeName);
    await waitFor(() => !sim.cluster.getPod('payments', rsPod.metadata!.name!));
  });

  it('recreates a deleted DaemonSet pod on the same node', async () => {
    const dsPod = sim.cluster
      .listPods({ nodeName: 'node-0009' })
      .find((p) => p.metadata?.ownerReferences?.[0]?.kind === 'DaemonSet')!;
    sim.cluster.deletePod(dsPod.metadata!.namespace!, dsPod.metadata!.name!, { force: true });
    const again = await waitFor(() =>
      sim.cluster
        .listPods({ nodeName: 'node-0009' })
        .find(
          (p) =>
            p.metadata?.ownerReferences?.[0]?.uid === dsPod.metadata!.ownerReferences![0]!.uid &&
            p.status?.phase === 'Running',
        ),
    );
    expect(again.metadata?.name).not.toBe(dsPod.metadata?.name);
  });
});

describe('eviction', () => {
  const evict = (ns: string, name: string) =>
    api(sim, `/api/v1/namespaces/${ns}/pods/${name}/eviction`, {
      method: 'POST',
      body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace: ns } },
    });

  it('evicts a pod without a budget (201 Success) and 404s for a pod already gone', async () => {
    const bare = sim.cluster
      .listPods()
      .find((p) => !p.metadata?.ownerReferences && p.status?.phase === 'Running')!;
    const res = await evict(bare.metadata!.namespace!, bare.metadata!.name!);
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Success',
      code: 201,
    });
    await waitFor(() => !sim.cluster.getPod(bare.metadata!.namespace!, bare.metadata!.name!));
    const gone = await evict(bare.metadata!.namespace!, bare.metadata!.name!);
    expect(gone.status).toBe(404);
  });

  it('refuses with 429 and a DisruptionBudget cause when the budget allows no disruption', async () => {
    const target = sim.cluster
      .listPods({ namespace: 'search' })
      .find(
        (p) =>
          p.metadata?.ownerReferences?.[0]?.kind === 'ReplicaSet' &&
          p.status?.phase === 'Running' &&
          !p.metadata?.deletionTimestamp,
      )!;
    const app = target.metadata!.labels!.app!;
    const replicas = sim.cluster
      .listPods({ namespace: 'search' })
      .filter((p) => p.metadata?.labels?.app === app && p.status?.phase === 'Running').length;
    sim.cluster.listPodDisruptionBudgets('search').forEach((p) => {
      if (p.spec?.selector?.matchLabels?.app === app)
        sim.cluster.deletePodDisruptionBudget('search', p.metadata!.name!);
    });
    sim.cluster.createPodDisruptionBudget({
      metadata: { name: 'strict', namespace: 'search' },
      spec: { minAvailable: replicas, selector: { matchLabels: { app } } },
    });
    await waitFor(() =>
      sim.cluster
        .listPodDisruptionBudgets('search')
        .find((p) => p.metadata?.name === 'strict' && p.status?.observedGeneration === 1),
    );
    const res = await evict('search', target.metadata!.name!);
    expect(res.status).toBe(429);
    expect(res.headers['retry-after']).toBeUndefined();
    expect(res.body).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: "Cannot evict pod as it would violate the pod's disruption budget.",
      reason: 'TooManyRequests',
      details: {
        causes: [
          {
            reason: 'DisruptionBudget',
            message: `The disruption budget strict needs ${replicas} healthy pods and has ${replicas} currently`,
          },
        ],
      },
      code: 429,
    });
    // Relaxing the budget lets exactly one eviction through.
    const strict = sim.cluster.listPodDisruptionBudgets('search').find((p) => p.metadata?.name === 'strict')!;
    strict.spec!.minAvailable = replicas - 1;
    sim.cluster.updatePodDisruptionBudget(strict);
    await waitFor(() =>
      sim.cluster
        .listPodDisruptionBudgets('search')
        .find((p) => p.metadata?.name === 'strict' && p.status?.observedGeneration === 2),
    );
    expect((await evict('search', target.metadata!.name!)).status).toBe(201);
    const other = sim.cluster
      .listPods({ namespace: 'search' })
      .find(
        (p) =>
          p.metadata?.labels?.app === app &&
          !p.metadata?.deletionTimestamp &&
          p.metadata?.name !== target.metadata?.name,
      )!;
    expect((await evict('search', other.metadata!.name!)).status).toBe(429);
    // The evicted pod is terminating; the disruption controller then drops it from disruptedPods.
    expect(sim.cluster.getPod('search', target.metadata!.name!)?.metadata?.deletionTimestamp).toBeTruthy();
    sim.cluster.deletePodDisruptionBudget('search', 'strict');
  });

  it('changes nothing for a dry-run eviction', async () => {
    const p = sim.cluster
      .listPods({ namespace: 'checkout' })
      .find((x) => x.status?.phase === 'Running' && !x.metadata?.deletionTimestamp)!;
    const res = await api(sim, `/api/v1/namespaces/checkout/pods/${p.metadata!.name}/eviction`, {
      method: 'POST',
      body: {
        apiVersion: 'policy/v1',
        kind: 'Eviction',
        metadata: { name: p.metadata!.name },
        deleteOptions: { dryRun: ['All'] },
      },
    });
    expect(res.status).toBe(201);
    expect(sim.cluster.getPod('checkout', p.metadata!.name!)?.metadata?.deletionTimestamp).toBeUndefined();
  });

  it('evicts completed pods regardless of budgets', async () => {
    const done = sim.cluster
      .listPods({ namespace: 'batch-jobs' })
      .find((p) => p.status?.phase === 'Succeeded')!;
    const res = await evict('batch-jobs', done.metadata!.name!);
    expect(res.status).toBe(201);
    expect(sim.cluster.getPod('batch-jobs', done.metadata!.name!)).toBeUndefined();
  });
});

describe('the handle', () => {
  it('adds and deletes nodes, with DaemonSet pods following', async () => {
    const node = sim.cluster.addNode('node-extra');
    expect(node.metadata?.uid).toBeTruthy();
    // Every DaemonSet runs a pod on the new node (other pods may land there too, from earlier tests).
    const daemonSets = sim.cluster.listDaemonSets().length;
    expect(daemonSets).toBeGreaterThan(0);
    await waitFor(
      () =>
        sim.cluster
          .listPods({ nodeName: 'node-extra' })
          .filter(
            (p) =>
              p.status?.phase === 'Running' &&
              p.metadata?.ownerReferences?.some((o) => o.kind === 'DaemonSet' && o.controller),
          ).length === daemonSets,
    );
    sim.cluster.deleteNode('node-extra');
    expect(sim.cluster.getNode('node-extra')).toBeUndefined();
    expect(sim.cluster.listPods({ nodeName: 'node-extra' })).toHaveLength(0);
  });

  it('marks a node NotReady with the not-ready taint and its pods not Ready', () => {
    sim.cluster.setNodeReady('node-0010', false);
    const node = sim.cluster.getNode('node-0010')!;
    expect(node.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('False');
    expect(node.spec?.taints).toContainEqual(
      expect.objectContaining({ key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' }),
    );
    const running = sim.cluster
      .listPods({ nodeName: 'node-0010' })
      .filter((p) => p.status?.phase === 'Running');
    expect(
      running.every((p) => p.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'False'),
    ).toBe(true);
    sim.cluster.setNodeReady('node-0010', true);
    expect(sim.cluster.getNode('node-0010')!.spec?.taints).toBeUndefined();
  });

  it('heartbeat() emits one MODIFIED per node that only moves lastHeartbeatTime', async () => {
    const w = await watch(sim, `/api/v1/nodes?watch=true&resourceVersion=${sim.cluster.resourceVersion}`);
    const before = sim.cluster.getNode('node-0001')!;
    sim.cluster.heartbeat();
    const events = [];
    for (let i = 0; i < sim.cluster.listNodes().length; i++) events.push(await w.next());
    expect(events.every((e) => e.type === 'MODIFIED')).toBe(true);
    const after = sim.cluster.getNode('node-0001')!;
    expect(after.spec).toEqual(before.spec);
    expect(after.metadata?.labels).toEqual(before.metadata?.labels);
    w.close();
  });

  it('finds a drainable worker node near a pod count', () => {
    const name = sim.cluster.findWorkerNode({ approxPods: 10 });
    const node = sim.cluster.getNode(name)!;
    expect(node.metadata?.labels?.['node-role.kubernetes.io/control-plane']).toBeUndefined();
    expect(node.spec?.unschedulable).toBeFalsy();
    expect(sim.cluster.podCount(name)).toBeGreaterThan(4);
    expect(sim.cluster.findWorkerNode({ approxPods: 10, exclude: [name] })).not.toBe(name);
  });
});
