import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { SimulatorHandle } from '../../src/sim/index.js';
import { errorCodeOf, type RawResponse, rawRequest, trickle } from '../server/raw-http.js';
import { createWsClient, subscribeWs } from '../support/graphql-clients.js';
import { type SimCluster, startGateway, startSimCluster, type TestGateway } from './harness.js';
import { waitForNodeSubscribers } from './nodes-helpers.js';
import { UNCORDON_NODE } from './operations/drain.js';
import { NODE_CHANGED_SUBSCRIPTION, NODE_NAMES_QUERY } from './operations/nodes.js';

const EVIL = 'https://evil.example';
const PORTAL = 'https://portal.example.com';
const HEADERS_TIMEOUT_MS = 1500;
const REQUEST_TIMEOUT_MS = 3000;

/** Writes the gateway sent about one node: the proof that a refused mutation did nothing. */
function nodeWrites(sim: SimulatorHandle, node: string): string[] {
  return sim.audit
    .entries()
    .filter((e) => e.verb !== 'get' && e.verb !== 'list' && e.verb !== 'watch')
    .filter((e) => (e.resource === 'nodes' && e.name === node) || e.subresource === 'eviction')
    .map((e) => `${e.verb} ${e.resource} ${e.name ?? ''}`);
}

function multipart(fields: Record<string, string>): { contentType: string; body: string } {
  const boundary = '----kng-cross-site';
  const parts = Object.entries(fields).map(
    ([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
  );
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    body: `${parts.join('')}--${boundary}--\r\n`,
  };
}

/** The hostile bodies: each is what a plain HTML form (or fetch without preflight) can send. */
function formBodies(node: string): { name: string; contentType: string; body: string }[] {
  const cordon = `mutation { cordonNode(name: "${node}") { name schedulable } }`;
  const drain = `mutation { drainNode(name: "${node}", options: { force: true }) { id } }`;
  const parts = multipart({ operations: JSON.stringify({ query: drain }), map: '{}' });
  return [
    {
      name: 'form-urlencoded cordonNode',
      contentType: 'application/x-www-form-urlencoded',
      body: `query=${encodeURIComponent(cordon)}`,
    },
    {
      name: 'form-urlencoded drainNode',
      contentType: 'application/x-www-form-urlencoded',
      body: `query=${encodeURIComponent(drain)}`,
    },
    { name: 'multipart drainNode', ...parts },
    {
      name: 'text/plain cordonNode',
      contentType: 'text/plain;charset=UTF-8',
      body: JSON.stringify({ query: cordon }),
    },
  ];
}

function wsUpgradeStatus(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, 'graphql-transport-ws', { headers });
    socket.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    socket.once('error', reject);
    socket.once('open', () => {
      socket.close();
      resolve(101);
    });
  });
}

describe('cross-site requests against a listening gateway (simulator)', () => {
  let cluster: SimCluster;
  let gateway: TestGateway;
  let node: string;
  /** The gateway's own origin, as a page it served (GraphiQL) sends it. */
  let ownOrigin: string;

  beforeAll(async () => {
    cluster = await startSimCluster({ nodes: 4, pods: 24, seed: 11 });
    gateway = await startGateway({
      kubeconfigPath: cluster.kubeconfigPath,
      config: {
        allowedOrigins: [PORTAL],
        publicUrls: ['https://gw.example.com'],
        headersTimeoutMs: HEADERS_TIMEOUT_MS,
        requestTimeoutMs: REQUEST_TIMEOUT_MS,
      },
    });
    node = cluster.sim.cluster.findWorkerNode();
    ownOrigin = gateway.baseUrl;
  });
  afterAll(async () => {
    await gateway?.stop();
    await cluster?.stop();
  });

  describe('a form or text POST never runs a mutation', () => {
    for (const origin of [EVIL, undefined]) {
      it(`refuses form, multipart and text/plain cordonNode/drainNode ${origin ? `from Origin ${origin}` : 'without Origin'}; the node is untouched`, async () => {
        for (const form of formBodies(node)) {
          const res = await rawRequest(gateway.graphqlUrl, {
            method: 'POST',
            headers: { 'content-type': form.contentType, ...(origin ? { origin } : {}) },
            body: form.body,
          });
          // A foreign Origin is refused first (403); a form without Origin is not JSON (415).
          expect({ form: form.name, status: res.status, code: errorCodeOf(res) }).toEqual({
            form: form.name,
            status: origin ? 403 : 415,
            code: origin ? 'FORBIDDEN' : 'UNSUPPORTED_MEDIA_TYPE',
          });
          expect(res.headers['access-control-allow-origin']).toBeUndefined();
        }
        // kubectl get node -o jsonpath='{.spec.unschedulable}' prints nothing: still schedulable.
        expect(cluster.sim.cluster.getNode(node)?.spec?.unschedulable).toBeFalsy();
        expect(nodeWrites(cluster.sim, node)).toEqual([]);
      });
    }

    it('refuses a mutation over GET (405), even with a CSRF header', async () => {
      const query = `mutation { cordonNode(name: "${node}") { name } }`;
      const res = await rawRequest(`${gateway.graphqlUrl}?query=${encodeURIComponent(query)}`, {
        headers: { 'x-graphql-csrf-token': '1', accept: 'application/json' },
      });
      expect(res.status).toBe(405);
      expect(cluster.sim.cluster.getNode(node)?.spec?.unschedulable).toBeFalsy();
      expect(nodeWrites(cluster.sim, node)).toEqual([]);
    });

    it('asks a GET query for a CSRF header unless the browser proves the request is same-origin', async () => {
      const url = `${gateway.graphqlUrl}?query=${encodeURIComponent('{ __typename }')}`;
      const bare = await rawRequest(url);
      expect([bare.status, errorCodeOf(bare)]).toEqual([403, 'FORBIDDEN']);
      const proofs: Record<string, string>[] = [
        { 'x-graphql-csrf-token': '1' },
        { 'apollo-require-preflight': 'true' },
        { 'sec-fetch-site': 'same-origin' },
        { origin: ownOrigin },
      ];
      for (const headers of proofs) {
        const res = await rawRequest(url, { headers });
        expect({ headers, status: res.status, body: JSON.parse(res.body) }).toEqual({
          headers,
          status: 200,
          body: { data: { __typename: 'Query' } },
        });
      }
    });

    it('still runs a JSON mutation from the same origin (GraphiQL) and from a non-browser client', async () => {
      const other = cluster.sim.cluster.findWorkerNode({ exclude: [node] });
      const query = `mutation { cordonNode(name: "${other}") { name schedulable } }`;
      const fromGraphiql = await rawRequest(gateway.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: ownOrigin },
        body: JSON.stringify({ query }),
      });
      expect(JSON.parse(fromGraphiql.body)).toEqual({
        data: { cordonNode: { name: other, schedulable: false } },
      });
      expect(fromGraphiql.headers['access-control-allow-origin']).toBeUndefined();
      const uncordon = await gateway.query(UNCORDON_NODE, { name: other });
      expect(uncordon).toEqual({
        data: { uncordonNode: { name: other, schedulable: true, status: expect.any(String) } },
      });
    });
  });

  describe('CORS answers only the allowlist', () => {
    const preflight = (origin: string) =>
      rawRequest(gateway.graphqlUrl, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type',
        },
      });

    it('gives a foreign preflight no access-control-allow-origin', async () => {
      const res = await preflight(EVIL);
      expect(res.status).toBe(403);
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
      expect(res.headers['access-control-allow-credentials']).toBeUndefined();
    });

    it('gives a listed origin its own origin back, with credentials, varying by Origin', async () => {
      const res = await preflight(PORTAL);
      expect(res.status).toBe(204);
      expect(res.headers).toMatchObject({
        'access-control-allow-origin': PORTAL,
        'access-control-allow-credentials': 'true',
        'access-control-allow-methods': 'GET, POST',
        'access-control-allow-headers': 'content-type',
      });
      expect(res.headers.vary).toMatch(/\bOrigin\b/i);
      const answer = await rawRequest(gateway.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: PORTAL },
        body: JSON.stringify({ query: '{ __typename }' }),
      });
      expect(JSON.parse(answer.body)).toEqual({ data: { __typename: 'Query' } });
      expect(answer.headers['access-control-allow-origin']).toBe(PORTAL);
      expect(answer.headers['access-control-allow-credentials']).toBe('true');
    });

    it('refuses a foreign Origin on a JSON POST and on a WebSocket upgrade alike', async () => {
      const res = await rawRequest(gateway.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: EVIL },
        body: JSON.stringify({ query: '{ __typename }' }),
      });
      expect([res.status, errorCodeOf(res)]).toEqual([403, 'FORBIDDEN']);
      expect(await wsUpgradeStatus(gateway.wsUrl, { origin: EVIL })).toBe(403);
      expect(await wsUpgradeStatus(gateway.wsUrl, { origin: PORTAL })).toBe(101);
    });
  });

  describe('the Host header must name this gateway (DNS rebinding)', () => {
    it('refuses a foreign Host with 421 on every path, even with a matching Origin', async () => {
      for (const path of ['/graphql', '/healthz', '/metrics']) {
        const res = await rawRequest(`${gateway.baseUrl}${path}`, {
          method: path === '/graphql' ? 'POST' : 'GET',
          headers: {
            host: 'evil.example:4000',
            origin: 'http://evil.example:4000',
            'content-type': 'application/json',
          },
          body:
            path === '/graphql'
              ? JSON.stringify({ query: `mutation { cordonNode(name: "${node}") { name } }` })
              : undefined,
        });
        expect({ path, status: res.status, code: errorCodeOf(res) }).toEqual({
          path,
          status: 421,
          code: 'MISDIRECTED_REQUEST',
        });
      }
      expect(nodeWrites(cluster.sim, node)).toEqual([]);
    });

    it('refuses a WebSocket upgrade with a foreign Host with 421', async () => {
      expect(
        await wsUpgradeStatus(gateway.wsUrl, { host: 'evil.example', origin: 'http://evil.example' }),
      ).toBe(421);
    });

    it('accepts a --public-url host, localhost and IP literals (kubelet probes send the pod IP)', async () => {
      const port = new URL(gateway.baseUrl).port;
      for (const host of [
        'gw.example.com',
        'GW.example.com.',
        `localhost:${port}`,
        '10.244.1.7:4000',
        '[::1]:8080',
      ]) {
        const res = await rawRequest(`${gateway.baseUrl}/readyz`, { headers: { host } });
        expect({ host, status: res.status }).toEqual({ host, status: 200 });
      }
      const viaPublic = await rawRequest(gateway.graphqlUrl, {
        method: 'POST',
        headers: {
          host: 'gw.example.com',
          origin: 'https://gw.example.com',
          'content-type': 'application/json',
        },
        body: JSON.stringify({ query: '{ __typename }' }),
      });
      expect(JSON.parse(viaPublic.body)).toEqual({ data: { __typename: 'Query' } });
      expect(
        await wsUpgradeStatus(gateway.wsUrl, { host: 'gw.example.com', origin: 'https://gw.example.com' }),
      ).toBe(101);
    });
  });

  describe('slow clients are cut; long answers are not', () => {
    it(`disconnects a client that sends its headers one byte per second within the ${HEADERS_TIMEOUT_MS} ms headers timeout`, async () => {
      const headers = `Host: localhost\r\nX-Padding: ${'a'.repeat(40)}\r\n\r\n`;
      const result = await trickle(gateway.baseUrl, 'GET /healthz HTTP/1.1\r\n', headers, 1000);
      expect(result.bytesSent).toBeLessThan('GET /healthz HTTP/1.1\r\n'.length + headers.length);
      // The deadline, plus node's check interval (a quarter of it), plus scheduling slack.
      expect(result.elapsedMs).toBeLessThan(HEADERS_TIMEOUT_MS * 1.25 + 1000);
      expect(result.elapsedMs).toBeGreaterThanOrEqual(HEADERS_TIMEOUT_MS - 50);
      expect(result.reply).toMatch(/^HTTP\/1\.1 408 /);
    });

    it('cuts a request whose body trickles past the request timeout, while SSE and WebSocket subscriptions opened before it live on', async () => {
      const watched = cluster.sim.cluster.findWorkerNode({ exclude: [node] });
      const ws = createWsClient(gateway.wsUrl);
      const overWs = subscribeWs(ws, NODE_CHANGED_SUBSCRIPTION, { names: [watched] });
      const overSse = gateway.subscribeSse(NODE_CHANGED_SUBSCRIPTION, { names: [watched] });
      await waitForNodeSubscribers(gateway, 2);
      const head =
        'POST /graphql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n';
      const slowBody = await trickle(gateway.baseUrl, head, ' '.repeat(200), 200);
      expect(slowBody.reply).toMatch(/^HTTP\/1\.1 408 /);
      expect(slowBody.elapsedMs).toBeLessThan(REQUEST_TIMEOUT_MS * 1.25 + 1000);
      // Both streams have lived past the request timeout; a change still reaches them.
      cluster.sim.cluster.patchNode(watched, (n) => {
        n.metadata!.labels = { ...n.metadata!.labels, 'cross-site': 'still-streaming' };
      });
      const [a, b] = await Promise.all([overWs.next(5000), overSse.next(5000)]);
      expect(a.data?.nodeChanged).toMatchObject({ name: watched, changes: ['LABELS'] });
      expect(b.data?.nodeChanged).toMatchObject({ name: watched, changes: ['LABELS'] });
      overWs.close();
      overSse.close();
      await ws.dispose();
    });
  });

  describe('what the README and GraphiQL rely on keeps working', () => {
    it('renders GraphiQL for a browser GET and answers its JSON POSTs', async () => {
      const page = await rawRequest(gateway.graphqlUrl, { headers: { accept: 'text/html' } });
      expect(page.status).toBe(200);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect(page.body).toContain('kube-node-gateway');
      const answer = await gateway.query(NODE_NAMES_QUERY, { first: 2 });
      expect(answer.errors).toBeUndefined();
      expect(answer.data?.nodes?.nodes).toHaveLength(2);
    });

    it('keeps its own requests (Origin of its own pages, no CORS headers needed) and its SSE POSTs', async () => {
      const res: RawResponse = await rawRequest(gateway.graphqlUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/json; charset=utf-8',
          origin: ownOrigin,
          accept: 'application/graphql-response+json',
        },
        body: JSON.stringify({ query: '{ __typename }' }),
      });
      expect([res.status, JSON.parse(res.body)]).toEqual([200, { data: { __typename: 'Query' } }]);
    });
  });
});

describe("--allowed-origin '*': any origin, never with credentials", () => {
  let cluster: SimCluster;
  let gateway: TestGateway;
  beforeAll(async () => {
    cluster = await startSimCluster({ nodes: 2, pods: 4, seed: 12 });
    gateway = await startGateway({
      kubeconfigPath: cluster.kubeconfigPath,
      config: { allowedOrigins: ['*'] },
    });
  });
  afterAll(async () => {
    await gateway?.stop();
    await cluster?.stop();
  });

  it('answers any origin with access-control-allow-origin: * and no credentials', async () => {
    const res = await rawRequest(gateway.graphqlUrl, {
      method: 'OPTIONS',
      headers: { origin: EVIL, 'access-control-request-method': 'POST' },
    });
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['access-control-allow-credentials']).toBeUndefined();
    const answer = await rawRequest(gateway.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: EVIL },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(JSON.parse(answer.body)).toEqual({ data: { __typename: 'Query' } });
    expect(answer.headers['access-control-allow-origin']).toBe('*');
    expect(answer.headers['access-control-allow-credentials']).toBeUndefined();
  });
});
