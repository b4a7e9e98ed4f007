/** Real kubectl against a simulator with static tokens and RBAC on: can-i, --as, apply of RBAC objects. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SimulatorHandle, startSimulator } from '../../src/sim/index.js';
import { KUBECTL_MISSING, type Kubectl, kubectlAvailable, kubectlFor } from './kubectl-helpers.js';

const available = kubectlAvailable();
const suite = available || process.env.CI ? describe : describe.skip;

const rbac = (kind: string, name: string, rest: Record<string, unknown>) => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind,
  metadata: { name },
  ...rest,
});

suite('kubectl with RBAC', () => {
  let sim: SimulatorHandle;
  let admin: Kubectl;
  let alice: Kubectl;
  let bob: Kubectl;
  let dir: string;
  beforeAll(async () => {
    if (!available) throw new Error(KUBECTL_MISSING);
    dir = mkdtempSync(join(tmpdir(), 'sim-kubectl-auth-'));
    sim = await startSimulator({
      nodes: 6,
      pods: 40,
      heartbeatIntervalMs: 0,
      authorizationMode: 'RBAC',
      tokens: [
        { token: 'alice-token', user: 'alice', uid: 'a1', groups: ['viewers'] },
        { token: 'bob-token', user: 'bob', uid: 'b1' },
      ],
      rbacObjects: [
        rbac('ClusterRole', 'node-reader', {
          rules: [{ apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list', 'watch'] }],
        }),
        rbac('ClusterRoleBinding', 'viewers-read-nodes', {
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'node-reader' },
          subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'viewers' }],
        }),
        rbac('ClusterRole', 'impersonate-bob', {
          rules: [{ apiGroups: [''], resources: ['users'], verbs: ['impersonate'], resourceNames: ['bob'] }],
        }),
        rbac('ClusterRoleBinding', 'alice-impersonates-bob', {
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'impersonate-bob' },
          subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'alice' }],
        }),
      ],
    });
    [admin, alice, bob] = await Promise.all([
      kubectlFor(sim),
      kubectlFor(sim, { token: 'alice-token' }),
      kubectlFor(sim, { token: 'bob-token' }),
    ]);
  });
  afterAll(async () => {
    for (const k of [admin, alice, bob]) k?.dispose();
    await sim?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('auth can-i answers per user (SelfSubjectAccessReview)', async () => {
    expect(await alice.run(['auth', 'can-i', 'list', 'nodes'])).toMatchObject({ code: 0, stdout: 'yes\n' });
    expect(await alice.run(['auth', 'can-i', 'patch', 'nodes'])).toMatchObject({ code: 1, stdout: 'no\n' });
    expect(await bob.run(['auth', 'can-i', 'list', 'nodes'])).toMatchObject({ code: 1, stdout: 'no\n' });
    expect(await admin.run(['auth', 'can-i', 'delete', 'nodes'])).toMatchObject({ code: 0, stdout: 'yes\n' });
  });

  it('auth can-i --list prints the rules (SelfSubjectRulesReview)', async () => {
    const out = await alice.ok(['auth', 'can-i', '--list']);
    expect(out).toMatch(/^nodes\s+\[\]\s+\[\]\s+\[get list watch\]$/m);
    expect(out).toMatch(/selfsubjectaccessreviews\.authorization\.k8s\.io\s+\[\]\s+\[\]\s+\[create\]/);
    expect(out).toMatch(/\[\/version\]\s+\[\]\s+\[get\]/);
  });

  it('kubectl --as is allowed or refused by RBAC, and runs as the impersonated user', async () => {
    // alice may impersonate bob, but bob may not list nodes.
    const asBob = await alice.run(['get', 'nodes', '--as', 'bob']);
    expect(asBob.code).not.toBe(0);
    expect(asBob.stderr).toContain(
      'nodes is forbidden: User "bob" cannot list resource "nodes" in API group "" at the cluster scope',
    );
    // bob may not impersonate anyone.
    const asAlice = await bob.run(['get', 'nodes', '--as', 'alice', '--as-group', 'viewers']);
    expect(asAlice.code).not.toBe(0);
    expect(asAlice.stderr).toContain(
      'users "alice" is forbidden: User "bob" cannot impersonate resource "users" in API group "" at the cluster scope',
    );
    // The administrator may impersonate anybody; as alice in group viewers, nodes are readable.
    sim.audit.clear();
    const out = await admin.ok(['get', 'nodes', '--as', 'alice', '--as-group', 'viewers', '-o', 'name']);
    expect(out.split('\n').filter(Boolean)).toHaveLength(6);
    expect(
      sim.audit.count({ resource: 'nodes', verb: 'list', impersonatedUser: { username: 'alice' } }),
    ).toBe(1);
  });

  it('apply -f of a ClusterRole and binding grants a permission; deleting the binding withdraws it', async () => {
    const file = join(dir, 'operator.yaml');
    writeFileSync(
      file,
      `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: node-operator
rules:
- apiGroups: [""]
  resources: ["nodes"]
  verbs: ["get", "list", "patch"]
- apiGroups: [""]
  resources: ["pods/eviction"]
  verbs: ["create"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: bob-operates-nodes
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: node-operator
subjects:
- apiGroup: rbac.authorization.k8s.io
  kind: User
  name: bob
`,
    );
    expect(await admin.ok(['apply', '-f', file])).toBe(
      'clusterrole.rbac.authorization.k8s.io/node-operator created\nclusterrolebinding.rbac.authorization.k8s.io/bob-operates-nodes created\n',
    );
    expect(await bob.run(['auth', 'can-i', 'patch', 'nodes'])).toMatchObject({ stdout: 'yes\n' });
    expect(
      await bob.run(['auth', 'can-i', 'create', 'pods', '--subresource=eviction', '-n', 'default']),
    ).toMatchObject({
      stdout: 'yes\n',
    });
    const node = sim.cluster.listNodes()[4]!.metadata!.name!;
    expect(await bob.ok(['cordon', node])).toBe(`node/${node} cordoned\n`);
    // A second apply patches (GET, then PATCH) and changes nothing.
    expect(await admin.ok(['apply', '-f', file])).toContain(
      'clusterrole.rbac.authorization.k8s.io/node-operator unchanged',
    );
    expect(await admin.ok(['get', 'clusterrolebindings', 'bob-operates-nodes', '--no-headers'])).toMatch(
      /^bob-operates-nodes\s+ClusterRole\/node-operator\s+\d+s\n$/,
    );
    await admin.ok(['delete', 'clusterrolebinding', 'bob-operates-nodes']);
    expect(await bob.run(['auth', 'can-i', 'patch', 'nodes'])).toMatchObject({ code: 1, stdout: 'no\n' });
    const denied = await bob.run(['uncordon', node]);
    expect(denied.code).not.toBe(0);
    expect(denied.stderr).toContain(`nodes "${node}" is forbidden: User "bob" cannot`);
  });

  it('kubectl create clusterrolebinding and rolebinding (protobuf bodies) take effect', async () => {
    await admin.ok(['create', 'clusterrole', 'pod-reader', '--verb=get,list', '--resource=pods']);
    await admin.ok([
      'create',
      'rolebinding',
      'bob-reads-pods',
      '--clusterrole=pod-reader',
      '--user=bob',
      '-n',
      'default',
    ]);
    expect(await bob.run(['auth', 'can-i', 'list', 'pods', '-n', 'default'])).toMatchObject({
      stdout: 'yes\n',
    });
    expect(await bob.run(['auth', 'can-i', 'list', 'pods', '-n', 'kube-system'])).toMatchObject({
      stdout: 'no\n',
    });
    expect((await bob.run(['get', 'pods', '-n', 'default'])).code).toBe(0);
    const binding = JSON.parse(
      await admin.ok(['get', 'rolebinding', 'bob-reads-pods', '-n', 'default', '-o', 'json']),
    ) as Record<string, unknown>;
    expect(binding).toMatchObject({
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'pod-reader' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'bob' }],
    });
  });

  it('auth whoami shows the user and its groups (SelfSubjectReview)', async () => {
    const out = await alice.ok(['auth', 'whoami']);
    expect(out).toMatch(/Username\s+alice/);
    expect(out).toMatch(/Groups\s+\[viewers system:authenticated\]/);
  });
});
