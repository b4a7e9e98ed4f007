import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { DEFAULT_CONFIG } from '../../src/config/gateway-config.js';
import type { AuditEntry } from '../../src/sim/audit.js';
import type { KubeObject } from '../../src/sim/kube-object.js';
import {
  guardPodWithBudget,
  readJob,
  setBudget,
  startDrain,
  untilFinished,
  workerNodePicker,
} from '../drain/drain-e2e-support.js';
import { SIM_DRAIN_CONFIG } from '../support/drain-timings.js';
import { postGraphQLWith } from '../support/graphql-clients.js';
import { bindUser, clusterRole } from '../support/rbac-objects.js';
import { waitFor } from '../support/wait-for.js';
import {
  type SimCluster,
  type SpawnedGateway,
  startGateway,
  startSimCluster,
  type TestGateway,
} from './harness.js';
import { waitForNodeSubscribers } from './nodes-helpers.js';
import { DRAIN_REQUESTER, VIEWER_QUERY } from './operations/auth.js';
import { CORDON_NODE, DRAIN_JOBS, DRAIN_NODE } from './operations/drain.js';
import { NODE_CHANGED_SUBSCRIPTION, NODE_NAMES_QUERY } from './operations/nodes.js';
import { NODE_POD_COUNTS } from './operations/pods.js';
import { spawnRedisReplicas, stopRedisReplicas } from './redis-replicas.js';

const run = promisify(execFile);

/**
 * Every request acts as its person, end to end: the simulator runs RBAC with a static token
 * file (as kube-apiserver's --token-auth-file), the gateway authenticates bearer tokens with
 * TokenReview, checks shared reads with SubjectAccessReview and impersonates the caller on
 * every API call, so the simulator's audit log shows who acted. alice may only read nodes;
 * bob is a node operator (what kubectl drain needs).
 */
const TOKENS = [
  { token: 'alice-token', user: 'alice', uid: 'u-alice', groups: ['viewers'] },
  { token: 'bob-token', user: 'bob', uid: 'u-bob', groups: ['operators'] },
];

const RBAC: KubeObject[] = [
  clusterRole('node-viewer', [{ apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list', 'watch'] }]),
  clusterRole('node-operator', [
    { apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list', 'watch', 'patch'] },
    { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'delete'] },
    { apiGroups: [''], resources: ['pods/eviction'], verbs: ['create'] },
    { apiGroups: ['apps'], resources: ['daemonsets'], verbs: ['get'] },
  ]),
  bindUser('alice-viewer', 'node-viewer', 'alice'),
  bindUser('bob-operator', 'node-operator', 'bob'),
];

const WRITES = new Set(['create', 'update', 'patch', 'delete', 'deletecollection']);
const writesSince = (entries: readonly AuditEntry[]) =>
  entries.filter((e) => WRITES.has(e.verb) && !['tokenreviews', 'subjectaccessreviews'].includes(e.resource));

describe('every request acts as its person (--auth kubernetes, simulator with RBAC)', () => {
  let cluster: SimCluster;
  let gateway: TestGateway;
  const pickNode = workerNodePicker(() => cluster.sim);

  beforeAll(async () => {
    cluster = await startSimCluster({
      nodes: 8,
      pods: 80,
      seed: 91,
      tokens: TOKENS,
      authorizationMode: 'RBAC',
      rbacObjects: RBAC,
    });
    gateway = await startGateway({
      kubeconfigPath: cluster.kubeconfigPath,
      config: {
        auth: { ...DEFAULT_CONFIG.auth, mode: 'kubernetes' },
        authz: { cacheTtlMs: 500, recheckMs: 1000 },
        drain: SIM_DRAIN_CONFIG,
      },
    });
  });
  afterAll(async () => {
    await gateway?.stop();
    await cluster?.stop();
  });

  const alice = () => gateway.as('alice-token');
  const bob = () => gateway.as('bob-token');

  it('refuses a missing or unknown token: 401 over HTTP and SSE, close 4401 over graphql-ws; nothing is written', async () => {
    const before = cluster.sim.audit.entries().length;
    for (const headers of [{}, { authorization: 'Bearer not-a-token' }] as Record<string, string>[]) {
      const res = await fetch(gateway.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query: 'mutation { cordonNode(name: "node-0001") { name } }' }),
      });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
      const body = (await res.json()) as { errors: { extensions: { code: string } }[] };
      expect(body.errors[0]!.extensions.code).toBe('UNAUTHENTICATED');
      const sse = await fetch(gateway.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...headers },
        body: JSON.stringify({ query: 'subscription { nodeChanged { name } }' }),
      });
      expect(sse.status).toBe(401);
      await sse.body?.cancel();
    }
    const socket = new WebSocket(gateway.wsUrl, 'graphql-transport-ws');
    socket.once('open', () =>
      socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: 'Bearer nope' } })),
    );
    const code = await new Promise<number>((resolve) =>
      socket.once('close', (closeCode) => resolve(closeCode)),
    );
    expect(code).toBe(4401);
    expect(writesSince(cluster.sim.audit.entries().slice(before))).toEqual([]);
  });

  it('alice reads nodes; podCount, cordon and drain are FORBIDDEN and reach no API', async () => {
    const before = cluster.sim.audit.entries().length;
    const node = pickNode();
    const names = await alice().query(NODE_NAMES_QUERY);
    expect(names.data?.nodes?.totalCount).toBe(cluster.sim.cluster.listNodes().length);

    const counts = await alice().query(NODE_POD_COUNTS);
    expect(counts.data?.nodes?.nodes.every((n) => n.podCount === null)).toBe(true);
    expect(counts.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(counts.errors?.[0]?.message).toMatch(/list pods/);

    const cordon = await alice().query(CORDON_NODE, { name: node });
    expect(cordon.data?.cordonNode ?? null).toBeNull();
    expect(cordon.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const drain = await alice().query(DRAIN_NODE, { name: node, options: { force: true } });
    expect(drain.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await bob().query(DRAIN_JOBS, { node })).data?.drainJobs).toEqual([]);

    const since = cluster.sim.audit.entries().slice(before);
    expect(writesSince(since)).toEqual([]);
    expect(since.filter((e) => e.resource === 'pods' && e.verb === 'list')).toEqual([]);
    const viewer = (await alice().query(VIEWER_QUERY)).data?.viewer;
    expect(viewer?.username).toBe('alice');
    expect(viewer?.clusters).toEqual([
      { cluster: 'sim', canListNodes: true, canListPods: false, canCordon: false, canDrain: false },
    ]);
  });

  it('a client-sent Impersonate-User header grants nothing', async () => {
    const res = await postGraphQLWith(
      gateway.graphqlUrl,
      {
        authorization: 'Bearer alice-token',
        'impersonate-user': 'kubernetes-admin',
        'impersonate-group': 'system:masters',
      },
      CORDON_NODE,
      { name: pickNode() },
    );
    expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('bob cordons and drains; every PATCH and eviction carries impersonatedUser bob', async () => {
    const node = pickNode();
    const before = cluster.sim.audit.entries().length;
    expect((await bob().query(CORDON_NODE, { name: node })).data?.cordonNode?.schedulable).toBe(false);
    const job = await startDrain(bob(), node, { force: true, deleteEmptyDirData: true });
    expect((await untilFinished(bob(), job.id)).state).toBe('SUCCEEDED');
    expect((await bob().query(DRAIN_REQUESTER, { id: job.id })).data?.drainJob?.requestedBy).toEqual({
      username: 'bob',
      groups: ['operators', 'system:authenticated'],
    });
    const writes = writesSince(cluster.sim.audit.entries().slice(before));
    expect(writes.some((e) => e.verb === 'patch')).toBe(true);
    expect(writes.some((e) => e.subresource === 'eviction')).toBe(true);
    expect(writes.filter((e) => e.impersonatedUser?.username !== 'bob')).toEqual([]);
  });

  it("deleting alice's binding ends her open nodeChanged within the recheck interval", async () => {
    const sub = alice().subscribe(NODE_CHANGED_SUBSCRIPTION);
    await waitForNodeSubscribers(gateway, 1);
    await run('kubectl', [
      '--kubeconfig',
      cluster.kubeconfigPath,
      'delete',
      'clusterrolebinding',
      'alice-viewer',
    ]);
    const deletedAt = Date.now();
    const ended = await waitFor(() => sub.received.find((r) => r.errors), {
      timeoutMs: 5000,
      what: 'the FORBIDDEN that ends the subscription',
    });
    expect(ended.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(Date.now() - deletedAt).toBeLessThan(1000 + 500 + 1000); // recheck + cache TTL + slack
    sub.close();
    const names = await alice().query(NODE_NAMES_QUERY);
    expect(names.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('a drain taken over by another replica keeps acting as its requester (Redis, kill -9)', () => {
  const redisKeyPrefix = `kng-test-${randomUUID()}:`;
  let cluster: SimCluster;
  let a: SpawnedGateway;
  let b: SpawnedGateway;
  const pickNode = workerNodePicker(() => cluster.sim);

  beforeAll(async () => {
    cluster = await startSimCluster({
      nodes: 8,
      pods: 80,
      seed: 93,
      tokens: TOKENS,
      authorizationMode: 'RBAC',
      rbacObjects: RBAC,
    });
    [a, b] = (await spawnRedisReplicas({
      kubeconfigPath: cluster.kubeconfigPath,
      redisKeyPrefix,
      count: 2,
      extraArgs: ['--auth', 'kubernetes'],
    })) as [SpawnedGateway, SpawnedGateway];
  }, 40_000);
  afterAll(async () => {
    await stopRedisReplicas([a, b], redisKeyPrefix);
    await cluster?.stop();
  });

  it('every PATCH and eviction, before and after the takeover, impersonates bob', async () => {
    const node = pickNode();
    const guarded = guardPodWithBudget(cluster.sim, node);
    const before = cluster.sim.audit.entries().length;
    const job = await startDrain(a.as('bob-token'), node, { force: true, deleteEmptyDirData: true });
    await waitFor(
      async () => (await readJob(b.as('bob-token'), job.id)).events?.some((e) => e.kind === 'POD_BLOCKED'),
      {
        what: 'A blocked on the budget',
      },
    );
    a.kill('SIGKILL');
    await a.exited;
    await waitFor(
      async () => {
        const runner = (await b.as('bob-token').query(DRAIN_REQUESTER, { id: job.id })).data?.drainJob
          ?.runner;
        return runner !== undefined && runner !== null && !runner.includes(String(a.process.pid));
      },
      { timeoutMs: 15_000, what: 'B to take the job over' },
    );
    setBudget(cluster.sim, guarded, 0);
    expect((await untilFinished(b.as('bob-token'), job.id)).state).toBe('SUCCEEDED');
    const writes = writesSince(cluster.sim.audit.entries().slice(before));
    expect(writes.filter((e) => e.subresource === 'eviction').length).toBeGreaterThan(0);
    expect(writes.filter((e) => e.impersonatedUser?.username !== 'bob')).toEqual([]);
  });
});
