import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { V1ClusterRole, V1PolicyRule } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../src/sim/audit.js';
import type { StaticToken } from '../../src/sim/auth/token-auth-file.js';
import type { KubeObject } from '../../src/sim/kube-object.js';
import { objectOf, renderManifests } from '../deploy/rendered-manifests.js';
import { type ServiceAccountDir, serviceAccountDir } from '../deploy/service-account-dir.js';
import { startDrain, untilFinished, workerNodePicker } from '../drain/drain-e2e-support.js';
import { SIM_DRAIN_FLAGS } from '../support/drain-timings.js';
import { waitFor } from '../support/wait-for.js';
import { type SimCluster, type SpawnedGateway, spawnGateway, startSimCluster, tempDir } from './harness.js';
import { waitForNodeSubscribers } from './nodes-helpers.js';
import { CORDON_NODE } from './operations/drain.js';
import { NODE_CHANGED_SUBSCRIPTION, NODE_NAMES_QUERY } from './operations/nodes.js';
import { NODE_POD_COUNTS, NODE_PODS } from './operations/pods.js';

const run = promisify(execFile);

/** Who the Deployment's pods are: the ServiceAccount of deploy/base. */
const SA_NAMESPACE = 'kube-node-gateway';
const SA_USER = `system:serviceaccount:${SA_NAMESPACE}:kube-node-gateway`;
const SA_GROUPS = ['system:serviceaccounts', `system:serviceaccounts:${SA_NAMESPACE}`];

/** kubectl against the simulator as its admin (the kubeconfig the harness wrote). */
type Kubectl = (...args: string[]) => Promise<string>;

/** A JWT's `jti`: what the audit's credential-id extra names (`JTI=<jti>`). */
function jtiOf(token: string): string {
  const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
    jti?: string;
  };
  if (!payload.jti) throw new Error('the token has no jti');
  return payload.jti;
}

/**
 * The gateway's service account tokens, from the TokenRequest API as kubelet gets them
 * (`kubectl create token`). Each is bound to a Secret of its own, so deleting that Secret revokes
 * it, as deleting a pod revokes its projected token; the audit tells them apart by credential-id.
 */
function serviceAccountTokens(kubectl: Kubectl) {
  const issued = new Map<1 | 2, string>();
  return {
    /** A token of the gateway's service account; generation 1 is the one the pod starts with. */
    async issue(generation: 1 | 2): Promise<string> {
      const known = issued.get(generation);
      if (known) return known;
      const secret = `gateway-token-${generation}`;
      await kubectl('create', 'secret', 'generic', secret, '-n', SA_NAMESPACE);
      const token = (
        await kubectl(
          'create',
          'token',
          'kube-node-gateway',
          '-n',
          SA_NAMESPACE,
          '--duration',
          '1h',
          '--bound-object-kind',
          'Secret',
          '--bound-object-name',
          secret,
        )
      ).trim();
      issued.set(generation, token);
      return token;
    },
    /** The API server refuses the token from now on. */
    async revoke(generation: 1 | 2): Promise<void> {
      await kubectl('delete', 'secret', `gateway-token-${generation}`, '-n', SA_NAMESPACE);
    },
    /** Whether an audit entry's request authenticated with the token of this generation. */
    usedGeneration(entry: AuditEntry, generation: 1 | 2): boolean {
      const token = issued.get(generation);
      const credential = entry.userInfo.extra?.['authentication.kubernetes.io/credential-id']?.[0];
      return token !== undefined && credential === `JTI=${jtiOf(token)}`;
    },
  };
}

/**
 * Callers: bob (a person with a uid and a group) and a portal's pod, whose service account token
 * (from the TokenRequest API, below) carries a credential-id extra the gateway impersonates too.
 */
const CALLERS: StaticToken[] = [
  { token: 'bob-token', user: 'bob', uid: 'u-bob', groups: ['node-operators'] },
];
const OPERATOR_RBAC: KubeObject[] = [
  {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name: 'node-operator' },
    rules: [
      { apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list', 'watch', 'patch'] },
      { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch', 'delete'] },
      { apiGroups: [''], resources: ['pods/eviction'], verbs: ['create'] },
      { apiGroups: ['apps'], resources: ['daemonsets'], verbs: ['get'] },
    ],
  },
  {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name: 'node-operators' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'node-operator' },
    subjects: [
      { apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'node-operators' },
      { kind: 'ServiceAccount', name: 'portal-backend', namespace: 'portal' },
    ],
  },
];

/** The first error's code and message; undefined when the operation succeeded. */
type Outcome = string | undefined;
const outcomeOf = (res: {
  errors?: readonly { message: string; extensions?: Record<string, unknown> }[];
}): Outcome => res.errors?.[0] && `${String(res.errors[0].extensions?.code)}: ${res.errors[0].message}`;

/**
 * The gateway as the Deployment runs it: no kubeconfig anywhere, the API server at
 * KUBERNETES_SERVICE_HOST:PORT, the service account folder kubelet mounts, --auth kubernetes.
 * Decisions are not cached, so a ClusterRole change shows on the next request.
 */
async function spawnInClusterGateway(
  cluster: SimCluster,
  sa: ServiceAccountDir,
  home: string,
): Promise<SpawnedGateway> {
  return spawnGateway(
    [
      '--auth',
      'kubernetes',
      '--auth-cache-ttl',
      '0',
      '--authz-cache-ttl',
      '0',
      '--service-account-dir',
      sa.path,
      ...SIM_DRAIN_FLAGS,
    ],
    {
      HOME: home,
      KUBECONFIG: '',
      KUBERNETES_SERVICE_HOST: '127.0.0.1',
      KUBERNETES_SERVICE_PORT: new URL(cluster.sim.url).port,
    },
    // Starting a process is what a loaded machine slows most; nothing here is timed.
    { startTimeoutMs: 60_000 },
  );
}

describe('deploy/ RBAC: the gateway in-cluster, with exactly the rendered ClusterRole', () => {
  let cluster: SimCluster;
  let sa: ServiceAccountDir;
  let home: Awaited<ReturnType<typeof tempDir>>;
  let gateway: SpawnedGateway;
  let role: V1ClusterRole;
  let portalToken: string;
  const pickNode = workerNodePicker(() => cluster.sim);
  const kubectl: Kubectl = async (...args) =>
    (await run('kubectl', ['--kubeconfig', cluster.kubeconfigPath, ...args])).stdout;
  const tokens = serviceAccountTokens(kubectl);

  /** Replaces the ClusterRole on the simulator (takes effect on the next request). */
  async function setRules(rules: V1PolicyRule[]): Promise<void> {
    const path = join(home.path, 'clusterrole.json');
    await writeFile(path, JSON.stringify({ ...role, metadata: { name: role.metadata?.name }, rules }));
    await kubectl('replace', '-f', path);
  }

  beforeAll(async () => {
    cluster = await startSimCluster({
      nodes: 8,
      pods: 80,
      seed: 97,
      tokens: CALLERS,
      authorizationMode: 'RBAC',
      rbacObjects: OPERATOR_RBAC,
    });
    home = await tempDir();
    // Everything the ha overlay holds, applied as a platform team would; the pods it asks for are
    // this test's own gateway process (the simulator runs no containers).
    await kubectl('apply', '-k', fileURLToPath(new URL('../../deploy/overlays/ha', import.meta.url)));
    role = objectOf<V1ClusterRole>(renderManifests('overlays/ha'), 'ClusterRole');
    await kubectl('create', 'namespace', 'portal');
    await kubectl('create', 'serviceaccount', 'portal-backend', '-n', 'portal');
    portalToken = (await kubectl('create', 'token', 'portal-backend', '-n', 'portal')).trim();
    sa = await serviceAccountDir({
      token: await tokens.issue(1),
      caPem: cluster.sim.caPem!,
      namespace: SA_NAMESPACE,
    });
    gateway = await spawnInClusterGateway(cluster, sa, home.path);
    await waitFor(async () => (await gateway.as('bob-token').query(NODE_NAMES_QUERY)).data?.nodes, {
      what: 'the in-cluster node cache',
      timeoutMs: 30_000,
    });
  }, 120_000);
  afterAll(async () => {
    gateway?.kill('SIGKILL');
    await gateway?.exited;
    await cluster?.stop();
    await sa?.cleanup();
    await home?.cleanup();
  });

  const bob = () => gateway.as('bob-token');

  it('serves the cluster as context in-cluster: nodes, podCount, pods, cordon, drain and nodeChanged as the operator', async () => {
    const before = cluster.sim.audit.entries().length;
    const counts = await bob().query(NODE_POD_COUNTS);
    expect(counts.errors).toBeUndefined();
    expect(counts.data?.nodes?.totalCount).toBe(8);
    expect(counts.data?.nodes?.nodes.every((n) => n.cluster === 'in-cluster' && n.podCount !== null)).toBe(
      true,
    );

    const node = pickNode();
    const pods = await bob().query(NODE_PODS, { name: node });
    expect(pods.errors).toBeUndefined();
    expect(pods.data?.nodeByName?.pods?.totalCount).toBe(cluster.sim.cluster.podCount(node));

    const watcher = gateway.as('bob-token');
    const changes = watcher.subscribe(NODE_CHANGED_SUBSCRIPTION, { names: [node], kinds: ['SCHEDULABLE'] });
    await waitForNodeSubscribers(gateway, 1);
    const cordon = await bob().query(CORDON_NODE, { name: node });
    expect(cordon.data?.cordonNode?.schedulable).toBe(false);
    const change = await waitFor(() => changes.received.find((r) => r.data?.nodeChanged.name === node), {
      what: 'nodeChanged for the cordon',
    });
    expect(change.data?.nodeChanged.node?.schedulable).toBe(false);
    changes.close();
    await watcher.close();

    const job = await startDrain(bob(), node, { force: true, deleteEmptyDirData: true });
    expect((await untilFinished(bob(), job.id)).state).toBe('SUCCEEDED');

    const since = cluster.sim.audit.entries().slice(before);
    // The gateway's own calls authenticate as its service account with the service account groups...
    const own = since.filter((e) => !e.impersonatedUser);
    expect(own.length).toBeGreaterThan(0);
    for (const e of own) {
      expect(e.userInfo).toEqual({
        username: SA_USER,
        groups: [...SA_GROUPS, 'system:authenticated'],
        extra: { 'authentication.kubernetes.io/credential-id': [expect.stringMatching(/^JTI=/)] },
      });
    }
    // ... and every call it makes for bob, the drain's included, runs as bob.
    const writes = since.filter(
      (e) =>
        ['patch', 'create', 'delete'].includes(e.verb) &&
        e.resource !== 'tokenreviews' &&
        e.resource !== 'subjectaccessreviews',
    );
    expect(writes.some((e) => e.subresource === 'eviction')).toBe(true);
    expect(writes.filter((e) => e.impersonatedUser?.username !== 'bob')).toEqual([]);
    expect(since.filter((e) => e.code === 403)).toEqual([]);
  });

  /**
   * Each rule of the ClusterRole, the operation that fails without it and how. A rule is
   * matched by its resources. Impersonation is refused by the API server (403), which the
   * gateway reports as FORBIDDEN. A refused TokenReview is HTTP 503 UPSTREAM_UNAVAILABLE, not
   * 401 UNAUTHENTICATED: the gateway could not ask, so it cannot say the token is bad (a 401
   * would send clients to log in again, which cannot help).
   */
  const RULE_CASES: Record<string, { operation: string; expected: RegExp; run: () => Promise<Outcome> }> = {
    nodes: {
      operation: 'nodes on a gateway that starts without it (the informer cannot LIST)',
      expected: /^FORBIDDEN: .*kube-node-gateway" cannot list resource "nodes"/,
      run: async () => {
        const fresh = await spawnInClusterGateway(cluster, sa, home.path);
        try {
          return outcomeOf(await fresh.as('bob-token').query(NODE_NAMES_QUERY));
        } finally {
          fresh.kill('SIGKILL');
          await fresh.exited;
        }
      },
    },
    pods: {
      operation: 'Node.podCount (the shared pod LIST)',
      expected: /^FORBIDDEN: counting pods .* cannot list resource "pods"/,
      run: async () => outcomeOf(await bob().query(NODE_POD_COUNTS)),
    },
    tokenreviews: {
      operation: 'any request with a bearer token',
      expected: /^UPSTREAM_UNAVAILABLE: authentication is unavailable/,
      run: async () => outcomeOf(await bob().query(NODE_NAMES_QUERY)),
    },
    subjectaccessreviews: {
      operation: 'nodes (the SubjectAccessReview of list nodes)',
      expected: /^FORBIDDEN: checking access .* cannot create resource "subjectaccessreviews"/,
      run: async () => outcomeOf(await bob().query(NODE_NAMES_QUERY)),
    },
    users: {
      operation: 'cordonNode as bob (Impersonate-User)',
      expected: /^FORBIDDEN: cordoning .* cannot impersonate resource "users"/,
      run: async () => outcomeOf(await bob().query(CORDON_NODE, { name: cordonTarget })),
    },
    serviceaccounts: {
      operation: "cordonNode as a portal's service account (Impersonate-User system:serviceaccount:...)",
      expected:
        /^FORBIDDEN: cordoning .* cannot impersonate resource "serviceaccounts" .* namespace "portal"/,
      run: async () => outcomeOf(await gateway.as(portalToken).query(CORDON_NODE, { name: cordonTarget })),
    },
    userextras: {
      operation:
        "cordonNode as the portal's service account (its token's credential-id: Impersonate-Extra-*)",
      expected:
        /^FORBIDDEN: cordoning .* cannot impersonate resource "userextras\/authentication.kubernetes.io\/credential-id"/,
      run: async () => outcomeOf(await gateway.as(portalToken).query(CORDON_NODE, { name: cordonTarget })),
    },
    groups: {
      operation: 'cordonNode as bob (Impersonate-Group)',
      expected: /^FORBIDDEN: cordoning .* cannot impersonate resource "groups"/,
      run: async () => outcomeOf(await bob().query(CORDON_NODE, { name: cordonTarget })),
    },
    uids: {
      operation: 'cordonNode as bob (Impersonate-Uid)',
      expected: /^FORBIDDEN: cordoning .* cannot impersonate resource "uids"/,
      run: async () => outcomeOf(await bob().query(CORDON_NODE, { name: cordonTarget })),
    },
  };
  const keyOf = (rule: V1PolicyRule) => (rule.resources?.[0] ?? '').split('/')[0]!;
  let cordonTarget: string;

  it('has a case for every rule of the rendered ClusterRole', () => {
    const keys = (role.rules ?? []).map(keyOf);
    expect(keys.sort()).toEqual(Object.keys(RULE_CASES).sort());
  });

  it('fails the named operation without each rule, and passes them all with the whole role', async () => {
    cordonTarget = pickNode();
    const rules = role.rules ?? [];
    const outcomes: Record<string, Outcome> = {};
    try {
      for (const [i, rule] of rules.entries()) {
        const key = keyOf(rule);
        const ruleCase = RULE_CASES[key];
        if (!ruleCase) continue;
        await setRules(rules.filter((_, j) => j !== i));
        outcomes[key] = await ruleCase.run();
      }
    } finally {
      await setRules(rules);
    }
    const expected = Object.fromEntries(
      Object.entries(RULE_CASES).map(([k, c]) => [k, expect.stringMatching(c.expected)]),
    );
    expect(outcomes).toEqual(expected);

    const withWholeRole: Record<string, Outcome> = {};
    for (const [key, ruleCase] of Object.entries(RULE_CASES)) {
      if (key === 'nodes') withWholeRole[key] = outcomeOf(await bob().query(NODE_NAMES_QUERY));
      else withWholeRole[key] = await ruleCase.run();
    }
    expect(withWholeRole).toEqual(Object.fromEntries(Object.keys(RULE_CASES).map((k) => [k, undefined])));
  }, 120_000);

  it('keeps serving across a token rotation (kubelet swaps the files), its node watch reconnecting with the new token', async () => {
    await sa.rotate(await tokens.issue(2));
    await tokens.revoke(1);
    const mark = cluster.sim.audit.entries().length;
    expect(outcomeOf(await bob().query(NODE_POD_COUNTS))).toBeUndefined();
    const cordon = await bob().query(CORDON_NODE, { name: pickNode() });
    expect(cordon.data?.cordonNode?.schedulable).toBe(false);

    cluster.sim.faults.dropWatches();
    const isNodeWatch = (e: AuditEntry) => e.verb === 'watch' && e.resource === 'nodes' && e.code === 200;
    await waitFor(() => cluster.sim.audit.entries().slice(mark).some(isNodeWatch), {
      what: 'the node informer to watch again',
      timeoutMs: 30_000,
    });
    const own = cluster.sim.audit
      .entries()
      .slice(mark)
      .filter((e) => e.user === SA_USER);
    expect(own.map((e) => e.resource)).toEqual(expect.arrayContaining(['pods', 'tokenreviews', 'nodes']));
    expect(own.filter((e) => !tokens.usedGeneration(e, 2))).toEqual([]);
    expect(own.filter((e) => e.code === 401)).toEqual([]);
    expect(own.filter(isNodeWatch).length).toBeGreaterThan(0);
  }, 60_000);
});
