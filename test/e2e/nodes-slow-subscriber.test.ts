import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { printDocument } from '../support/graphql-clients.js';
import { waitFor } from '../support/wait-for.js';
import { type SimCluster, startGateway, startSimCluster, type TestGateway } from './harness.js';
import { nodeSubscribers, waitForClusterStatus, waitForNodeSubscribers } from './nodes-helpers.js';
import { NODE_CHANGED_FULL_SUBSCRIPTION, NODE_CHANGED_SUBSCRIPTION } from './operations/nodes.js';

const QUEUE_LIMIT = 20;

interface WsMessage {
  type: string;
  id?: string;
  payload?: { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] };
}

/** A graphql-ws client that subscribes, then stops reading its socket. */
async function openSilentSubscriber(wsUrl: string): Promise<{ ws: WebSocket; messages: WsMessage[] }> {
  const ws = new WebSocket(wsUrl, 'graphql-transport-ws');
  const messages: WsMessage[] = [];
  ws.on('message', (data) => messages.push(JSON.parse(String(data)) as WsMessage));
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  ws.send(JSON.stringify({ type: 'connection_init' }));
  await waitFor(() => messages.some((m) => m.type === 'connection_ack'), { what: 'connection_ack' });
  ws.send(
    JSON.stringify({
      id: 'slow',
      type: 'subscribe',
      payload: { query: printDocument(NODE_CHANGED_FULL_SUBSCRIPTION) },
    }),
  );
  return { ws, messages };
}

/** An SSE subscription whose response is never read after the headers. */
function openSilentSseSubscriber(
  graphqlUrl: string,
): Promise<{ res: http.IncomingMessage; text: () => Promise<string> }> {
  return new Promise((resolve, reject) => {
    const req = http.request(graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
    });
    req.on('error', reject);
    req.on('response', (res) => {
      res.pause();
      const text = async () => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          body += c;
        });
        res.resume();
        await new Promise((r) => res.once('end', r));
        return body;
      };
      resolve({ res, text });
    });
    req.end(JSON.stringify({ query: printDocument(NODE_CHANGED_FULL_SUBSCRIPTION) }));
  });
}

describe('a subscriber that never reads', () => {
  let sim: SimCluster;
  let gateway: TestGateway;
  let nodes: string[];

  beforeAll(async () => {
    sim = await startSimCluster({ nodes: 30, pods: 0, seed: 51 });
    gateway = await startGateway({
      kubeconfigPath: sim.kubeconfigPath,
      config: { subscriberQueueLimit: QUEUE_LIMIT },
    });
    await waitForClusterStatus(gateway, 'READY');
    nodes = sim.sim.cluster.listNodes().map((n) => n.metadata!.name!);
  });

  afterAll(async () => {
    await gateway?.stop();
    await sim?.stop();
  });

  it('is closed with a clear error while others keep their latency, and its memory is released', async () => {
    const slow = await openSilentSubscriber(gateway.wsUrl);
    const fast = gateway.subscribe(NODE_CHANGED_SUBSCRIPTION, { names: [nodes[0]!] });
    await waitForNodeSubscribers(gateway, 2);
    slow.ws.pause();

    // ~9 KB per event for the slow reader: the socket buffers fill, then its queue, then it overflows.
    const blob = 'x'.repeat(8192);
    let fastLatencies: number[] = [];
    const deadline = Date.now() + 30_000;
    for (let round = 0; (await nodeSubscribers(gateway)) > 1 && Date.now() < deadline; round++) {
      for (const name of nodes.slice(1)) {
        sim.sim.cluster.patchNode(name, (n) => {
          n.metadata!.annotations!.blob = `${round}${blob}`;
        });
      }
      const sentAt = Date.now();
      sim.sim.cluster.patchNode(nodes[0]!, (n) => {
        n.metadata!.labels!.round = String(round);
      });
      const event = await fast.next(1000);
      expect(event.data!.nodeChanged).toMatchObject({ name: nodes[0], changes: ['LABELS'] });
      fastLatencies.push(Date.now() - sentAt);
    }
    expect(await nodeSubscribers(gateway)).toBe(1);
    fastLatencies = fastLatencies.sort((a, b) => a - b);
    expect(fastLatencies[fastLatencies.length - 1]).toBeLessThan(1000);

    const metrics = await (await fetch(`${gateway.baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/^gateway_node_subscribers_closed_slow_total 1$/m);
    expect(metrics).toMatch(/^gateway_node_subscribers 1$/m);

    // Reading again, the slow client gets what was already on the wire, then the error and the end.
    slow.ws.resume();
    await waitFor(() => slow.messages.some((m) => m.type === 'complete'), {
      timeoutMs: 10_000,
      what: 'complete',
    });
    const last = slow.messages.filter((m) => m.type === 'next').at(-1)!;
    expect(last.payload?.errors?.[0]?.extensions?.code).toBe('SUBSCRIBER_TOO_SLOW');
    expect(last.payload?.errors?.[0]?.message).toMatch(
      /subscriber too slow: more than 20 events were pending/,
    );
    slow.ws.close();
    fast.close();
  }, 60_000);

  it('over SSE too, is closed with the same error once its stream backs up', async () => {
    await waitForNodeSubscribers(gateway, 0); // the first test's subscriptions are gone
    const slow = await openSilentSseSubscriber(gateway.graphqlUrl);
    await waitForNodeSubscribers(gateway, 1);
    const blob = 'y'.repeat(8192);
    const deadline = Date.now() + 30_000;
    for (let round = 0; (await nodeSubscribers(gateway)) > 0 && Date.now() < deadline; round++) {
      for (const name of nodes) {
        sim.sim.cluster.patchNode(name, (n) => {
          n.metadata!.annotations!.blob = `${round}${blob}`;
        });
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(await nodeSubscribers(gateway)).toBe(0);
    const body = await slow.text();
    expect(body).toMatch(/SUBSCRIBER_TOO_SLOW/);
    expect(body).toMatch(/event: complete/);
  }, 60_000);
});
