import { join } from 'node:path';
import { createYoga } from 'graphql-yoga';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MemoryAuditTrail } from '../../src/auth/audit-trail.js';
import type { Caller } from '../../src/auth/caller.js';
import { SarAuthorizer } from '../../src/auth/sar-authorizer.js';
import type { KubeRequest } from '../../src/clusters/kube-client.js';
import { DEFAULT_CONFIG } from '../../src/config/gateway-config.js';
import { createLogger } from '../../src/platform/logger.js';
import { GatewayMetrics } from '../../src/platform/metrics.js';
import { RequestScope } from '../../src/platform/request-scope.js';
import { subscribeNodeChanges } from '../../src/resolvers/node-changes.js';
import { buildSchema } from '../../src/schema/index.js';
import type { GatewayContext } from '../../src/server/context.js';
import { createGatewayContext } from '../../src/server/create-yoga.js';
import { createGatewayRuntime, type GatewayRuntime } from '../../src/server/gateway-runtime.js';
import type { GatewayServices } from '../../src/server/services.js';
import { nodeAnswerVersionOf, useNodeResponseCache } from '../../src/server/use-node-response-cache.js';
import { useResponseExtensions } from '../../src/server/use-response-extensions.js';
import { type SimulatorHandle, startSimulator } from '../../src/sim/index.js';
import { tempDir } from '../support/temp-dir.js';
import { waitFor } from '../support/wait-for.js';

const person = (username: string): Caller => ({
  username,
  groups: ['system:authenticated'],
  anonymous: false,
});

/** RBAC as a table: user -> "verb resource" they may do. */
const grants = new Map<string, Set<string>>();
const ALICE = ['list nodes', 'get nodes', 'watch nodes'];

/** A SubjectAccessReview endpoint answering from `grants`, counting reviews. */
const sarApi = {
  reviews: 0,
  apiTimeoutMs: 1000,
  async json<T>(req: KubeRequest): Promise<T> {
    sarApi.reviews++;
    const spec = (req.body as { spec: { user: string; resourceAttributes: Record<string, string> } }).spec;
    const a = spec.resourceAttributes;
    const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
    const allowed = grants.get(spec.user)?.has(`${a.verb} ${resource}`) ?? false;
    return { status: { allowed } } as T;
  },
};

interface GqlResult {
  data?: Record<string, unknown> | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

describe('resolvers with an authenticated caller', () => {
  let sim: SimulatorHandle;
  let runtime: GatewayRuntime;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let services: GatewayServices;
  let audit: MemoryAuditTrail;
  let yoga: ReturnType<typeof createYoga<Record<string, unknown>, GatewayContext>>;
  let cluster: string;

  beforeAll(async () => {
    sim = await startSimulator({ nodes: 4, pods: 16, seed: 5, heartbeatIntervalMs: 0 });
    dir = await tempDir();
    const kubeconfigPath = join(dir.path, 'kubeconfig');
    await sim.writeKubeconfig(kubeconfigPath);
    const metrics = new GatewayMetrics({ collectProcessMetrics: false });
    runtime = createGatewayRuntime(
      {
        ...DEFAULT_CONFIG,
        kubeconfigPaths: [kubeconfigPath],
        logLevel: 'silent',
        authz: { cacheTtlMs: 60_000, recheckMs: 50 },
      },
      createLogger('silent'),
      metrics,
    );
    await runtime.start();
    await waitFor(() => runtime.services.nodes.states()[0]?.status === 'READY', { what: 'cache in sync' });
    cluster = runtime.services.clusters.defaultCluster!;
    audit = new MemoryAuditTrail();
    services = {
      ...runtime.services,
      audit,
      // The cache TTL is a minute: only a recheck that bypasses it can see a withdrawal in time.
      authorizer: new SarAuthorizer({ clientFor: () => sarApi, ttlMs: 60_000 }),
    };
    yoga = createYoga<Record<string, unknown>, GatewayContext>({
      schema: buildSchema(),
      // Stands in for authentication: the bearer token is the username.
      context: ({ request }) => {
        const token = request.headers.get('authorization')?.replace(/^Bearer /, '');
        return createGatewayContext(services, token ? person(token) : undefined);
      },
      plugins: [
        useResponseExtensions(),
        useNodeResponseCache(nodeAnswerVersionOf(services), { authzTtlMs: 60_000 }),
      ],
      logging: false,
    });
  });

  afterAll(async () => {
    await runtime?.stop();
    await sim?.stop();
    await dir?.cleanup();
  });

  beforeEach(() => {
    grants.clear();
    grants.set('alice', new Set(ALICE));
    audit.records.length = 0;
  });

  async function post(user: string | undefined, query: string, headers: Record<string, string> = {}) {
    const res = await yoga.fetch('http://gateway/graphql', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(user ? { authorization: `Bearer ${user}` } : {}),
        ...headers,
      },
      body: JSON.stringify({ query }),
    });
    return (await res.json()) as GqlResult;
  }

  it('alice (list/get/watch nodes) gets nodes; podCount is null with FORBIDDEN naming list pods', async () => {
    const res = await post(
      'alice',
      '{ nodes { totalCount nodes { name podCount } } clusters { name nodeCount } }',
    );
    const nodes = res.data?.nodes as { totalCount: number; nodes: { podCount: number | null }[] };
    expect(nodes.totalCount).toBe(4);
    expect(nodes.nodes.every((n) => n.podCount === null)).toBe(true);
    expect(res.data?.clusters).toEqual([{ name: cluster, nodeCount: 4 }]);
    expect(res.errors).toHaveLength(4);
    for (const err of res.errors ?? []) {
      expect(err.message).toBe(`cannot list pods in cluster "${cluster}"`);
      expect(err.extensions).toMatchObject({ code: 'FORBIDDEN', verb: 'list', resource: 'pods' });
      expect(err.path?.at(-1)).toBe('podCount');
    }
    // No pod LIST was made for a caller who may not see its result.
    expect(sim.audit.count({ resource: 'pods', verb: 'list' })).toBe(0);
  });

  it('a caller with no grants gets null nodes and nodeCount with FORBIDDEN, the rest answers', async () => {
    const res = await post(
      'mallory',
      '{ nodes { totalCount } clusters { name nodeCount } viewer { username } }',
    );
    expect(res.data).toEqual({
      nodes: null,
      clusters: [{ name: cluster, nodeCount: null }],
      viewer: { username: 'mallory' },
    });
    expect(res.errors?.map((e) => [e.path?.join('.'), e.message, e.extensions?.code])).toEqual([
      ['nodes', `cannot list nodes in cluster "${cluster}"`, 'FORBIDDEN'],
      ['clusters.0.nodeCount', `cannot list nodes in cluster "${cluster}"`, 'FORBIDDEN'],
    ]);
    expect(audit.records.map((r) => [r.user, r.field, r.outcome, r.denied])).toContainEqual([
      'mallory',
      'Query.nodes',
      'FORBIDDEN',
      'list nodes',
    ]);
  });

  it("a client's Impersonate-User: admin header grants nothing", async () => {
    grants.set('admin', new Set(['list nodes', 'list pods', 'patch nodes']));
    const res = await post('mallory', '{ nodes { totalCount } }', { 'impersonate-user': 'admin' });
    expect(res.data?.nodes).toBeNull();
    expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it("one person's cached node answer is never served to another", async () => {
    const query = '{ nodes { totalCount } }';
    expect((await post('alice', query)).data?.nodes).toEqual({ totalCount: 4 });
    const reviews = sarApi.reviews;
    expect((await post('alice', query)).data?.nodes).toEqual({ totalCount: 4 }); // a hit
    expect(sarApi.reviews).toBe(reviews);
    const bob = await post('bob', query);
    expect(bob.data?.nodes).toBeNull();
    expect(bob.errors?.[0]?.message).toBe(`cannot list nodes in cluster "${cluster}"`);
  });

  it('cordon is FORBIDDEN without patch nodes, and no API call is made', async () => {
    const node = runtime.services.nodes.get(cluster)!.cache.sorted('NAME')[0]!.name;
    const patches = sim.audit.count({ verb: 'patch' });
    const res = await post('alice', `mutation { cordonNode(name: "${node}") { schedulable } }`);
    expect(res.data).toEqual({ cordonNode: null });
    expect(res.errors?.[0]).toMatchObject({
      message: `cannot patch nodes "${node}" in cluster "${cluster}"`,
      extensions: { code: 'FORBIDDEN' },
    });
    expect(sim.audit.count({ verb: 'patch' })).toBe(patches);
    expect(audit.records).toMatchObject([
      {
        user: 'alice',
        field: 'Mutation.cordonNode',
        cluster,
        node,
        outcome: 'FORBIDDEN',
        denied: 'patch nodes',
      },
    ]);
  });

  it('drainNode is FORBIDDEN without eviction rights: no job is created, no API call made', async () => {
    grants.get('alice')?.add('patch nodes');
    const node = runtime.services.nodes.get(cluster)!.cache.sorted('NAME')[1]!.name;
    const calls = sim.audit.entries().length;
    const res = await post('alice', `mutation { drainNode(name: "${node}") { id } }`);
    expect(res.errors?.[0]?.message).toBe(`cannot create pods/eviction in cluster "${cluster}"`);
    expect(await runtime.services.drains.list({ limit: 10 })).toEqual([]);
    expect(sim.audit.entries().length).toBe(calls);
  });

  it('a permitted cordon acts as alice and is audited OK', async () => {
    grants.get('alice')?.add('patch nodes');
    const node = runtime.services.nodes.get(cluster)!.cache.sorted('NAME')[2]!.name;
    const res = await post('alice', `mutation Cordon { cordonNode(name: "${node}") { schedulable } }`);
    expect(res.data).toEqual({ cordonNode: { schedulable: false } });
    expect(audit.records).toMatchObject([
      { user: 'alice', operation: 'Cordon', field: 'Mutation.cordonNode', node, outcome: 'OK' },
    ]);
    await post('alice', `mutation { uncordonNode(name: "${node}") { schedulable } }`);
  });

  it('viewer says what alice may do in each cluster', async () => {
    const res = await post(
      'alice',
      '{ viewer { username groups clusters { cluster canListNodes canListPods canCordon canDrain } } }',
    );
    expect(res.data?.viewer).toEqual({
      username: 'alice',
      groups: ['system:authenticated'],
      clusters: [{ cluster, canListNodes: true, canListPods: false, canCordon: false, canDrain: false }],
    });
    // Asking what one may do is not a denied request.
    expect(audit.records).toEqual([]);
  });

  it('under --auth none nothing is checked and nothing impersonated', async () => {
    const reviews = sarApi.reviews;
    const res = await post(
      undefined,
      '{ nodes { totalCount nodes { podCount } } viewer { username clusters { canDrain } } }',
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?.viewer).toEqual({ username: 'system:anonymous', clusters: [{ canDrain: true }] });
    expect(sarApi.reviews).toBe(reviews);
  });

  it('nodeChanged ends with FORBIDDEN soon after watch nodes is withdrawn, despite the cache TTL', async () => {
    const ctx: GatewayContext = {
      services,
      caller: person('alice'),
      scope: new RequestScope(),
      responseExtensions: {},
    };
    const stream = (await subscribeNodeChanges(ctx, {}))[Symbol.asyncIterator]();
    const next = stream.next();
    grants.get('alice')?.delete('watch nodes');
    const item = await next;
    expect(item.done).toBe(false);
    const value = item.value as { failure?: { message: string; extensions: Record<string, unknown> } };
    expect(value.failure?.message).toBe(`cannot watch nodes in cluster "${cluster}"`);
    expect(value.failure?.extensions.code).toBe('FORBIDDEN');
    expect((await stream.next()).done).toBe(true);
  });

  it('nodeChanged is refused at once for a caller who may not watch nodes', async () => {
    const ctx: GatewayContext = {
      services,
      caller: person('mallory'),
      scope: new RequestScope(),
      responseExtensions: {},
    };
    await expect(Promise.resolve().then(() => subscribeNodeChanges(ctx, {}))).rejects.toMatchObject({
      message: `cannot watch nodes in cluster "${cluster}"`,
      extensions: { code: 'FORBIDDEN' },
    });
  });
});
