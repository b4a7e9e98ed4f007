import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config/gateway-config.js';
import type { KubeObject } from '../../src/sim/kube-object.js';
import { bindUser, clusterRole } from '../support/rbac-objects.js';
import { openRawSse, type RawSseStream, SSE_PING, sseBlocks, sseData } from '../support/sse-stream.js';
import { type SimCluster, startGateway, startSimCluster, type TestGateway } from './harness.js';
import { nodeSubscribers, waitForClusterStatus, waitForNodeSubscribers } from './nodes-helpers.js';
import { NODE_CHANGED_FULL_SUBSCRIPTION, NODE_CHANGED_SUBSCRIPTION } from './operations/nodes.js';

const run = promisify(execFile);
const SSE_STREAMS = 30;
const QUEUE_LIMIT = 20;
const COMPLETE = 'event: complete\ndata:\n\n';

type NodeChangedData = { data?: { nodeChanged?: { name: string; cursor: string } } };

/** Subscriptions the node feed ever started: one per fan-out group, one per stream left alone. */
function feedStarted(gateway: TestGateway): number {
  return gateway.runtime.services.nodes.feed.started;
}

async function until(streams: readonly RawSseStream[], events: number, what: string): Promise<void> {
  await Promise.all(streams.map((s) => s.until((x) => x.events().length >= events, what)));
}

describe('nodeChanged over SSE joins the fan-out', () => {
  let sim: SimCluster;
  let gateway: TestGateway;
  let nodes: string[];
  const label = (name: string, value: string) =>
    sim.sim.cluster.patchNode(name, (n) => {
      n.metadata!.labels = { ...n.metadata!.labels, step: value };
    });

  beforeAll(async () => {
    sim = await startSimCluster({ nodes: 30, pods: 0, seed: 61 });
    gateway = await startGateway({
      kubeconfigPath: sim.kubeconfigPath,
      config: {
        subscriberQueueLimit: QUEUE_LIMIT,
        limits: { ...DEFAULT_CONFIG.limits, sseStreams: SSE_STREAMS },
      },
    });
    await waitForClusterStatus(gateway, 'READY');
    nodes = sim.sim.cluster.listNodes().map((n) => n.metadata!.name!);
  });

  afterAll(async () => {
    await gateway?.stop();
    await sim?.stop();
  });

  it('SSE subscribers of one shape (POST, GET and a graphql-ws one) share one group, with the bytes of an SSE stream of its own', async () => {
    const before = feedStarted(gateway);
    const members = await Promise.all(
      Array.from({ length: 11 }, () => openRawSse(gateway.graphqlUrl, NODE_CHANGED_SUBSCRIPTION)),
    );
    members.push(
      await openRawSse(gateway.graphqlUrl, NODE_CHANGED_SUBSCRIPTION, {
        method: 'GET',
        headers: { 'x-graphql-csrf-token': '1' },
      }),
    );
    const ws = gateway.subscribe(NODE_CHANGED_SUBSCRIPTION);
    await waitForNodeSubscribers(gateway, 13);
    expect(feedStarted(gateway) - before).toBe(1);
    expect(await gateway.metric('gateway_active_subscriptions{transport="sse"}')).toBe(12);
    expect(await gateway.metric('gateway_active_subscriptions{transport="ws"}')).toBe(1);

    label(nodes[0]!, '1');
    await until(members, 1, 'the first event');
    const first = sseData<NodeChangedData>(members[0]!.events()[0]!);
    expect(first.data?.nodeChanged?.name).toBe(nodes[0]);
    // The same shape resumed from that event: `since` is never fanned out, its stream is its own.
    const resumed = await openRawSse(gateway.graphqlUrl, NODE_CHANGED_SUBSCRIPTION, {
      variables: { since: first.data!.nodeChanged!.cursor },
    });
    await waitForNodeSubscribers(gateway, 14);
    expect(feedStarted(gateway) - before).toBe(2);

    for (const [i, name] of nodes.slice(1, 5).entries()) label(name, String(i + 2));
    await until(members, 5, 'five events');
    await until([resumed], 4, 'four events');
    const expected = resumed.events();
    expect(expected.map((e) => sseData<NodeChangedData>(e).data?.nodeChanged?.name)).toEqual(
      nodes.slice(1, 5),
    );
    for (const member of members) {
      expect(member.status).toBe(200);
      // Byte for byte what yoga writes for a stream of its own: the first ping, the frames.
      expect(member.text.startsWith(SSE_PING)).toBe(true);
      expect(member.events().slice(1)).toEqual(expected);
      for (const header of ['content-type', 'cache-control', 'connection', 'content-encoding']) {
        expect(member.headers[header]).toBe(resumed.headers[header]);
      }
    }
    // The graphql-ws member of the same group got the same results.
    const wsEvents = [await ws.next(), await ws.next(), await ws.next(), await ws.next(), await ws.next()];
    expect(wsEvents.slice(1)).toEqual(expected.map((e) => sseData(e)));
    // yoga's keep-alive pings go on (every 300 ms under NODE_ENV=test).
    await members[0]!.until(
      (s) => sseBlocks(s.text).filter((b) => b === SSE_PING).length >= 3,
      'two keep-alive pings after the first',
    );

    for (const member of [...members, resumed]) member.close();
    ws.close();
    await waitForNodeSubscribers(gateway, 0);
    expect(await gateway.metric('gateway_active_subscriptions{transport="sse"}')).toBe(0);
  });

  it('a client that never reads is cut off SUBSCRIBER_TOO_SLOW while the group goes on, and then reads its end', async () => {
    const fast = await Promise.all(
      Array.from({ length: 3 }, () => openRawSse(gateway.graphqlUrl, NODE_CHANGED_FULL_SUBSCRIPTION)),
    );
    const silent = await openRawSse(gateway.graphqlUrl, NODE_CHANGED_FULL_SUBSCRIPTION);
    silent.pause();
    const before = feedStarted(gateway);
    await waitForNodeSubscribers(gateway, 4);
    const slowBefore = (await gateway.metric('gateway_node_subscribers_closed_slow_total')) ?? 0;

    // ~16 KB per event: the silent client's socket fills, then what waits for it at the gateway,
    // then its own queue, which overflows; every round still reaches the others.
    const blob = 'z'.repeat(16 * 1024);
    const round = async (r: number) => {
      const marks = fast.map((s) => s.text.length);
      for (const name of nodes) {
        sim.sim.cluster.patchNode(name, (n) => {
          n.metadata!.annotations = { ...n.metadata!.annotations, blob: `${r}${blob}` };
        });
      }
      const last = `"value":"${r}z`;
      await Promise.all(
        fast.map((s, i) =>
          s.until((x) => x.text.lastIndexOf(last) >= marks[i]!, `round ${r} for a reading client`),
        ),
      );
    };
    const deadline = Date.now() + 40_000;
    let r = 0;
    while ((await nodeSubscribers(gateway)) > 3 && Date.now() < deadline) await round(r++);
    expect(await nodeSubscribers(gateway)).toBe(3);
    expect(await gateway.metric('gateway_node_subscribers_closed_slow_total')).toBe(slowBefore + 1);
    // The readers are still one group, still served.
    await round(r++);
    expect(feedStarted(gateway)).toBe(before);

    silent.resume();
    await silent.ended;
    const events = silent.events();
    const last = events.at(-1)!;
    expect(last).toBe(COMPLETE);
    expect(sseData(events.at(-2)!).errors?.[0]?.extensions?.code).toBe('SUBSCRIBER_TOO_SLOW');
    // Events were dropped for it, not buffered without bound.
    expect(events.length).toBeLessThan(fast[0]!.events().length);
    for (const s of fast) s.close();
    await waitForNodeSubscribers(gateway, 0);
  }, 60_000);

  it(`a closed stream frees its SSE slot (--max-sse-streams ${SSE_STREAMS}); the last one out ends the group`, async () => {
    const before = feedStarted(gateway);
    const streams = await Promise.all(
      Array.from({ length: SSE_STREAMS }, () => openRawSse(gateway.graphqlUrl, NODE_CHANGED_SUBSCRIPTION)),
    );
    await waitForNodeSubscribers(gateway, SSE_STREAMS);
    const refused = await openRawSse(gateway.graphqlUrl, NODE_CHANGED_SUBSCRIPTION);
    expect(refused.status).toBe(503);
    await refused.ended;

    streams.pop()!.close();
    await waitForNodeSubscribers(gateway, SSE_STREAMS - 1);
    const again = await openRawSse(gateway.graphqlUrl, NODE_CHANGED_SUBSCRIPTION);
    expect(again.status).toBe(200);
    streams.push(again);
    await waitForNodeSubscribers(gateway, SSE_STREAMS);
    expect(feedStarted(gateway) - before).toBe(1);

    label(nodes[7]!, 'slot');
    await until(streams, 1, 'the event');
    for (const s of streams) s.close();
    await waitForNodeSubscribers(gateway, 0);
    expect(await gateway.metric('gateway_active_subscriptions{transport="sse"}')).toBe(0);
    // The group's feed subscription is gone: a new subscriber starts a new one.
    const next = await openRawSse(gateway.graphqlUrl, NODE_CHANGED_SUBSCRIPTION);
    await waitForNodeSubscribers(gateway, 1);
    expect(feedStarted(gateway) - before).toBe(2);
    next.close();
    await waitForNodeSubscribers(gateway, 0);
  });
});

const TOKENS = [
  { token: 'alice-token', user: 'alice', uid: 'u-alice', groups: ['viewers'] },
  { token: 'bob-token', user: 'bob', uid: 'u-bob', groups: ['viewers'] },
];
const RBAC: KubeObject[] = [
  clusterRole('node-viewer', [{ apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list', 'watch'] }]),
  bindUser('alice-viewer', 'node-viewer', 'alice'),
  bindUser('bob-viewer', 'node-viewer', 'bob'),
];

describe('nodeChanged over SSE, fanned out per caller (--auth kubernetes, RBAC)', () => {
  let cluster: SimCluster;
  let gateway: TestGateway;

  beforeAll(async () => {
    cluster = await startSimCluster({
      nodes: 6,
      pods: 0,
      seed: 62,
      tokens: TOKENS,
      authorizationMode: 'RBAC',
      rbacObjects: RBAC,
    });
    gateway = await startGateway({
      kubeconfigPath: cluster.kubeconfigPath,
      config: {
        auth: { ...DEFAULT_CONFIG.auth, mode: 'kubernetes' },
        authz: { cacheTtlMs: 500, recheckMs: 1000 },
      },
    });
  });

  afterAll(async () => {
    await gateway?.stop();
    await cluster?.stop();
  });

  const open = (token: string, variables?: Record<string, unknown>) =>
    openRawSse(gateway.graphqlUrl, NODE_CHANGED_SUBSCRIPTION, {
      headers: { authorization: `Bearer ${token}` },
      variables,
    });

  it("revoking alice's access ends her streams with FORBIDDEN, as a stream of her own is ended; bob's go on", async () => {
    const before = feedStarted(gateway);
    const alice = await Promise.all([open('alice-token'), open('alice-token'), open('alice-token')]);
    const bob = await Promise.all([open('bob-token'), open('bob-token')]);
    await waitForNodeSubscribers(gateway, 5);
    expect(feedStarted(gateway) - before).toBe(2); // one group per caller

    const [first, second] = cluster.sim.cluster.listNodes().map((n) => n.metadata!.name!);
    cluster.sim.cluster.patchNode(first!, (n) => {
      n.metadata!.labels = { ...n.metadata!.labels, step: '1' };
    });
    await until([...alice, ...bob], 1, 'the first event');
    const cursor = sseData<NodeChangedData>(alice[0]!.events()[0]!).data!.nodeChanged!.cursor;
    const aliceOwn = await open('alice-token', { since: cursor });
    await waitForNodeSubscribers(gateway, 6);

    await run('kubectl', [
      '--kubeconfig',
      cluster.kubeconfigPath,
      'delete',
      'clusterrolebinding',
      'alice-viewer',
    ]);
    await Promise.all([...alice, aliceOwn].map((s) => s.ended));
    const ownEnd = aliceOwn.events().slice(-2);
    expect(sseData(ownEnd[0]!).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(ownEnd[1]).toBe(COMPLETE);
    for (const s of alice) expect(s.events().slice(-2)).toEqual(ownEnd);

    cluster.sim.cluster.patchNode(second!, (n) => {
      n.metadata!.labels = { ...n.metadata!.labels, step: '2' };
    });
    await until(bob, 2, "bob's next event");
    expect(bob.map((s) => sseData<NodeChangedData>(s.events()[1]!).data?.nodeChanged?.name)).toEqual([
      second,
      second,
    ]);
    for (const s of bob) s.close();
    await waitForNodeSubscribers(gateway, 0);
  }, 30_000);
});
