import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SimulatorHandle, startSimulator } from '../../src/sim/index.js';
import { api, type ListBody, type Obj } from './helpers.js';

let sim: SimulatorHandle;

beforeAll(async () => {
  sim = await startSimulator({ nodes: 20, pods: 300, heartbeatIntervalMs: 0 });
});
afterAll(() => sim.stop());

const TABLE =
  'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

describe('authentication and errors', () => {
  it('answers 401 Unauthorized without a token or with a wrong one', async () => {
    for (const token of [null, 'wrong']) {
      const res = await api(sim, '/api/v1/nodes', { token });
      expect(res.status).toBe(401);
      expect(res.body).toEqual({
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: 'Unauthorized',
        reason: 'Unauthorized',
        code: 401,
      });
    }
  });

  it('answers 404 NotFound Status for a missing object, with details', async () => {
    const res = await api(sim, '/api/v1/namespaces/default/pods/nope');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({
      kind: 'Status',
      reason: 'NotFound',
      message: 'pods "nope" not found',
      details: { name: 'nope', kind: 'pods' },
      code: 404,
    });
    const rs = await api(sim, '/apis/apps/v1/namespaces/default/replicasets/nope');
    expect(rs.body).toMatchObject({
      message: 'replicasets.apps "nope" not found',
      details: { group: 'apps', kind: 'replicasets' },
    });
  });

  it('answers 404 for unknown resources and paths', async () => {
    expect((await api(sim, '/api/v1/endpoints')).status).toBe(404);
    expect((await api(sim, '/apis/batch/v1/jobs')).status).toBe(404);
    expect((await api(sim, '/nope')).status).toBe(404);
    expect((await api(sim, '/api/v1/namespaces/default/nodes')).status).toBe(404);
  });

  it('rejects bad selectors with 400 BadRequest', async () => {
    const bad = await api(sim, '/api/v1/pods?labelSelector=app%20in%20web');
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ reason: 'BadRequest' });
    const field = await api(sim, '/api/v1/pods?fieldSelector=spec.bogus%3Dx');
    expect(field.body).toMatchObject({ code: 400, message: 'field label not supported: spec.bogus' });
    const nodeField = await api(sim, '/api/v1/nodes?fieldSelector=spec.nodeName%3Dx');
    expect(nodeField.status).toBe(400);
  });
});

describe('discovery', () => {
  it('serves /version as Kubernetes 1.32', async () => {
    const res = await api(sim, '/version');
    expect(res.body).toMatchObject({ major: '1', minor: '32', gitVersion: 'v1.32.4' });
  });

  it('lists the core resources, the eviction subresource and the apps and policy groups', async () => {
    const core = await api<{ resources: Array<Record<string, unknown>> }>(sim, '/api/v1');
    const names = core.body.resources.map((r) => r.name);
    expect(names).toEqual(
      expect.arrayContaining(['nodes', 'pods', 'namespaces', 'pods/eviction', 'pods/status', 'nodes/status']),
    );
    expect(core.body.resources.find((r) => r.name === 'pods/eviction')).toMatchObject({
      group: 'policy',
      version: 'v1',
      kind: 'Eviction',
      verbs: ['create'],
    });
    const groups = await api<{ groups: Array<{ name: string }> }>(sim, '/apis');
    expect(groups.body.groups.map((g) => g.name)).toEqual([
      'apps',
      'policy',
      'rbac.authorization.k8s.io',
      'networking.k8s.io',
      'authentication.k8s.io',
      'authorization.k8s.io',
      // metrics-server's APIService (metricsApi: false leaves it out)
      'metrics.k8s.io',
    ]);
    const apps = await api<{ resources: Array<{ name: string }> }>(sim, '/apis/apps/v1');
    expect(apps.body.resources.map((r) => r.name)).toEqual(
      expect.arrayContaining(['daemonsets', 'replicasets']),
    );
    const policy = await api<{ resources: Array<{ name: string }> }>(sim, '/apis/policy/v1');
    expect(policy.body.resources.map((r) => r.name)).toContain('poddisruptionbudgets');
    expect((await api(sim, '/api')).body).toMatchObject({ kind: 'APIVersions', versions: ['v1'] });
  });
});

describe('GET and LIST', () => {
  it('returns an object with kind and apiVersion, list items without them', async () => {
    const list = await api<ListBody>(sim, '/api/v1/nodes');
    expect(list.body.kind).toBe('NodeList');
    expect(list.body.items).toHaveLength(20);
    expect(list.body.items[0]).not.toHaveProperty('kind');
    expect(Number(list.body.metadata.resourceVersion)).toBeGreaterThan(0);
    const one = await api<Obj>(sim, '/api/v1/nodes/node-0005');
    expect(one.body).toMatchObject({ kind: 'Node', apiVersion: 'v1', metadata: { name: 'node-0005' } });
    const pdbs = await api<ListBody>(sim, '/apis/policy/v1/poddisruptionbudgets');
    expect(pdbs.body.kind).toBe('PodDisruptionBudgetList');
  });

  it('lists pods across namespaces and within one, sorted by namespace/name', async () => {
    const all = await api<ListBody>(sim, '/api/v1/pods');
    expect(all.body.items).toHaveLength(300);
    const keys = all.body.items.map((p) => `${p.metadata?.namespace}/${p.metadata?.name}`);
    expect(keys).toEqual([...keys].sort());
    const ks = await api<ListBody>(sim, '/api/v1/namespaces/kube-system/pods');
    expect(ks.body.items.length).toBeGreaterThan(0);
    expect(ks.body.items.every((p) => p.metadata?.namespace === 'kube-system')).toBe(true);
  });

  it('filters pods by field selectors with =, == and != and commas', async () => {
    const node = sim.cluster.findWorkerNode();
    const expected = sim.cluster.listPods({ nodeName: node }).map((p) => p.metadata?.name);
    const eq = await api<ListBody>(sim, `/api/v1/pods?fieldSelector=spec.nodeName%3D${node}`);
    expect(eq.body.items.map((p) => p.metadata?.name).sort()).toEqual([...expected].sort());
    const eqeq = await api<ListBody>(
      sim,
      `/api/v1/pods?fieldSelector=spec.nodeName%3D%3D${node},status.phase!%3DRunning`,
    );
    expect(eqeq.body.items.every((p) => (p.status as { phase: string }).phase !== 'Running')).toBe(true);
    const byName = await api<ListBody>(
      sim,
      `/api/v1/pods?fieldSelector=metadata.namespace%3Dkube-system,metadata.name!%3Dx`,
    );
    expect(byName.body.items.every((p) => p.metadata?.namespace === 'kube-system')).toBe(true);
    const unscheduled = await api<ListBody>(sim, '/api/v1/pods?fieldSelector=spec.nodeName%3D');
    expect(unscheduled.body.items.every((p) => !(p.spec as { nodeName?: string }).nodeName)).toBe(true);
  });

  it('filters nodes by metadata.name and spec.unschedulable', async () => {
    const one = await api<ListBody>(sim, '/api/v1/nodes?fieldSelector=metadata.name%3Dnode-0002');
    expect(one.body.items.map((n) => n.metadata?.name)).toEqual(['node-0002']);
    const schedulable = await api<ListBody>(sim, '/api/v1/nodes?fieldSelector=spec.unschedulable%3Dfalse');
    expect(schedulable.body.items).toHaveLength(20);
  });

  it('filters by equality and set-based label selectors', async () => {
    const cp = await api<ListBody>(sim, '/api/v1/nodes?labelSelector=node-role.kubernetes.io/control-plane');
    expect(cp.body.items.map((n) => n.metadata?.name)).toEqual(['node-0001', 'node-0002', 'node-0003']);
    const workers = await api<ListBody>(
      sim,
      `/api/v1/nodes?labelSelector=${encodeURIComponent('!node-role.kubernetes.io/control-plane,topology.kubernetes.io/zone in (us-east-1a,us-east-1b)')}`,
    );
    expect(workers.body.items.length).toBeGreaterThan(5);
    expect(
      workers.body.items.every((n) => n.metadata?.labels?.['topology.kubernetes.io/zone'] !== 'us-east-1c'),
    ).toBe(true);
    const notin = await api<ListBody>(
      sim,
      `/api/v1/pods?labelSelector=${encodeURIComponent('app.kubernetes.io/name notin (kube-proxy),app.kubernetes.io/name')}`,
    );
    expect(
      notin.body.items.every((p) => p.metadata?.labels?.['app.kubernetes.io/name'] !== 'kube-proxy'),
    ).toBe(true);
    expect(notin.body.items.length).toBeGreaterThan(0);
  });

  it('pages with limit/continue over a consistent snapshot, reporting remainingItemCount', async () => {
    const seen: string[] = [];
    let token: string | undefined;
    let rv: string | undefined;
    let pages = 0;
    do {
      const res: { body: ListBody } = await api<ListBody>(
        sim,
        `/api/v1/pods?limit=70${token ? `&continue=${encodeURIComponent(token)}` : ''}`,
      );
      if (pages === 0) {
        rv = res.body.metadata.resourceVersion;
        expect(res.body.metadata.remainingItemCount).toBe(230);
        // A write between pages does not show up in later pages.
        sim.cluster.createPod({
          metadata: { name: 'zzz-late', namespace: 'search' },
          spec: { containers: [{ name: 'c', image: 'x:1' }] },
        });
      }
      expect(res.body.metadata.resourceVersion).toBe(rv);
      seen.push(...res.body.items.map((p) => `${p.metadata?.namespace}/${p.metadata?.name}`));
      token = res.body.metadata.continue;
      pages++;
    } while (token);
    expect(pages).toBe(5);
    expect(seen).toHaveLength(300);
    expect(new Set(seen).size).toBe(300);
    sim.cluster.deletePod('search', 'zzz-late', { force: true });
  });

  it('omits remainingItemCount when a selector is used', async () => {
    const res = await api<ListBody>(
      sim,
      '/api/v1/pods?limit=5&labelSelector=app.kubernetes.io/name%3Dkube-proxy',
    );
    expect(res.body.metadata.continue).toBeTruthy();
    expect(res.body.metadata.remainingItemCount).toBeUndefined();
  });

  it('expires continue tokens after compaction with 410 Expired', async () => {
    const first = await api<ListBody>(sim, '/api/v1/pods?limit=10');
    sim.faults.compactHistory();
    const next = await api(
      sim,
      `/api/v1/pods?limit=10&continue=${encodeURIComponent(first.body.metadata.continue!)}`,
    );
    expect(next.status).toBe(410);
    expect(next.body).toMatchObject({ reason: 'Expired', code: 410 });
    const garbage = await api(sim, '/api/v1/pods?limit=10&continue=garbage!!');
    expect(garbage.status).toBe(400);
  });

  it('treats resourceVersion like the apiserver', async () => {
    const rv = Number(sim.cluster.resourceVersion);
    const zero = await api<ListBody>(sim, '/api/v1/pods?resourceVersion=0&limit=10');
    expect(zero.body.items).toHaveLength(300); // served from the watch cache: limit ignored
    expect(zero.body.metadata.continue).toBeUndefined();
    const notOlder = await api<ListBody>(
      sim,
      `/api/v1/nodes?resourceVersion=${rv}&resourceVersionMatch=NotOlderThan`,
    );
    expect(notOlder.status).toBe(200);
    const exactOld = await api(sim, `/api/v1/nodes?resourceVersion=${rv - 50}&resourceVersionMatch=Exact`);
    expect(exactOld.status).toBe(410);
    const future = await api(sim, `/api/v1/nodes?resourceVersion=${rv + 1000}`);
    expect(future.status).toBe(504);
    expect(future.body).toMatchObject({
      reason: 'Timeout',
      details: { causes: [{ reason: 'ResourceVersionTooLarge' }] },
    });
    const matchWithoutRv = await api(sim, '/api/v1/nodes?resourceVersionMatch=NotOlderThan');
    expect(matchWithoutRv.status).toBe(400);
    const both = await api(sim, `/api/v1/nodes?resourceVersion=${rv}&continue=abc`);
    expect(both.status).toBe(400);
  });

  it('renders node and pod Tables with kubectl columns', async () => {
    const nodes = await api<{
      kind: string;
      columnDefinitions: Array<{ name: string; priority: number }>;
      rows: Array<{ cells: unknown[]; object: Obj }>;
    }>(sim, '/api/v1/nodes', { accept: TABLE });
    expect(nodes.headers['content-type']).toContain('as=Table');
    expect(nodes.body.kind).toBe('Table');
    expect(nodes.body.columnDefinitions.filter((c) => c.priority === 0).map((c) => c.name)).toEqual([
      'Name',
      'Status',
      'Roles',
      'Age',
      'Version',
    ]);
    expect(nodes.body.rows[0]!.cells.slice(0, 3)).toEqual(['node-0001', 'Ready', 'control-plane']);
    expect(nodes.body.rows[0]!.cells[3]).toBe('120d');
    expect(nodes.body.rows[0]!.object).toMatchObject({
      kind: 'PartialObjectMetadata',
      metadata: { name: 'node-0001' },
    });
    const pods = await api<{ columnDefinitions: Array<{ name: string }>; rows: Array<{ cells: unknown[] }> }>(
      sim,
      '/api/v1/namespaces/kube-system/pods',
      { accept: TABLE },
    );
    expect(pods.body.columnDefinitions.map((c) => c.name).slice(0, 5)).toEqual([
      'Name',
      'Ready',
      'Status',
      'Restarts',
      'Age',
    ]);
    expect(pods.body.rows.every((r) => r.cells[2] === 'Running')).toBe(true);
    const completed = await api<{ rows: Array<{ cells: unknown[] }> }>(
      sim,
      '/api/v1/namespaces/batch-jobs/pods',
      { accept: TABLE },
    );
    expect(new Set(completed.body.rows.map((r) => r.cells[2]))).toEqual(new Set(['Completed', 'Error']));
  });

  it('answers JSON when asked for protobuf', async () => {
    const res = await api(sim, '/api/v1/nodes/node-0001', {
      accept: 'application/vnd.kubernetes.protobuf, */*',
    });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
  });
});

describe('generated objects', () => {
  it('look like real nodes: 9-20 KB with labels, taints, conditions, images and managedFields', async () => {
    const res = await api<Obj>(sim, '/api/v1/nodes/node-0001');
    expect(res.text.length).toBeGreaterThan(9_000);
    expect(res.text.length).toBeLessThan(20_000);
    const node = res.body as {
      spec: { taints: unknown[] };
      status: Record<string, unknown[]>;
      metadata: { managedFields: unknown[] };
    };
    expect(node.spec.taints).toEqual([
      { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' },
    ]);
    expect(node.status.conditions!.length).toBe(4);
    expect(node.status.images!.length).toBeGreaterThan(10);
    expect(node.metadata.managedFields.length).toBeGreaterThan(0);
  });

  it('include mirror, bare, emptyDir, completed and failed pods', () => {
    const pods = sim.cluster.listPods();
    const mirror = pods.filter((p) => p.metadata?.annotations?.['kubernetes.io/config.mirror']);
    expect(mirror.length).toBe(4 * 3);
    expect(pods.some((p) => !p.metadata?.ownerReferences)).toBe(true);
    expect(pods.some((p) => p.spec?.volumes?.some((v) => v.emptyDir))).toBe(true);
    expect(pods.some((p) => p.status?.phase === 'Succeeded')).toBe(true);
    expect(pods.some((p) => p.status?.phase === 'Failed')).toBe(true);
    const ds = pods.filter((p) => p.metadata?.ownerReferences?.[0]?.kind === 'DaemonSet');
    expect(ds.length).toBe(4 * 20);
  });

  it('is identical for the same seed', async () => {
    const other = await startSimulator({ nodes: 20, pods: 300, heartbeatIntervalMs: 0, tls: false });
    try {
      const a = (await api<ListBody>(other, '/api/v1/pods')).body.items.map((p) => [
        p.metadata?.name,
        (p.metadata as { uid?: string }).uid,
        (p.spec as { nodeName?: string }).nodeName,
      ]);
      const mine = sim.cluster.listPods().filter((p) => p.metadata?.name !== 'zzz-late');
      expect(a).toEqual(mine.map((p) => [p.metadata?.name, p.metadata?.uid, p.spec?.nodeName]));
    } finally {
      await other.stop();
    }
  });
});
