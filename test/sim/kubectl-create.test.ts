/**
 * `kubectl create <kind>` generators against the simulator. kubectl 1.32 writes built-in kinds through
 * client-go's typed clients, which send application/vnd.kubernetes.protobuf and never fall back to JSON,
 * so these tests cover the simulator's protobuf decoding: kubectl's own bytes, kubectl end to end, and
 * hostile bodies that must get the apiserver's Status and never a crash.
 */
import { request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SimulatorHandle, startSimulator } from '../../src/sim/index.js';
import { decodeKubeProtobuf } from '../../src/sim/protobuf/kube-protobuf.js';
import { ApiError } from '../../src/sim/status.js';
import { waitFor } from '../support/wait-for.js';
import { api } from './helpers.js';
import { KUBECTL_MISSING, type Kubectl, kubectlAvailable, kubectlFor } from './kubectl-helpers.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

// What kubectl v1.32.4 sent (-v=9) for `create pdb x --selector=app=y --max-unavailable=0`.
const KUBECTL_PDB = hex(`
  6b387300 0a200a09 706f6c69 63792f76 31121350 6f644469 73727570 74696f6e
  42756467 65741235 0a110a01 7812001a 0022002a 00320038 00420012 14120a0a
  080a0361 70701201 791a0608 0010001a 001a0a08 00180020 00280030 001a0022 00`);
// ... and for each pod of `drain --disable-eviction --grace-period=7` (DELETE with DeleteOptions).
const KUBECTL_DELETE_OPTIONS = hex(
  '6b387300 0a130a02 76311a0d 44656c65 74654f70 74696f6e 73120208 071a0022 00',
);

// A test-side protobuf writer, only to build hostile and hand-made bodies.
function varint(n: number | bigint): Buffer {
  let v = BigInt.asUintN(64, BigInt(n));
  const out: number[] = [];
  do {
    const b = Number(v & 0x7fn);
    v >>= 7n;
    out.push(v > 0n ? b | 0x80 : b);
  } while (v > 0n);
  return Buffer.from(out);
}
const bytesField = (num: number, payload: Buffer | string): Buffer => {
  const p = Buffer.from(payload);
  return Buffer.concat([varint((num << 3) | 2), varint(p.length), p]);
};
const varintField = (num: number, value: number): Buffer => Buffer.concat([varint(num << 3), varint(value)]);
const MAGIC = Buffer.from('k8s\0', 'latin1');
function envelope(apiVersion: string, kind: string, raw: Buffer): Buffer {
  const typeMeta = Buffer.concat([bytesField(1, apiVersion), bytesField(2, kind)]);
  return Buffer.concat([MAGIC, bytesField(1, typeMeta), bytesField(2, raw)]);
}

/** POSTs raw bytes (api() in helpers.ts sends strings). */
function postBytes(
  sim: SimulatorHandle,
  path: string,
  body: Buffer,
  contentType: string,
): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(
      new URL(path, sim.url),
      {
        method: 'POST',
        ca: sim.caPem,
        headers: {
          Authorization: `Bearer ${sim.token}`,
          'Content-Type': contentType,
          'Content-Length': body.length,
          Accept: 'application/vnd.kubernetes.protobuf,application/json',
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('protobuf bodies as kubectl sends them', () => {
  const PDB = { kind: 'PodDisruptionBudget', apiVersion: 'policy/v1' };

  it("decodes kubectl's PodDisruptionBudget into the JSON kubectl would have sent", () => {
    expect(decodeKubeProtobuf(KUBECTL_PDB, PDB)).toEqual({
      kind: 'PodDisruptionBudget',
      apiVersion: 'policy/v1',
      metadata: { name: 'x', creationTimestamp: null },
      spec: { selector: { matchLabels: { app: 'y' } }, maxUnavailable: 0 },
      status: { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 },
    });
  });

  it("decodes kubectl's DeleteOptions, keeping the grace period", () => {
    expect(decodeKubeProtobuf(KUBECTL_DELETE_OPTIONS, { kind: 'DeleteOptions', apiVersion: 'v1' })).toEqual({
      kind: 'DeleteOptions',
      apiVersion: 'v1',
      gracePeriodSeconds: 7,
    });
  });

  it('keeps label values that are empty and a __proto__ key as plain data', () => {
    const labels = Buffer.concat([
      bytesField(11, Buffer.concat([bytesField(1, 'role'), bytesField(2, '')])),
      bytesField(11, Buffer.concat([bytesField(1, '__proto__'), bytesField(2, 'x')])),
    ]);
    const obj = decodeKubeProtobuf(
      envelope('v1', 'Namespace', bytesField(1, Buffer.concat([bytesField(1, 'n'), labels]))),
      { kind: 'Namespace', apiVersion: 'v1' },
    );
    expect(Object.getPrototypeOf(obj.metadata?.labels)).toBe(Object.prototype);
    expect(JSON.stringify(obj.metadata?.labels)).toBe('{"role":"","__proto__":"x"}');
  });

  it('answers every mutation of real bytes with an object or a 400 Status, never another error', () => {
    let seed = 12345;
    const next = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    let decoded = 0;
    for (let i = 0; i < 5000; i++) {
      const body = Buffer.from(KUBECTL_PDB);
      for (let flips = 1 + next(4); flips > 0; flips--) body[4 + next(body.length - 4)] = next(256);
      const cut = next(3) === 0 ? body.subarray(0, 4 + next(body.length - 4)) : body;
      try {
        decodeKubeProtobuf(cut, PDB);
        decoded++;
      } catch (e) {
        expect(e).toBeInstanceOf(ApiError);
        expect((e as ApiError).code).toBe(400);
      }
    }
    // Both outcomes happen: the mutations are neither all harmless nor all fatal.
    expect(decoded).toBeGreaterThan(0);
    expect(decoded).toBeLessThan(5000);
  });
});

describe('hostile request bodies get the API server Status', () => {
  let sim: SimulatorHandle;
  beforeAll(async () => {
    sim = await startSimulator({ nodes: 3, pods: 10, heartbeatIntervalMs: 0 });
  });
  afterAll(async () => {
    await sim?.stop();
  });

  const PB = 'application/vnd.kubernetes.protobuf';
  // Field 2 (raw) claiming 2^40 bytes.
  const FAR_LENGTH = Buffer.concat([MAGIC, varint(0x12), varint(2 ** 40)]);
  const PDBS = '/apis/policy/v1/namespaces/default/poddisruptionbudgets';
  const unrecognized = (why: string) =>
    `the object provided is unrecognized (must be of type PodDisruptionBudget): ${why}`;
  const cannot = (why: string) =>
    `PodDisruptionBudget in version "v1" cannot be handled as a PodDisruptionBudget: ${why}`;
  const cases: Array<{
    name: string;
    path?: string;
    body: Buffer;
    type?: string;
    code: number;
    message: string;
  }> = [
    {
      name: 'garbage without the k8s magic',
      body: Buffer.from('garbage!'),
      code: 400,
      message: unrecognized(
        'provided data does not appear to be a protobuf message, expected prefix [107 56 115 0] (6761726261676521)',
      ),
    },
    {
      name: 'an empty body',
      body: Buffer.alloc(0),
      code: 400,
      message: unrecognized('empty data (<empty>)'),
    },
    { name: 'only the magic', body: MAGIC, code: 400, message: unrecognized('empty body (6b387300)') },
    {
      name: 'a truncated envelope',
      body: KUBECTL_PDB.subarray(0, 20),
      code: 400,
      message: unrecognized(`unexpected EOF (${KUBECTL_PDB.subarray(0, 20).toString('hex')})`),
    },
    {
      name: 'a length far past the end',
      body: FAR_LENGTH,
      code: 400,
      message: unrecognized(`unexpected EOF (${FAR_LENGTH.toString('hex')})`),
    },
    {
      name: 'a varint longer than 64 bits',
      body: Buffer.concat([MAGIC, Buffer.alloc(11, 0xff)]),
      code: 400,
      message: unrecognized(`proto: integer overflow (6b387300${'ff'.repeat(11)})`),
    },
    {
      name: 'field number 0',
      body: Buffer.concat([MAGIC, Buffer.from([0x00, 0x01])]),
      code: 400,
      message: unrecognized('proto: Unknown: illegal tag 0 (wire type 0) (6b3873000001)'),
    },
    {
      name: 'metadata as a varint',
      body: envelope('policy/v1', 'PodDisruptionBudget', varintField(1, 5)),
      code: 400,
      message: cannot('proto: wrong wireType = 0 for field Metadata'),
    },
    {
      name: 'a time past year 9999',
      body: envelope(
        'policy/v1',
        'PodDisruptionBudget',
        bytesField(1, Buffer.concat([bytesField(1, 'late'), bytesField(8, varintField(1, 2 ** 40))])),
      ),
      code: 400,
      message: cannot('Time.MarshalJSON: year outside of range [0,9999]'),
    },
    {
      name: 'a kind the simulator has no schema for',
      body: envelope('v1', 'Endpoints', Buffer.alloc(0)),
      code: 400,
      message:
        'Endpoints in version "v1" cannot be handled as a PodDisruptionBudget: no kind "Endpoints" is registered for version "v1" in scheme "pkg/runtime/scheme.go:100"',
    },
    {
      name: 'an unknown content type',
      body: Buffer.from('{}'),
      type: 'text/plain',
      code: 415,
      message:
        'the body of the request was in an unknown format - accepted media types include: application/json, application/vnd.kubernetes.protobuf',
    },
    {
      name: 'protobuf for a kind decoded only from JSON',
      path: '/api/v1/namespaces/default/pods',
      body: envelope('v1', 'Pod', Buffer.alloc(0)),
      code: 415,
      message:
        'the body of the request was in an unknown format - accepted media types include: application/json',
    },
  ];

  it.each(cases)('$name -> $code', async ({ path, body, type, code, message }) => {
    const res = await postBytes(sim, path ?? PDBS, body, type ?? PB);
    expect(res).toEqual({
      status: code,
      body: {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message,
        reason: code === 415 ? 'UnsupportedMediaType' : 'BadRequest',
        code,
      },
    });
  });

  it('still serves afterwards and created nothing', async () => {
    expect((await api(sim, '/version')).status).toBe(200);
    expect(sim.cluster.listPodDisruptionBudgets('default')).toEqual([]);
    expect(sim.cluster.listPods({ namespace: 'default' }).map((p) => p.metadata?.name)).not.toContain('');
  });
});

const available = kubectlAvailable();
const suite = available || process.env.CI ? describe : describe.skip;

suite('kubectl create against the simulator', () => {
  let sim: SimulatorHandle;
  let kubectl: Kubectl;
  beforeAll(async () => {
    if (!available) throw new Error(KUBECTL_MISSING);
    sim = await startSimulator({ nodes: 8, pods: 80, heartbeatIntervalMs: 0, controllerDelayMs: 20 });
    kubectl = await kubectlFor(sim);
  });
  afterAll(async () => {
    kubectl?.dispose();
    await sim?.stop();
  });

  const getJson = async (args: string[]): Promise<Record<string, unknown> & { spec?: unknown }> =>
    JSON.parse(await kubectl.ok(['get', ...args, '-o', 'json'])) as Record<string, unknown>;

  it('create pdb --max-unavailable=0 stores the budget kubectl get then prints', async () => {
    expect(await kubectl.ok(['create', 'pdb', 'x', '--selector=app=y', '--max-unavailable=0'])).toBe(
      'poddisruptionbudget.policy/x created\n',
    );
    const pdb = await getJson(['pdb', 'x']);
    expect(pdb).toMatchObject({ kind: 'PodDisruptionBudget', metadata: { name: 'x', namespace: 'default' } });
    expect(pdb.spec).toEqual({ maxUnavailable: 0, selector: { matchLabels: { app: 'y' } } });
  });

  it('create pdb --min-available=50% with a set-based selector in another namespace', async () => {
    await kubectl.ok([
      'create',
      'pdb',
      'half',
      '-n',
      'payments',
      '--selector=app in (a,b)',
      '--min-available=50%',
    ]);
    const pdb = await getJson(['pdb', 'half', '-n', 'payments']);
    expect(pdb.spec).toEqual({
      minAvailable: '50%',
      selector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['a', 'b'] }] },
    });
  });

  it('create namespace makes an Active namespace with its name label', async () => {
    await kubectl.ok(['create', 'namespace', 'made-by-kubectl']);
    expect(await getJson(['namespace', 'made-by-kubectl'])).toMatchObject({
      metadata: { name: 'made-by-kubectl', labels: { 'kubernetes.io/metadata.name': 'made-by-kubectl' } },
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active' },
    });
    const again = await kubectl.run(['create', 'namespace', 'made-by-kubectl']);
    expect(again.stderr).toContain('namespaces "made-by-kubectl" already exists');
  });

  it.each([
    ['job', ['create', 'job', 'x', '--image=nginx']],
    ['cronjob', ['create', 'cronjob', 'x', '--image=nginx', '--schedule=* * * * *']],
  ])('create %s (a kind the simulator does not serve) says the resource is not found', async (_, args) => {
    const res = await kubectl.run(args);
    expect(res.code).not.toBe(0);
    expect(res.stderr).toMatch(
      /the server could not find the requested resource|doesn't have a resource type/,
    );
  });

  it.each([
    ['deployment', ['create', 'deployment', 'pb-web', '--image=nginx:1.27', '--replicas=2', '--port=80']],
    ['configmap', ['create', 'configmap', 'pb-config', '--from-literal=a=b']],
    ['secret', ['create', 'secret', 'generic', 'pb-secret', '--from-literal=p=q']],
    ['serviceaccount', ['create', 'serviceaccount', 'pb-robot']],
    ['service', ['create', 'service', 'clusterip', 'pb-web', '--tcp=80:8080']],
  ])('create %s sends protobuf, which the simulator decodes', async (_, args) => {
    expect(await kubectl.ok(args)).toMatch(/created\n$/);
  });

  it('the protobuf-created objects read back as kubectl sent them', async () => {
    const get = async (what: string) => JSON.parse(await kubectl.ok(['get', what, '-o', 'json']));
    expect((await get('deploy/pb-web')).spec).toMatchObject({
      replicas: 2,
      selector: { matchLabels: { app: 'pb-web' } },
      template: {
        spec: { containers: [{ name: 'nginx', image: 'nginx:1.27', ports: [{ containerPort: 80 }] }] },
      },
    });
    expect((await get('cm/pb-config')).data).toEqual({ a: 'b' });
    expect(await get('secret/pb-secret')).toMatchObject({ type: 'Opaque', data: { p: 'cQ==' } });
    expect((await get('svc/pb-web')).spec).toMatchObject({
      type: 'ClusterIP',
      selector: { app: 'pb-web' },
      ports: [{ name: '80-8080', port: 80, targetPort: 8080, protocol: 'TCP' }],
    });
  });

  it('a PDB created by kubectl blocks the eviction of a pod it selects with 429', async () => {
    const victim = sim.cluster
      .listPods({ namespace: 'checkout' })
      .find((p) => p.metadata?.ownerReferences?.[0]?.kind === 'ReplicaSet' && p.status?.phase === 'Running')!;
    const ns = victim.metadata!.namespace!;
    const name = victim.metadata!.name!;
    const labels = victim.metadata!.labels!;
    // Only one budget may select the pod, or the eviction is a 500.
    for (const pdb of sim.cluster.listPodDisruptionBudgets(ns))
      sim.cluster.deletePodDisruptionBudget(ns, pdb.metadata!.name!);
    await kubectl.ok([
      'create',
      'pdb',
      'guard',
      '-n',
      ns,
      `--selector=app=${labels.app},pod-template-hash=${labels['pod-template-hash']}`,
      '--max-unavailable=0',
    ]);
    const pdb = await waitFor(() =>
      sim.cluster
        .listPodDisruptionBudgets(ns)
        .find(
          (p) => p.metadata?.name === 'guard' && p.status?.observedGeneration === 1 && p.status.expectedPods,
        ),
    );
    const healthy = pdb.status!.currentHealthy;
    expect(pdb.status).toMatchObject({ disruptionsAllowed: 0, desiredHealthy: healthy });

    const evictionPath = `/api/v1/namespaces/${ns}/pods/${name}/eviction`;
    const asJson = await api(sim, evictionPath, {
      method: 'POST',
      body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace: ns } },
    });
    const asProtobuf = await postBytes(
      sim,
      evictionPath,
      envelope(
        'policy/v1',
        'Eviction',
        bytesField(1, Buffer.concat([bytesField(1, name), bytesField(3, ns)])),
      ),
      'application/vnd.kubernetes.protobuf',
    );
    for (const res of [asJson, asProtobuf]) {
      expect(res.status).toBe(429);
      expect(res.body).toMatchObject({
        reason: 'TooManyRequests',
        message: "Cannot evict pod as it would violate the pod's disruption budget.",
        details: {
          causes: [
            {
              reason: 'DisruptionBudget',
              message: `The disruption budget guard needs ${healthy} healthy pods and has ${healthy} currently`,
            },
          ],
        },
      });
    }
    expect(sim.cluster.getPod(ns, name)?.metadata?.deletionTimestamp).toBeUndefined();
  });

  it("a DELETE with kubectl's protobuf DeleteOptions uses its grace period", async () => {
    const pod = sim.cluster
      .listPods({ namespace: 'payments' })
      .find((p) => p.status?.phase === 'Running' && !p.metadata?.deletionTimestamp)!;
    const res = await new Promise<{ status: number; body: { metadata?: Record<string, unknown> } }>(
      (resolve, reject) => {
        const req = request(
          new URL(`/api/v1/namespaces/payments/pods/${pod.metadata!.name}`, sim.url),
          {
            method: 'DELETE',
            ca: sim.caPem,
            headers: {
              Authorization: `Bearer ${sim.token}`,
              'Content-Type': 'application/vnd.kubernetes.protobuf',
              'Content-Length': KUBECTL_DELETE_OPTIONS.length,
            },
          },
          (r) => {
            const chunks: Buffer[] = [];
            r.on('data', (c: Buffer) => chunks.push(c));
            r.on('end', () =>
              resolve({ status: r.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString()) }),
            );
          },
        );
        req.on('error', reject);
        req.end(KUBECTL_DELETE_OPTIONS);
      },
    );
    expect(res.status).toBe(200);
    expect(res.body.metadata).toMatchObject({ deletionGracePeriodSeconds: 7 });
  });

  it('drain --disable-eviction deletes the pods through protobuf DeleteOptions', async () => {
    const node = sim.cluster.findWorkerNode();
    for (const ns of sim.cluster.listNamespaces())
      for (const pdb of sim.cluster.listPodDisruptionBudgets(ns.metadata!.name))
        sim.cluster.deletePodDisruptionBudget(ns.metadata!.name!, pdb.metadata!.name!);
    const before = sim.cluster
      .listPods({ nodeName: node })
      .filter((p) => p.metadata?.ownerReferences?.[0]?.kind !== 'DaemonSet');
    expect(before.length).toBeGreaterThan(0);
    await kubectl.ok([
      'drain',
      node,
      '--disable-eviction',
      '--ignore-daemonsets',
      '--delete-emptydir-data',
      '--force',
      '--grace-period=1',
      '--timeout=60s',
    ]);
    const left = sim.cluster.listPods({ nodeName: node });
    expect(left.every((p) => p.metadata?.ownerReferences?.[0]?.kind === 'DaemonSet')).toBe(true);
    expect(sim.audit.count({ resource: 'pods', verb: 'delete', code: 200 })).toBeGreaterThanOrEqual(
      before.length,
    );
  }, 60_000);
});
