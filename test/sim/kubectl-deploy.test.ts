/**
 * Real kubectl deploys a workload's manifests into the simulator (RBAC on): apply -k of a kustomization
 * holding every kind a deployment of the gateway needs (created / unchanged / configured), --dry-run=server,
 * kubectl get tables, then kubectl create token and the ServiceAccount's token used as kubectl's credential.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SimulatorHandle, startSimulator } from '../../src/sim/index.js';
import { api, watch } from './helpers.js';
import { KUBECTL_MISSING, type Kubectl, kubectlAvailable, kubectlFor } from './kubectl-helpers.js';

const available = kubectlAvailable();
const suite = available || process.env.CI ? describe : describe.skip;

const FIXTURE = join(import.meta.dirname, 'fixtures', 'deploy-kustomization');
const NS = 'gateway-sim';

/** `kind/name verb` lines of kubectl apply's output, as a map. */
function applied(out: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const line of out.split('\n').filter(Boolean)) {
    const [what, ...verb] = line.split(' ');
    result[what!] = verb.join(' ');
  }
  return result;
}

suite('kubectl deploys manifests and uses ServiceAccount tokens', () => {
  let sim: SimulatorHandle;
  let admin: Kubectl;
  let dir: string;
  beforeAll(async () => {
    if (!available) throw new Error(KUBECTL_MISSING);
    dir = mkdtempSync(join(tmpdir(), 'sim-kubectl-deploy-'));
    cpSync(FIXTURE, join(dir, 'manifests'), { recursive: true });
    sim = await startSimulator({
      nodes: 4,
      pods: 20,
      heartbeatIntervalMs: 0,
      controllerDelayMs: 10,
      authorizationMode: 'RBAC',
    });
    admin = await kubectlFor(sim);
  });
  afterAll(async () => {
    admin?.dispose();
    await sim?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('apply -k --dry-run=server on a fresh cluster stores nothing (so the namespace is not there)', async () => {
    const rv = sim.cluster.resourceVersion;
    const r = await admin.run(['apply', '-k', join(dir, 'manifests'), '--dry-run=server']);
    // As against kube-apiserver: the dry-run namespace is not created, so its objects cannot be.
    expect(r.code).not.toBe(0);
    expect(applied(r.stdout)).toEqual({
      'namespace/gateway-sim': 'created (server dry run)',
      'clusterrole.rbac.authorization.k8s.io/gateway-sim-nodes': 'created (server dry run)',
      'clusterrolebinding.rbac.authorization.k8s.io/gateway-sim-nodes': 'created (server dry run)',
    });
    expect(r.stderr).toContain(`namespaces "${NS}" not found`);
    expect(sim.cluster.resourceVersion).toBe(rv);
    expect((await admin.run(['get', 'namespace', NS])).code).not.toBe(0);
  });

  it('apply -k creates every kind, a second apply leaves them unchanged', async () => {
    const first = applied(await admin.ok(['apply', '-k', join(dir, 'manifests')]));
    expect(first).toEqual({
      'namespace/gateway-sim': 'created',
      'serviceaccount/gateway': 'created',
      'clusterrole.rbac.authorization.k8s.io/gateway-sim-nodes': 'created',
      'clusterrolebinding.rbac.authorization.k8s.io/gateway-sim-nodes': 'created',
      'configmap/gateway-config': 'created',
      'secret/gateway-secret': 'created',
      'service/gateway': 'created',
      'deployment.apps/gateway': 'created',
      'poddisruptionbudget.policy/gateway': 'created',
    });
    // Once the Deployment controller has reported the rollout, nothing writes until the next apply.
    await admin.ok(['rollout', 'status', 'deploy/gateway', '-n', NS, '--timeout=30s']);
    const rv = sim.cluster.resourceVersion;
    const second = applied(await admin.ok(['apply', '-k', join(dir, 'manifests')]));
    for (const [what, verb] of Object.entries(second)) {
      // kubectl's strategic merge patch always sends a PDB's selector (patchStrategy "replace"), so it says
      // "configured" against any apiserver; the server finds nothing to change.
      expect(verb, what).toBe(what.startsWith('poddisruptionbudget') ? 'configured' : 'unchanged');
    }
    const deploy = JSON.parse(await admin.ok(['get', 'deploy', 'gateway', '-n', NS, '-o', 'json']));
    expect(deploy.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']).toContain(
      '"replicas":2',
    );
    // The second apply's patches changed nothing, so nothing was written.
    expect(sim.cluster.resourceVersion).toBe(rv);
  });

  it('a changed apply --dry-run=server reports configured and stores nothing', async () => {
    const changed = join(dir, 'dry');
    cpSync(join(dir, 'manifests'), changed, { recursive: true });
    const workload = join(changed, 'workload.yaml');
    writeFileSync(workload, readFileSync(workload, 'utf8').replace('replicas: 2', 'replicas: 5'));
    const rv = sim.cluster.resourceVersion;
    const out = applied(await admin.ok(['apply', '-k', changed, '--dry-run=server']));
    expect(out).toMatchObject({
      'deployment.apps/gateway': 'configured (server dry run)',
      'service/gateway': 'unchanged (server dry run)',
    });
    expect(sim.cluster.resourceVersion).toBe(rv);
    const deploy = JSON.parse(await admin.ok(['get', 'deploy', 'gateway', '-n', NS, '-o', 'json']));
    expect(deploy.spec.replicas).toBe(2);
  });

  it('a changed apply reports configured and patches what changed (strategic merge)', async () => {
    const workload = join(dir, 'manifests', 'workload.yaml');
    writeFileSync(
      workload,
      readFileSync(workload, 'utf8')
        .replace('replicas: 2', 'replicas: 3')
        .replace('kube-node-gateway:0.1.0', 'kube-node-gateway:0.2.0'),
    );
    const kustomization = join(dir, 'manifests', 'kustomization.yaml');
    writeFileSync(
      kustomization,
      readFileSync(kustomization, 'utf8').replace('LOG_LEVEL=info', 'LOG_LEVEL=debug'),
    );
    const out = applied(await admin.ok(['apply', '-k', join(dir, 'manifests')]));
    expect(out).toMatchObject({
      'deployment.apps/gateway': 'configured',
      'configmap/gateway-config': 'configured',
      'service/gateway': 'unchanged',
      'serviceaccount/gateway': 'unchanged',
    });
    const deploy = JSON.parse(await admin.ok(['get', 'deploy', 'gateway', '-n', NS, '-o', 'json']));
    expect(deploy.spec.replicas).toBe(3);
    expect(deploy.metadata.generation).toBe(2);
    expect(deploy.spec.template.spec.containers).toHaveLength(1);
    expect(deploy.spec.template.spec.containers[0]).toMatchObject({
      image: 'kube-node-gateway:0.2.0',
      ports: [{ name: 'http', containerPort: 4000, protocol: 'TCP' }],
    });
    await admin.ok(['rollout', 'status', 'deploy/gateway', '-n', NS, '--timeout=30s']);
    const cm = JSON.parse(await admin.ok(['get', 'cm', 'gateway-config', '-n', NS, '-o', 'json']));
    expect(cm.data).toEqual({ LOG_LEVEL: 'debug' });
  });

  it('kubectl get deploy,svc,sa,secret,cm prints the apiserver tables', async () => {
    const out = await admin.ok(['get', 'deploy,svc,sa,secret,cm', '-n', NS]);
    expect(out).toMatch(/^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE$/m);
    expect(out).toMatch(/^deployment\.apps\/gateway\s+3\/3\s+3\s+3\s+\S+$/m);
    expect(out).toMatch(/^NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE$/m);
    expect(out).toMatch(/^service\/gateway\s+ClusterIP\s+10\.96\.\d+\.\d+\s+<none>\s+80\/TCP\s+\S+$/m);
    expect(out).toMatch(/^serviceaccount\/gateway\s+0\s+\S+$/m);
    expect(out).toMatch(/^secret\/gateway-secret\s+Opaque\s+1\s+\S+$/m);
    expect(out).toMatch(/^configmap\/gateway-config\s+1\s+\S+$/m);
    const byField = await admin.ok(['get', 'secrets', '-A', '--field-selector', 'type=Opaque', '-o', 'name']);
    expect(byField.trim()).toBe('secret/gateway-secret');
  });

  it('patch --dry-run=server answers the patched object and changes nothing, with no watch event', async () => {
    const before = await api<{ metadata: { resourceVersion: string } }>(
      sim,
      `/api/v1/namespaces/${NS}/configmaps/gateway-config`,
    );
    const w = await watch(
      sim,
      `/api/v1/namespaces/${NS}/configmaps?watch=true&resourceVersion=${sim.cluster.resourceVersion}`,
    );
    try {
      const out = await admin.ok([
        'patch',
        'cm',
        'gateway-config',
        '-n',
        NS,
        '--dry-run=server',
        '-p',
        '{"data":{"LOG_LEVEL":"trace"}}',
        '-o',
        'jsonpath={.data.LOG_LEVEL}',
      ]);
      expect(out).toBe('trace');
      await admin.ok(['create', 'cm', 'after-dry-run', '-n', NS, '--from-literal=a=b']);
      // The first event is the real create: the dry run emitted none.
      const first = await w.next(10_000);
      expect(first.type).toBe('ADDED');
      expect(first.object.metadata?.name).toBe('after-dry-run');
    } finally {
      w.close();
    }
    const after = await api<{ metadata: { resourceVersion: string }; data: Record<string, string> }>(
      sim,
      `/api/v1/namespaces/${NS}/configmaps/gateway-config`,
    );
    expect(after.body.data.LOG_LEVEL).toBe('debug');
    expect(after.body.metadata.resourceVersion).toBe(before.body.metadata.resourceVersion);
  });

  it('kubectl create token, then the token is kubectl credential as the ServiceAccount (whoami, can-i)', async () => {
    const token = (await admin.ok(['create', 'token', 'gateway', '-n', NS, '--duration=20m'])).trim();
    const [header, payload] = token
      .split('.')
      .slice(0, 2)
      .map((p) => JSON.parse(Buffer.from(p, 'base64url').toString()));
    expect(header).toMatchObject({ alg: 'ES256' });
    const sa = JSON.parse(await admin.ok(['get', 'sa', 'gateway', '-n', NS, '-o', 'json']));
    expect(payload).toMatchObject({
      iss: 'https://kubernetes.default.svc.cluster.local',
      sub: `system:serviceaccount:${NS}:gateway`,
      aud: ['https://kubernetes.default.svc.cluster.local'],
      'kubernetes.io': { namespace: NS, serviceaccount: { name: 'gateway', uid: sa.metadata.uid } },
    });
    expect(payload.exp - payload.iat).toBe(1200);
    expect(payload.nbf).toBe(payload.iat);

    const whoami = await admin.ok(['--token', token, 'auth', 'whoami']);
    expect(whoami).toMatch(new RegExp(`^Username\\s+system:serviceaccount:${NS}:gateway$`, 'm'));
    expect(whoami).toMatch(new RegExp(`^UID\\s+${sa.metadata.uid}$`, 'm'));
    expect(whoami).toMatch(
      new RegExp(
        `^Groups\\s+\\[system:serviceaccounts system:serviceaccounts:${NS} system:authenticated\\]$`,
        'm',
      ),
    );
    // The ClusterRoleBinding names the ServiceAccount (namespace from kustomize): its rules apply.
    expect(await admin.run(['--token', token, 'auth', 'can-i', 'patch', 'nodes'])).toMatchObject({
      code: 0,
      stdout: 'yes\n',
    });
    expect(await admin.run(['--token', token, 'auth', 'can-i', 'delete', 'nodes'])).toMatchObject({
      code: 1,
      stdout: 'no\n',
    });
    const list = await admin.ok(['--token', token, 'auth', 'can-i', '--list']);
    expect(list).toMatch(/^nodes\s+\[\]\s+\[\]\s+\[get list watch patch\]$/m);
    expect(list).toMatch(/^pods\/eviction\s+\[\]\s+\[\]\s+\[create\]$/m);
    expect(
      (await admin.ok(['--token', token, 'get', 'nodes', '-o', 'name'])).split('\n').filter(Boolean),
    ).toHaveLength(4);
    const denied = await admin.run(['--token', token, 'get', 'pods', '-n', NS]);
    expect(denied.stderr).toContain(
      `pods is forbidden: User "system:serviceaccount:${NS}:gateway" cannot list resource "pods" in API group "" in the namespace "${NS}"`,
    );
  });

  it('create token refuses a short duration and a missing ServiceAccount as the apiserver does', async () => {
    const short = await admin.run(['create', 'token', 'gateway', '-n', NS, '--duration=10s']);
    expect(short.code).not.toBe(0);
    expect(short.stderr).toContain(
      'TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: Invalid value: 10: may not specify a duration less than 10 minutes',
    );
    const missing = await admin.run(['create', 'token', 'nobody', '-n', NS]);
    expect(missing.stderr).toContain('serviceaccounts "nobody" not found');
  });

  it('a user without create serviceaccounts/token is refused; a deleted ServiceAccount’s token is 401', async () => {
    const token = (await admin.ok(['create', 'token', 'gateway', '-n', NS])).trim();
    const refused = await admin.run(['--token', token, 'create', 'token', 'gateway', '-n', NS]);
    expect(refused.stderr).toContain(
      `serviceaccounts "gateway" is forbidden: User "system:serviceaccount:${NS}:gateway" cannot create resource "serviceaccounts/token" in API group "" in the namespace "${NS}"`,
    );
    await admin.ok(['delete', 'sa', 'gateway', '-n', NS]);
    const gone = await admin.run(['--token', token, 'get', 'nodes']);
    expect(gone.code).not.toBe(0);
    expect(gone.stderr).toContain('You must be logged in to the server (Unauthorized)');
    // Recreated under the same name it has another uid: the old token stays refused.
    await admin.ok(['create', 'sa', 'gateway', '-n', NS]);
    expect((await admin.run(['--token', token, 'get', 'nodes'])).code).not.toBe(0);
    const fresh = (await admin.ok(['create', 'token', 'gateway', '-n', NS])).trim();
    expect(await admin.ok(['--token', fresh, 'auth', 'can-i', 'list', 'nodes'])).toBe('yes\n');
  });

  it('deleting the namespace deletes its ServiceAccounts, Secrets, ConfigMaps, Services and Deployments', async () => {
    const token = (await admin.ok(['create', 'token', 'gateway', '-n', NS])).trim();
    await admin.ok(['delete', 'namespace', NS, '--timeout=60s']);
    expect((await admin.run(['get', 'namespace', NS])).code).not.toBe(0);
    for (const resource of ['serviceaccounts', 'secrets', 'configmaps', 'services', 'deployments']) {
      const path = `${resource === 'deployments' ? '/apis/apps/v1' : '/api/v1'}/namespaces/${NS}/${resource}`;
      const list = await api<{ items: unknown[] }>(sim, path);
      expect(list.body.items, resource).toEqual([]);
    }
    expect((await admin.run(['--token', token, 'get', 'nodes'])).stderr).toContain('Unauthorized');
  });
});
