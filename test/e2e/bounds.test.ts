import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type GatewayConfig } from '../../src/config/gateway-config.js';
import { deleteKeys, REDIS_URL } from '../events/redis-test-keys.js';
import type { NodeChangedSubscription } from '../gql/graphql.js';
import { createWsClient, subscribeWs, type TestSubscription } from '../support/graphql-clients.js';
import { waitFor } from '../support/wait-for.js';
import { type SimCluster, startGateway, startSimCluster, type TestGateway } from './harness.js';
import { nodeSubscribers, waitForClusterStatus, waitForNodeSubscribers } from './nodes-helpers.js';
import { CORDON_NODE } from './operations/drain.js';
import { NODE_CHANGED_SUBSCRIPTION, NODE_QUERY } from './operations/nodes.js';

type Sub = TestSubscription<NodeChangedSubscription>;

const LIMITS: GatewayConfig['limits'] = {
  ...DEFAULT_CONFIG.limits,
  subscriptionsPerConnection: 5,
  subscriptionsPerUser: 8,
  sseStreams: 2,
  // Unlimited here; the rate limit has its own gateways below.
  mutationRate: 0,
};

/**
 * Series on /metrics: every line that is not a comment, without its value. The node watch's own
 * series (a BOOKMARK arriving) appear on the watch's schedule, whatever clients do: left out.
 */
async function seriesNames(gateway: TestGateway): Promise<string[]> {
  const text = await (await fetch(`${gateway.baseUrl}/metrics`)).text();
  return text
    .split('\n')
    .filter((l) => l.length > 0 && !l.startsWith('#') && !l.startsWith('gateway_node_watch_'))
    .map((l) => l.slice(0, l.lastIndexOf(' ')));
}

function errorCodes(err: unknown): unknown[] {
  return (Array.isArray(err) ? err : [err]).map(
    (e) => (e as { extensions?: { code?: unknown } }).extensions?.code,
  );
}

describe('bounds on what clients can make the gateway hold', () => {
  let sim: SimCluster;
  let gateway: TestGateway;
  let worker: string;

  beforeAll(async () => {
    sim = await startSimCluster({ nodes: 5, pods: 0, seed: 7 });
    gateway = await startGateway({ kubeconfigPath: sim.kubeconfigPath, config: { limits: LIMITS } });
    await waitForClusterStatus(gateway, 'READY');
    worker = sim.sim.cluster.listNodes()[0]!.metadata!.name!;
  });
  afterAll(async () => {
    await gateway?.stop();
    await sim?.stop();
  });

  it('2000 made-up node names add no /metrics series', { timeout: 90_000 }, async () => {
    // Warm every series these operations touch, once.
    await gateway.query(NODE_QUERY, { name: 'warm-up' });
    await gateway.query(CORDON_NODE, { name: 'warm-up' });
    const before = await seriesNames(gateway);
    for (let batch = 0; batch < 20; batch++) {
      await Promise.all(
        Array.from({ length: 50 }, async (_, i) => {
          const name = `made-up-${batch}-${i}-${randomUUID()}`;
          const node = await gateway.query(NODE_QUERY, { name });
          expect(node.data?.nodeByName).toBeNull();
          const cordon = await gateway.query(CORDON_NODE, { name: `${name}-${'x'.repeat(200)}` });
          expect(cordon.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
        }),
      );
    }
    expect(sim.sim.audit.count({ verb: 'patch', resource: 'nodes', code: 404 })).toBeGreaterThanOrEqual(1000);
    const after = await seriesNames(gateway);
    expect(after.filter((s) => !before.includes(s))).toEqual([]);
    expect(after.length).toBe(before.length);
  });

  it('refuses the subscription over the per-connection cap; its siblings keep receiving', async () => {
    const ws = createWsClient(gateway.wsUrl);
    const subs: Sub[] = [];
    try {
      for (let i = 0; i < LIMITS.subscriptionsPerConnection; i++) {
        subs.push(subscribeWs(ws, NODE_CHANGED_SUBSCRIPTION, { names: [worker] }));
      }
      await waitForNodeSubscribers(gateway, LIMITS.subscriptionsPerConnection);
      const over = subscribeWs(ws, NODE_CHANGED_SUBSCRIPTION, { names: [worker] });
      const err = await over.done.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(errorCodes(err)).toEqual(['RATE_LIMITED']);
      expect(JSON.stringify(err)).toContain('"limit":"connection"');
      // The socket stayed open and the others still stream.
      sim.sim.cluster.patchNode(worker, (n) => {
        n.metadata!.labels!['bounds-test'] = 'changed';
      });
      for (const sub of subs) {
        const event = await sub.next();
        expect(event.errors).toBeUndefined();
        expect(event.data?.nodeChanged.node?.name ?? worker).toBe(worker);
      }
      expect(await nodeSubscribers(gateway)).toBe(LIMITS.subscriptionsPerConnection);
      // A slot given back is a slot to take again.
      subs.pop()?.close();
      await waitForNodeSubscribers(gateway, LIMITS.subscriptionsPerConnection - 1);
      subs.push(subscribeWs(ws, NODE_CHANGED_SUBSCRIPTION, { names: [worker] }));
      await waitForNodeSubscribers(gateway, LIMITS.subscriptionsPerConnection);
    } finally {
      for (const sub of subs) sub.close();
      await ws.dispose();
    }
    await waitForNodeSubscribers(gateway, 0);
  });

  it("counts an anonymous caller's subscriptions over all its sockets (per source address)", async () => {
    const a = createWsClient(gateway.wsUrl);
    const b = createWsClient(gateway.wsUrl);
    const subs: Sub[] = [];
    try {
      for (let i = 0; i < 5; i++) subs.push(subscribeWs(a, NODE_CHANGED_SUBSCRIPTION, {}));
      for (let i = 0; i < 3; i++) subs.push(subscribeWs(b, NODE_CHANGED_SUBSCRIPTION, {}));
      await waitForNodeSubscribers(gateway, LIMITS.subscriptionsPerUser);
      const over = subscribeWs(b, NODE_CHANGED_SUBSCRIPTION, {});
      const err = await over.done.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(errorCodes(err)).toEqual(['RATE_LIMITED']);
      expect(JSON.stringify(err)).toContain('"limit":"user"');
    } finally {
      for (const sub of subs) sub.close();
      await Promise.all([a.dispose(), b.dispose()]);
    }
    await waitForNodeSubscribers(gateway, 0);
  });

  it('answers an SSE stream over --max-sse-streams with 503 and RATE_LIMITED', async () => {
    const streams = Array.from({ length: LIMITS.sseStreams }, () =>
      gateway.subscribeSse(NODE_CHANGED_SUBSCRIPTION, {}),
    );
    try {
      await waitForNodeSubscribers(gateway, LIMITS.sseStreams);
      const res = await fetch(gateway.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
        body: JSON.stringify({ query: 'subscription { nodeChanged { kind } }' }),
      });
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('5');
      const body = (await res.json()) as { errors: { extensions: { code: string } }[] };
      expect(body.errors[0]?.extensions.code).toBe('RATE_LIMITED');
      // Queries over plain HTTP are not streams: still served.
      expect((await gateway.query(NODE_QUERY, { name: worker })).data?.nodeByName?.name).toBe(worker);
    } finally {
      for (const s of streams) s.close();
    }
    await waitForNodeSubscribers(gateway, 0);
    // Closed streams free their places.
    const again = gateway.subscribeSse(NODE_CHANGED_SUBSCRIPTION, {});
    try {
      await waitFor(async () => (await nodeSubscribers(gateway)) === 1, { what: 'a new SSE stream' });
    } finally {
      again.close();
    }
  });

  it('50 subscriptions refused at start leave the active-subscriptions gauge where it was', async () => {
    const gauge = async () => (await gateway.metric('gateway_active_subscriptions{transport="ws"}')) ?? 0;
    const live = gateway.subscribe(NODE_CHANGED_SUBSCRIPTION, {});
    try {
      await waitFor(async () => (await gauge()) === 1, { what: 'one live subscription counted' });
      for (let i = 0; i < 50; i++) {
        const refused = gateway.subscribe(NODE_CHANGED_SUBSCRIPTION, { cluster: 'no-such-cluster' });
        const first = await refused.next();
        expect(first.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
        await refused.done;
      }
      expect(await gauge()).toBe(1);
    } finally {
      live.close();
    }
    await waitFor(async () => (await gauge()) === 0, { what: 'the gauge back to 0' });
  });
});

describe('mutation rate limit (token bucket per caller)', () => {
  let sim: SimCluster;
  const prefix = `kng-test-${randomUUID()}:`;
  // The root-mutation cap (--max-root-mutations) would refuse the aliased batches first: off here.
  const rate = { ...DEFAULT_CONFIG.limits, mutationRate: 1, mutationBurst: 20, maxRootMutations: 0 };

  beforeAll(async () => {
    sim = await startSimCluster({ nodes: 2, pods: 0, seed: 3 });
  });
  afterAll(async () => {
    await sim?.stop();
    const redis = new Redis(REDIS_URL, { lazyConnect: true });
    await redis.connect();
    await deleteKeys(redis, prefix);
    redis.disconnect();
  });

  /** Sends `count` cordons of made-up names at once; resolves the names refused and the rest's codes. */
  async function cordonBurst(gateways: TestGateway[], count: number, tag: string) {
    const names = Array.from({ length: count }, (_, i) => `rate-${tag}-${i}`);
    const results = await Promise.all(
      names.map((name, i) => gateways[i % gateways.length]!.query(CORDON_NODE, { name })),
    );
    const refused = names.filter((_, i) => results[i]?.errors?.[0]?.extensions?.code === 'RATE_LIMITED');
    const others = results
      .filter((r) => r.errors?.[0]?.extensions?.code !== 'RATE_LIMITED')
      .map((r) => r.errors?.[0]?.extensions?.code);
    const retryAfter = results
      .map((r) => r.errors?.[0]?.extensions?.retryAfterMs)
      .find((v) => v !== undefined);
    return { refused, others, retryAfter };
  }

  it.each([
    ['in memory', 1, undefined],
    ['on Redis, shared by two replicas', 2, REDIS_URL],
  ])(
    '%s: past the burst of 20, mutations are RATE_LIMITED and reach no API',
    async (_, replicas, redisUrl) => {
      const gateways = await Promise.all(
        Array.from({ length: replicas }, () =>
          startGateway({
            kubeconfigPath: sim.kubeconfigPath,
            config: { limits: rate, redisUrl, redisKeyPrefix: prefix },
          }),
        ),
      );
      try {
        const tag = randomUUID().slice(0, 8);
        const sent = 25;
        const started = Date.now();
        const { refused, others, retryAfter } = await cordonBurst(gateways, sent, tag);
        // 20 at once, then one a second: on a loaded machine the burst may take over a second.
        const refilled = Math.ceil((Date.now() - started) / 1000);
        expect(others.length).toBeGreaterThanOrEqual(20);
        expect(others.length).toBeLessThanOrEqual(20 + refilled);
        expect(refused.length).toBe(sent - others.length);
        expect(new Set(others)).toEqual(new Set(['NOT_FOUND']));
        expect(retryAfter).toBeGreaterThan(0);
        expect(retryAfter).toBeLessThanOrEqual(1000);
        const audited = new Set(sim.sim.audit.entries().map((e) => e.name));
        for (let i = 0; i < sent; i++) {
          const name = `rate-${tag}-${i}`;
          expect(audited.has(name)).toBe(!refused.includes(name));
        }
        // An aliased batch larger than the burst is refused whole, before any call.
        const batch = Array.from(
          { length: 25 },
          (_, i) => `m${i}: cordonNode(name: "batch-${tag}-${i}") { name }`,
        );
        const res = await gateways[0]!.queryRaw(`mutation { ${batch.join(' ')} }`);
        expect(res.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
        expect(sim.sim.audit.entries().some((e) => e.name?.startsWith(`batch-${tag}`))).toBe(false);
      } finally {
        await Promise.all(gateways.map((g) => g.stop()));
      }
    },
  );
});
