import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../support/wait-for.js';
import { type SimCluster, type SpawnedGateway, spawnGateway, startSimCluster } from './harness.js';
import { waitForNodeSubscribers } from './nodes-helpers.js';

const SOCKETS = 25;
const PER_SOCKET = 80;
const SUBSCRIBERS = SOCKETS * PER_SOCKET;
const CHANGED_NODES = 100;
const QUERY =
  'subscription Burst { nodeChanged { type name changes node { name ready roles burst: label(key: "burst") } } }';

/** The subscribers, in a child process (fanout-subscribers.ts). */
async function startSubscribers(wsUrl: string) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'test/e2e/fanout-subscribers.ts', wsUrl, String(SOCKETS), String(PER_SOCKET), QUERY],
    { cwd: new URL('../../', import.meta.url).pathname, stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const lines = createInterface({ input: child.stdout! });
  const next = (prefix: string) =>
    new Promise<string>((resolve) => {
      const onLine = (line: string) => {
        if (!line.startsWith(prefix)) return;
        lines.off('line', onLine);
        resolve(line.slice(prefix.length));
      };
      lines.on('line', onLine);
    });
  await next('READY');
  return {
    async delivered(): Promise<number> {
      const answer = next('COUNT ');
      child.stdin!.write('count\n');
      return Number(await answer);
    },
    async stop(): Promise<void> {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.stdin!.end();
      await exited;
    },
  };
}

async function typename(graphqlUrl: string): Promise<{ data?: { __typename?: string } }> {
  const res = await fetch(graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ __typename }' }),
  });
  return (await res.json()) as { data?: { __typename?: string } };
}

describe('nodeChanged fan-out to 2,000 subscribers', () => {
  let sim: SimCluster;
  let gateway: SpawnedGateway;

  beforeAll(async () => {
    sim = await startSimCluster({ nodes: CHANGED_NODES + 5, pods: 0, seed: 13 });
    gateway = await spawnGateway(
      [
        '--kubeconfig',
        sim.kubeconfigPath,
        '--max-subscriptions-per-user',
        String(2 * SUBSCRIBERS),
        '--max-subscriptions',
        String(2 * SUBSCRIBERS),
      ],
      { NODE_ENV: 'production' },
      { startTimeoutMs: 60_000 },
    );
  }, 90_000);

  afterAll(async () => {
    gateway?.kill();
    await gateway?.exited;
    await sim?.stop();
  });

  it('answers a query in < 100 ms while a burst is delivered, and every subscriber gets every event', async () => {
    const subscribers = await startSubscribers(gateway.wsUrl);
    await waitForNodeSubscribers(gateway, SUBSCRIBERS, 30_000);
    const delivered = () => subscribers.delivered();
    const expected = SUBSCRIBERS * CHANGED_NODES;
    const names = sim.sim.cluster
      .listNodes()
      .map((n) => n.metadata!.name!)
      .slice(0, CHANGED_NODES);

    // Warm: the timed query is not the first this gateway parses, validates and compiles.
    for (let i = 0; i < 5; i++) expect((await typename(gateway.graphqlUrl)).data?.__typename).toBe('Query');

    // One burst: a label change on each of 100 nodes (different nodes, so nothing merges).
    for (const name of names) {
      sim.sim.cluster.patchNode(name, (n) => {
        n.metadata!.labels = { ...n.metadata!.labels, burst: '1' };
      });
    }
    await waitFor(async () => (await delivered()) > 0, { what: 'the first deliveries of the burst' });
    const sentAt = performance.now();
    const body = await typename(gateway.graphqlUrl);
    const roundTripMs = performance.now() - sentAt;
    const deliveredAtAnswer = await delivered();

    expect(body.data?.__typename).toBe('Query');
    // The burst was still being delivered when the query came back...
    expect(deliveredAtAnswer).toBeLessThan(expected);
    expect(roundTripMs).toBeLessThan(100);
    // ...and it all arrives: every subscriber, every node.
    await waitFor(async () => (await delivered()) === expected, {
      timeoutMs: 60_000,
      what: `${expected} deliveries`,
    });
    await subscribers.stop();
    await waitForNodeSubscribers(gateway, 0, 30_000);
  }, 120_000);
});
