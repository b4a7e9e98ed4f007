import { beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { printDocument } from '../support/graphql-clients.js';
import type { TestGateway } from '../support/start-gateway.js';
import { COUNTDOWN_SUBSCRIPTION, TYPENAME_QUERY } from './test-schema.js';
import { useTransportTestGateway } from './transport-test-gateway.js';

describe('gateway server shell', () => {
  const env = useTransportTestGateway();
  let gateway: TestGateway;
  beforeAll(() => {
    gateway = env.gateway;
  });

  it('answers /healthz with 200 while the process is alive', async () => {
    const res = await fetch(`${gateway.baseUrl}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('answers /readyz 503 naming a failing check, and stops naming it once it passes', async () => {
    let ok = false;
    const unregister = gateway.runtime.services.readiness.register({
      name: 'test-check',
      check: () => (ok ? { ok: true } : { ok: false, reason: 'still warming up' }),
    });
    try {
      const failing = await fetch(`${gateway.baseUrl}/readyz`);
      expect(failing.status).toBe(503);
      const body = (await failing.json()) as { failing: { name: string; reason: string }[] };
      expect(body.failing).toContainEqual({ name: 'test-check', reason: 'still warming up' });
      ok = true;
      const passing = await fetch(`${gateway.baseUrl}/readyz`);
      // This gateway's only cluster is unreachable, which alone keeps it unready (node-caches);
      // test/e2e/honest-status.test.ts shows 200 once a cluster has synced.
      const body2 = (await passing.json()) as { failing: { name: string }[] };
      expect(body2.failing.map((f) => f.name)).toEqual(['node-caches']);
    } finally {
      unregister();
    }
  });

  it('serves Prometheus text on /metrics with gateway metrics', async () => {
    await gateway.query(TYPENAME_QUERY);
    const res = await fetch(`${gateway.baseUrl}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await res.text();
    expect(text).toMatch(/^# TYPE gateway_graphql_operations_total counter$/m);
    expect(text).toMatch(/^gateway_graphql_operations_total\{type="query",outcome="ok"\} [1-9]/m);
    expect(text).toMatch(/^gateway_websocket_connections /m);
  });

  it('answers { __typename } over HTTP POST and GET', async () => {
    expect(await gateway.query(TYPENAME_QUERY)).toEqual({ data: { __typename: 'Query' } });
    const res = await fetch(
      `${gateway.graphqlUrl}?query=${encodeURIComponent(printDocument(TYPENAME_QUERY))}`,
      { headers: { 'x-graphql-csrf-token': '1' } }, // a GET needs a CSRF header (use-csrf-guard.ts)
    );
    expect(await res.json()).toEqual({ data: { __typename: 'Query' } });
  });

  it('streams a subscription over graphql-ws to completion', async () => {
    const sub = gateway.subscribe(COUNTDOWN_SUBSCRIPTION, { from: 3 });
    await sub.done;
    expect(sub.received.map((r) => r.data?.countdown)).toEqual([3, 2, 1, 0]);
  });

  it('streams a subscription over SSE to completion', async () => {
    const sub = gateway.subscribeSse(COUNTDOWN_SUBSCRIPTION, { from: 2 });
    await sub.done;
    expect(sub.received.map((r) => r.data?.countdown)).toEqual([2, 1, 0]);
  });

  it('answers a syntax error over graphql-ws with an error message on the same open socket', async () => {
    const socket = new WebSocket(gateway.wsUrl, 'graphql-transport-ws');
    const messages: { id?: string; type: string; payload?: unknown }[] = [];
    let wake = () => {};
    socket.on('message', (data) => {
      messages.push(JSON.parse(data.toString()));
      wake();
    });
    const closed = new Promise<number>((resolve) => socket.once('close', resolve));
    const until = async (pred: () => boolean) => {
      while (!pred()) await new Promise<void>((resolve) => (wake = resolve));
    };
    await new Promise((resolve) => socket.once('open', resolve));
    socket.send(JSON.stringify({ type: 'connection_init' }));
    await until(() => messages.some((m) => m.type === 'connection_ack'));
    socket.send(
      JSON.stringify({ id: 'bad', type: 'subscribe', payload: { query: 'subscription { countdown(from: ' } }),
    );
    await until(() => messages.some((m) => m.id === 'bad'));
    socket.send(
      JSON.stringify({
        id: 'good',
        type: 'subscribe',
        payload: { query: printDocument(COUNTDOWN_SUBSCRIPTION), variables: { from: 1 } },
      }),
    );
    await until(() => messages.some((m) => m.id === 'good' && m.type === 'complete'));
    expect(messages.find((m) => m.id === 'bad')).toMatchObject({
      type: 'error',
      payload: [{ message: expect.stringMatching(/Syntax Error/) }],
    });
    expect(messages.filter((m) => m.id === 'good').map((m) => m.type)).toEqual(['next', 'next', 'complete']);
    expect(socket.readyState).toBe(WebSocket.OPEN);
    socket.close();
    await closed;
  });

  it('refuses a WebSocket upgrade from a foreign Origin and accepts its own', async () => {
    const status = (origin: string) =>
      new Promise<number>((resolve) => {
        const socket = new WebSocket(gateway.wsUrl, 'graphql-transport-ws', { headers: { origin } });
        socket.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        socket.once('open', () => {
          socket.close();
          resolve(101);
        });
      });
    expect(await status('https://evil.example')).toBe(403);
    expect(await status(gateway.baseUrl)).toBe(101);
  });

  it('rejects a WebSocket message larger than the payload limit by closing with 1009', async () => {
    const code = await new Promise<number>((resolve) => {
      const socket = new WebSocket(gateway.wsUrl, 'graphql-transport-ws');
      socket.once('open', () => socket.send('x'.repeat(2 * 1024 * 1024)));
      socket.once('close', (c) => resolve(c));
    });
    expect(code).toBe(1009);
  });
});
