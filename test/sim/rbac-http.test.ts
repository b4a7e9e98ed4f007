import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SimulatorHandle, startSimulator } from '../../src/sim/index.js';
import { api, watch } from './helpers.js';

/** alice reads nodes; bob operates nodes (cordon, evict, delete pods); carol may impersonate bob and group ops. */
const RBAC = `
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: { name: node-reader }
rules:
  - { apiGroups: [""], resources: [nodes], verbs: [get, list, watch] }
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: { name: node-operator }
rules:
  - { apiGroups: [""], resources: [nodes], verbs: [get, list, watch, patch] }
  - { apiGroups: [""], resources: [pods], verbs: [get, list, delete] }
  - { apiGroups: [""], resources: [pods/eviction], verbs: [create] }
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: { name: impersonator }
rules:
  - { apiGroups: [""], resources: [users], verbs: [impersonate], resourceNames: [bob] }
  - { apiGroups: [""], resources: [groups], verbs: [impersonate], resourceNames: [ops] }
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: { name: alice-reads-nodes }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: node-reader }
subjects: [{ apiGroup: rbac.authorization.k8s.io, kind: User, name: alice }]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: { name: bob-operates-nodes }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: node-operator }
subjects: [{ apiGroup: rbac.authorization.k8s.io, kind: User, name: bob }]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: { name: carol-impersonates }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: impersonator }
subjects: [{ apiGroup: rbac.authorization.k8s.io, kind: User, name: carol }]
`;

const TOKENS =
  'alice-token,alice,uid-alice,"viewers,people"\nbob-token,bob,uid-bob\ncarol-token,carol,uid-carol\n';

let sim: SimulatorHandle;
let dir: string;
const node = 'node-0005';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sim-rbac-'));
  writeFileSync(join(dir, 'tokens.csv'), TOKENS);
  writeFileSync(join(dir, 'rbac.yaml'), RBAC);
  sim = await startSimulator({
    nodes: 8,
    pods: 80,
    heartbeatIntervalMs: 0,
    tokenAuthFile: join(dir, 'tokens.csv'),
    rbacFile: join(dir, 'rbac.yaml'),
    authorizationMode: 'RBAC',
  });
});
afterAll(async () => {
  await sim.stop();
  rmSync(dir, { recursive: true, force: true });
});

const cordon = { spec: { unschedulable: true } };
const mergePatch = 'application/merge-patch+json';

describe('authentication', () => {
  it('answers an unknown token, a missing one and a non-bearer header with 401 Unauthorized', async () => {
    for (const token of ['nope', null]) {
      const r = await api(sim, '/api/v1/nodes', { token });
      expect(r.status).toBe(401);
      expect(r.body).toEqual({
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: 'Unauthorized',
        reason: 'Unauthorized',
        code: 401,
      });
    }
    const basic = await api(sim, '/api/v1/nodes', { token: null, headers: { Authorization: 'Basic YTpi' } });
    expect(basic.status).toBe(401);
  });

  it('keeps the simulator token an administrator under RBAC', async () => {
    expect((await api(sim, '/api/v1/pods?limit=1')).status).toBe(200);
    expect(
      (await api(sim, `/api/v1/nodes/${node}`, { method: 'PATCH', body: {}, contentType: mergePatch }))
        .status,
    ).toBe(200);
  });
});

describe('RBAC', () => {
  it('lets alice list and watch nodes but not patch one (the apiserver 403) nor list pods', async () => {
    expect((await api(sim, '/api/v1/nodes', { token: 'alice-token' })).status).toBe(200);
    const w = await watch(sim, '/api/v1/nodes?watch=1', { token: 'alice-token' });
    expect(w.status).toBe(200);
    expect((await w.next()).type).toBe('ADDED');
    w.close();
    const patch = await api(sim, `/api/v1/nodes/${node}`, {
      token: 'alice-token',
      method: 'PATCH',
      body: cordon,
      contentType: mergePatch,
    });
    expect(patch.status).toBe(403);
    expect(patch.body).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: `nodes "${node}" is forbidden: User "alice" cannot patch resource "nodes" in API group "" at the cluster scope`,
      reason: 'Forbidden',
      details: { name: node, kind: 'nodes' },
      code: 403,
    });
    const pods = await api(sim, '/api/v1/namespaces/default/pods', { token: 'alice-token' });
    expect(pods.status).toBe(403);
    expect(pods.body).toMatchObject({
      message:
        'pods is forbidden: User "alice" cannot list resource "pods" in API group "" in the namespace "default"',
      details: { kind: 'pods' },
    });
    expect(sim.cluster.getNode(node)?.spec?.unschedulable).toBeUndefined();
  });

  it('lets bob cordon a node, list pods and evict one', async () => {
    const patch = await api(sim, `/api/v1/nodes/${node}`, {
      token: 'bob-token',
      method: 'PATCH',
      body: cordon,
      contentType: mergePatch,
    });
    expect(patch.status).toBe(200);
    expect(sim.cluster.getNode(node)?.spec?.unschedulable).toBe(true);
    expect(
      (await api(sim, `/api/v1/pods?fieldSelector=spec.nodeName%3D${node}`, { token: 'bob-token' })).status,
    ).toBe(200);
    const pod = sim.cluster.listPods({ namespace: 'batch-jobs' })[0]!;
    const evict = await api(sim, `/api/v1/namespaces/batch-jobs/pods/${pod.metadata!.name}/eviction`, {
      token: 'bob-token',
      method: 'POST',
      body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: pod.metadata!.name } },
    });
    expect(evict.status).toBe(201);
    // Eviction is its own subresource: alice may not (authorization comes before the pod is looked up).
    const denied = await api(sim, '/api/v1/namespaces/batch-jobs/pods/some-pod/eviction', {
      token: 'alice-token',
      method: 'POST',
      body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'some-pod' } },
    });
    expect(denied.status).toBe(403);
    expect((denied.body as { message: string }).message).toBe(
      `pods "some-pod" is forbidden: User "alice" cannot create resource "pods/eviction" in API group "" in the namespace "batch-jobs"`,
    );
  });

  it('allows discovery, /version and self reviews to every authenticated user (the default ClusterRoles)', async () => {
    for (const p of ['/api', '/apis', '/api/v1', '/apis/apps/v1', '/version', '/openapi/v3', '/readyz']) {
      expect((await api(sim, p, { token: 'carol-token' })).status, p).toBe(200);
    }
    const other = await api(sim, '/metrics', { token: 'carol-token' });
    expect(other.status).toBe(403);
    expect((other.body as { message: string }).message).toBe(
      'forbidden: User "carol" cannot get path "/metrics"',
    );
  });

  it('names a binding whose role is missing in the reason', async () => {
    await api(sim, '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', {
      method: 'POST',
      body: {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: { name: 'carol-ghost' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'ghost' },
        subjects: [{ kind: 'User', name: 'carol' }],
      },
    });
    const r = await api(sim, '/api/v1/nodes', { token: 'carol-token' });
    expect((r.body as { message: string }).message).toBe(
      'nodes is forbidden: User "carol" cannot list resource "nodes" in API group "" at the cluster scope: RBAC: clusterrole.rbac.authorization.k8s.io "ghost" not found',
    );
    await api(sim, '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/carol-ghost', {
      method: 'DELETE',
    });
  });
});

describe('impersonation', () => {
  it('lets carol act as bob (and group ops), audited as carol impersonating bob', async () => {
    sim.audit.clear();
    const r = await api(sim, `/api/v1/nodes/${node}`, {
      token: 'carol-token',
      method: 'PATCH',
      body: { metadata: { labels: { touched: 'yes' } } },
      contentType: mergePatch,
      headers: { 'Impersonate-User': 'bob', 'Impersonate-Group': ['ops'] },
    });
    expect(r.status).toBe(200);
    const patches = sim.audit.entries().filter((e) => e.verb === 'patch');
    expect(patches).toHaveLength(1);
    expect(patches[0]).toMatchObject({
      user: 'carol',
      userInfo: { username: 'carol', groups: ['system:authenticated'] },
      impersonatedUser: { username: 'bob', groups: ['ops', 'system:authenticated'] },
    });
    expect(sim.audit.count({ verb: 'patch', impersonatedUser: { username: 'bob' } })).toBe(1);
  });

  it('authorizes the request as the impersonated user', async () => {
    const r = await api(sim, `/api/v1/nodes/${node}`, {
      method: 'PATCH',
      body: cordon,
      contentType: mergePatch,
      headers: { 'Impersonate-User': 'alice' },
    });
    expect(r.status).toBe(403);
    expect((r.body as { message: string }).message).toContain('User "alice" cannot patch resource "nodes"');
  });

  it('refuses impersonation without the impersonate verb, with the apiserver wording', async () => {
    const r = await api(sim, '/api/v1/nodes', {
      token: 'alice-token',
      headers: { 'Impersonate-User': 'bob' },
    });
    expect(r.status).toBe(403);
    expect(r.body).toMatchObject({
      message:
        'users "bob" is forbidden: User "alice" cannot impersonate resource "users" in API group "" at the cluster scope',
      reason: 'Forbidden',
      details: { name: 'bob', kind: 'users' },
    });
    // carol may be bob, but not in group admins.
    const group = await api(sim, '/api/v1/nodes', {
      token: 'carol-token',
      headers: { 'Impersonate-User': 'bob', 'Impersonate-Group': ['ops', 'admins'] },
    });
    expect(group.status).toBe(403);
    expect((group.body as { message: string }).message).toBe(
      'groups "admins" is forbidden: User "carol" cannot impersonate resource "groups" in API group "" at the cluster scope',
    );
    const uid = await api(sim, '/api/v1/nodes', {
      token: 'carol-token',
      headers: { 'Impersonate-User': 'bob', 'Impersonate-Uid': 'u-1' },
    });
    expect((uid.body as { message: string }).message).toBe(
      'uids.authentication.k8s.io "u-1" is forbidden: User "carol" cannot impersonate resource "uids" in API group "authentication.k8s.io" at the cluster scope',
    );
  });

  it('answers Impersonate-Group without Impersonate-User with the apiserver plain-text 500', async () => {
    const r = await api(sim, '/api/v1/nodes', {
      token: 'carol-token',
      headers: { 'Impersonate-Group': 'ops' },
    });
    expect(r.status).toBe(500);
    expect(r.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(r.text).toBe(
      'Internal Server Error: "/api/v1/nodes": requested [{Group  ops    }] without impersonating a user\n',
    );
  });
});

describe('review APIs', () => {
  const post = (path: string, body: unknown, token?: string) =>
    api<{ status: Record<string, unknown> }>(sim, path, {
      method: 'POST',
      body,
      ...(token ? { token } : {}),
    });

  it('TokenReview: a known token with its groups and system:authenticated, an unknown one unauthenticated', async () => {
    const ok = await post('/apis/authentication.k8s.io/v1/tokenreviews', {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenReview',
      spec: { token: 'alice-token' },
    });
    expect(ok.status).toBe(201);
    expect(ok.body.status).toEqual({
      authenticated: true,
      user: { username: 'alice', uid: 'uid-alice', groups: ['viewers', 'people', 'system:authenticated'] },
      audiences: ['https://kubernetes.default.svc.cluster.local'],
    });
    const bad = await post('/apis/authentication.k8s.io/v1/tokenreviews', {
      kind: 'TokenReview',
      spec: { token: 'x' },
    });
    expect(bad.body.status).toEqual({ user: {} });
  });

  it('creating a TokenReview or SubjectAccessReview needs RBAC; self reviews do not', async () => {
    const tr = await post(
      '/apis/authentication.k8s.io/v1/tokenreviews',
      { spec: { token: 'bob-token' } },
      'alice-token',
    );
    expect(tr.status).toBe(403);
    expect((tr.body as unknown as { message: string }).message).toBe(
      'tokenreviews.authentication.k8s.io is forbidden: User "alice" cannot create resource "tokenreviews" in API group "authentication.k8s.io" at the cluster scope',
    );
    const ssar = await post(
      '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
      { spec: { resourceAttributes: { verb: 'list', resource: 'nodes' } } },
      'alice-token',
    );
    expect(ssar.status).toBe(201);
    expect(ssar.body.status).toEqual({
      allowed: true,
      reason:
        'RBAC: allowed by ClusterRoleBinding "alice-reads-nodes" of ClusterRole "node-reader" to User "alice"',
    });
  });

  it('SubjectAccessReview answers for another user, SelfSubjectRulesReview lists the rules', async () => {
    const sar = await post('/apis/authorization.k8s.io/v1/subjectaccessreviews', {
      spec: {
        user: 'bob',
        resourceAttributes: {
          verb: 'create',
          resource: 'pods',
          subresource: 'eviction',
          namespace: 'default',
        },
      },
    });
    expect(sar.body.status).toMatchObject({ allowed: true });
    const no = await post('/apis/authorization.k8s.io/v1/subjectaccessreviews', {
      spec: { user: 'alice', resourceAttributes: { verb: 'patch', resource: 'nodes' } },
    });
    expect(no.body.status).toEqual({ allowed: false });
    const invalid = await post('/apis/authorization.k8s.io/v1/subjectaccessreviews', {
      spec: { resourceAttributes: { verb: 'get', resource: 'nodes' } },
    });
    expect(invalid.status).toBe(422);
    const rules = await post(
      '/apis/authorization.k8s.io/v1/selfsubjectrulesreviews',
      { spec: { namespace: 'default' } },
      'alice-token',
    );
    expect(rules.body.status.resourceRules).toContainEqual({
      verbs: ['get', 'list', 'watch'],
      apiGroups: [''],
      resources: ['nodes'],
    });
    expect(rules.body.status.nonResourceRules).toContainEqual(expect.objectContaining({ verbs: ['get'] }));
  });
});

describe('boolean query parameters', () => {
  it('watch=True opens a watch, watch=FALSE lists', async () => {
    const w = await watch(sim, '/api/v1/nodes?watch=True');
    expect(w.status).toBe(200);
    const first = await w.next();
    expect(first.type).toBe('ADDED');
    w.close();
    const list = await api<{ kind: string }>(sim, '/api/v1/nodes?watch=FALSE');
    expect(list.body.kind).toBe('NodeList');
  });
});

describe('start-up files', () => {
  it('fails the start with a clear error for a malformed token file', async () => {
    const file = join(dir, 'bad.csv');
    writeFileSync(file, 'tok-a,alice,u1\ntok-b,bob\n');
    await expect(startSimulator({ nodes: 1, pods: 0, tokenAuthFile: file })).rejects.toThrow(
      `token file '${file}' must have at least 3 columns (token, user name, user uid), found 2`,
    );
  });
  it('fails the start for an RBAC file with another kind', async () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'apiVersion: v1\nkind: Pod\nmetadata: { name: x }\n');
    await expect(startSimulator({ nodes: 1, pods: 0, rbacFile: file })).rejects.toThrow(
      'is not a Role, ClusterRole, RoleBinding or ClusterRoleBinding (kind "Pod")',
    );
  });
});
