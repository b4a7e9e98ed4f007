import { spawnSync } from 'node:child_process';
import { Writable } from 'node:stream';
import { createClient } from 'graphql-ws';
import { createSchema } from 'graphql-yoga';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createAuthenticator } from '../../src/auth/create-authenticator.js';
import type { TokenReviewer } from '../../src/auth/token-review-authenticator.js';
import { DEFAULT_CONFIG, type GatewayConfig } from '../../src/config/gateway-config.js';
import { createLogger } from '../../src/platform/logger.js';
import { GatewayMetrics } from '../../src/platform/metrics.js';
import { buildSchema } from '../../src/schema/index.js';
import type { GatewayContext } from '../../src/server/context.js';
import { createGatewayRuntime } from '../../src/server/gateway-runtime.js';
import { createGatewayServer } from '../../src/server/gateway-server.js';
import { startTestIssuer, TEST_CLIENT_ID, type TestIssuer } from '../auth/test-issuer.js';
import { printDocument } from '../support/graphql-clients.js';
import { waitFor } from '../support/wait-for.js';
import { type SimCluster, startGateway, startSimCluster, type TestGateway } from './harness.js';
import { NODE_CHANGED_SUBSCRIPTION, NODE_NAMES_QUERY } from './operations/nodes.js';

const REPO_ROOT = new URL('../../', import.meta.url).pathname;
const NODES = printDocument(NODE_NAMES_QUERY);
const NODE_CHANGED = printDocument(NODE_CHANGED_SUBSCRIPTION);

interface HttpAnswer {
  status: number;
  headers: Headers;
  body: { data?: { nodes?: { totalCount?: number } } | null; errors?: { extensions?: { code?: string } }[] };
}

async function post(url: string, query: string, headers: Record<string, string> = {}): Promise<HttpAnswer> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
    body: JSON.stringify({ query, variables: { first: 5 } }),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as HttpAnswer['body'] };
}

/** Every SSE data payload until the server ends the stream (or the HTTP answer when it is not a stream). */
async function sseUntilEnd(url: string, query: string, headers: Record<string, string> = {}) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...headers },
    body: JSON.stringify({ query }),
  });
  if (!res.headers.get('content-type')?.includes('text/event-stream'))
    return { status: res.status, headers: res.headers, events: [await res.json()] as HttpAnswer['body'][] };
  const text = await res.text();
  const events = text
    .split('\n\n')
    .flatMap((block) =>
      block
        .split('\n')
        .filter((l) => l.startsWith('data:'))
        .map((l) => l.slice(5).trim()),
    )
    .filter((data) => data.length > 0)
    .map((data) => JSON.parse(data) as HttpAnswer['body']);
  return { status: res.status, headers: res.headers, events };
}

/** A graphql-ws client with these connection_init params; `closed` resolves with the close code. */
function wsClient(wsUrl: string, connectionParams?: Record<string, unknown>) {
  let onClosed!: (code: number) => void;
  const closed = new Promise<number>((resolve) => {
    onClosed = resolve;
  });
  const client = createClient({
    url: wsUrl,
    webSocketImpl: WebSocket,
    connectionParams,
    retryAttempts: 0,
    lazy: true,
    on: { closed: (event) => onClosed((event as { code: number }).code) },
  });
  const run = (query: string) =>
    new Promise<HttpAnswer['body'][]>((resolve, reject) => {
      const results: HttpAnswer['body'][] = [];
      client.subscribe(
        { query, variables: { first: 5 } },
        {
          next: (value) => results.push(value as HttpAnswer['body']),
          error: reject,
          complete: () => resolve(results),
        },
      );
    });
  return { client, closed, run };
}

describe('authentication (--auth oidc) through a listening gateway', () => {
  let sim: SimCluster;
  let issuer: TestIssuer;
  let gateway: TestGateway;
  let bearer: (
    claims?: Record<string, unknown>,
    expiresInSeconds?: number,
  ) => Promise<Record<string, string>>;

  beforeAll(async () => {
    sim = await startSimCluster({ nodes: 3, pods: 0, seed: 7 });
    issuer = await startTestIssuer();
    gateway = await startGateway({
      kubeconfigPath: sim.kubeconfigPath,
      config: {
        auth: { ...DEFAULT_CONFIG.auth, mode: 'oidc' },
        oidc: { ...DEFAULT_CONFIG.oidc, issuerUrl: issuer.url, clientId: TEST_CLIENT_ID },
      },
    });
    bearer = async (claims = { sub: 'alice' }, expiresInSeconds = 300) => ({
      authorization: `Bearer ${await issuer.sign(claims, { expiresInSeconds })}`,
    });
    const headers = await bearer();
    await waitFor(
      async () => (await post(gateway.graphqlUrl, NODES, headers)).body.data?.nodes?.totalCount === 3,
      {
        what: 'the nodes of the simulated cluster',
      },
    );
  });

  afterAll(async () => {
    await gateway?.stop();
    await issuer?.stop();
    await sim?.stop();
  });

  it('answers nodes to a good token', async () => {
    const answer = await post(gateway.graphqlUrl, NODES, await bearer());
    expect(answer.status).toBe(200);
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data?.nodes?.totalCount).toBe(3);
  });

  it.each<[string, () => Promise<Record<string, string>>]>([
    ['no token', async () => ({})],
    ['Basic credentials', async () => ({ authorization: 'Basic YWxpY2U6c2VjcmV0' })],
    ['a token from nobody', async () => ({ authorization: 'Bearer aaaa.bbbb.cccc' })],
    ['an expired token', () => bearer({ sub: 'alice' }, -60)],
  ])('answers %s over HTTP with 401, WWW-Authenticate: Bearer and UNAUTHENTICATED', async (_, headers) => {
    const answer = await post(gateway.graphqlUrl, NODES, await headers());
    expect(answer.status).toBe(401);
    expect(answer.headers.get('www-authenticate')).toBe('Bearer');
    expect(answer.body.data).toBeUndefined();
    expect(answer.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('answers an SSE subscription without a token with 401 and UNAUTHENTICATED', async () => {
    const answer = await sseUntilEnd(gateway.graphqlUrl, NODE_CHANGED);
    expect(answer.status).toBe(401);
    expect(answer.headers.get('www-authenticate')).toBe('Bearer');
    expect(answer.events[0]?.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('keeps /healthz, /readyz, /metrics and the GraphiQL page reachable without a token', async () => {
    for (const path of ['/healthz', '/readyz', '/metrics'])
      expect((await fetch(`${gateway.baseUrl}${path}`)).status, path).toBe(200);
    const page = await fetch(gateway.graphqlUrl, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<html/i);
  });

  it.each<[string, Record<string, unknown> | undefined]>([
    ['no connection_init payload', undefined],
    ['a payload without authorization', { other: 'x' }],
    ['a token from nobody', { authorization: 'Bearer aaaa.bbbb.cccc' }],
  ])('closes a graphql-ws connection with %s with 4401', async (_, params) => {
    const ws = wsClient(gateway.wsUrl, params);
    await expect(ws.run(NODES)).rejects.toBeDefined();
    expect(await ws.closed).toBe(4401);
  });

  it.each(['authorization', 'Authorization'])(
    'answers nodes over graphql-ws to a token in %s',
    async (key) => {
      const ws = wsClient(gateway.wsUrl, { [key]: (await bearer()).authorization });
      const [result] = await ws.run(NODES);
      expect(result?.data?.nodes?.totalCount).toBe(3);
      await ws.client.dispose();
    },
  );

  it('closes a graphql-ws socket with 4401 when its token expires, ending its subscription', async () => {
    const token = await issuer.sign({ sub: 'alice' }, { expiresInSeconds: 2 });
    const expiresAt = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).exp * 1000;
    const ws = wsClient(gateway.wsUrl, { authorization: `Bearer ${token}` });
    const subscription = ws.run(NODE_CHANGED);
    subscription.catch(() => {});
    const code = await ws.closed;
    expect(code).toBe(4401);
    expect(Date.now()).toBeGreaterThanOrEqual(expiresAt - 50);
    await expect(subscription).rejects.toBeDefined();
  });

  it('ends an SSE subscription with an UNAUTHENTICATED event when its token expires', async () => {
    const token = await issuer.sign({ sub: 'alice' }, { expiresInSeconds: 2 });
    const expiresAt = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).exp * 1000;
    const answer = await sseUntilEnd(gateway.graphqlUrl, NODE_CHANGED, { authorization: `Bearer ${token}` });
    expect(answer.status).toBe(200);
    expect(Date.now()).toBeGreaterThanOrEqual(expiresAt - 50);
    expect(answer.events.at(-1)?.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('the authenticated caller in every GraphQL context', () => {
  const WHOAMI = '{ whoami }';
  let sim: SimCluster;
  let issuer: TestIssuer;
  let gateway: TestGateway;

  beforeAll(async () => {
    sim = await startSimCluster({ nodes: 1, pods: 0, seed: 9 });
    issuer = await startTestIssuer();
    gateway = await startGateway({
      kubeconfigPath: sim.kubeconfigPath,
      config: {
        auth: { ...DEFAULT_CONFIG.auth, mode: 'oidc' },
        oidc: {
          ...DEFAULT_CONFIG.oidc,
          issuerUrl: issuer.url,
          clientId: TEST_CLIENT_ID,
          usernamePrefix: 'oidc:',
          groupsClaim: 'groups',
        },
      },
      schema: createSchema<GatewayContext>({
        typeDefs: 'type Query { whoami: String! }',
        resolvers: {
          Query: {
            whoami: (_: unknown, __: unknown, ctx: GatewayContext) =>
              `${ctx.caller.username} [${ctx.caller.groups.join(',')}] anonymous=${ctx.caller.anonymous}`,
          },
        },
      }),
    });
  });

  afterAll(async () => {
    await gateway?.stop();
    await issuer?.stop();
    await sim?.stop();
  });

  it('is the token holder over HTTP and over graphql-ws', async () => {
    const token = await issuer.sign({ sub: 'bob', groups: ['ops'] });
    const http = await post(gateway.graphqlUrl, WHOAMI, { authorization: `Bearer ${token}` });
    expect(http.body).toEqual({ data: { whoami: 'oidc:bob [ops] anonymous=false' } });
    const ws = wsClient(gateway.wsUrl, { authorization: `Bearer ${token}` });
    expect(await ws.run(WHOAMI)).toEqual([{ data: { whoami: 'oidc:bob [ops] anonymous=false' } }]);
    await ws.client.dispose();
  });

  it("is never one request's caller in another's context", async () => {
    const [a, b] = await Promise.all(
      ['carol', 'dave'].map(async (sub) =>
        post(gateway.graphqlUrl, WHOAMI, { authorization: `Bearer ${await issuer.sign({ sub })}` }),
      ),
    );
    expect([a?.body.data, b?.body.data]).toEqual([
      { whoami: 'oidc:carol [] anonymous=false' },
      { whoami: 'oidc:dave [] anonymous=false' },
    ]);
  });
});

describe('authentication (--auth kubernetes) with a fake TokenReview API', () => {
  const GOOD = 'good-token-4b1d7e0c9a';
  const BAD = 'bad-token-77f0aa31c2';
  const DOWN = 'down-token-5e2c91ab08';
  let sim: SimCluster;
  let url: string;
  let stop: () => Promise<void>;
  const reviews: string[] = [];
  const logged: string[] = [];

  beforeAll(async () => {
    sim = await startSimCluster({ nodes: 2, pods: 0, seed: 8 });
    const config: GatewayConfig = {
      ...DEFAULT_CONFIG,
      port: 0,
      logLevel: 'trace',
      kubeconfigPaths: [sim.kubeconfigPath],
      shutdownTimeoutMs: 2000,
      auth: { ...DEFAULT_CONFIG.auth, mode: 'kubernetes' },
    };
    const capture = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        logged.push(chunk.toString());
        callback();
      },
    });
    const logger = createLogger('trace', capture);
    const runtime = createGatewayRuntime(
      config,
      logger,
      new GatewayMetrics({ collectProcessMetrics: false }),
    );
    await runtime.start();
    const reviewer: TokenReviewer = {
      async review(token) {
        reviews.push(token);
        if (token === DOWN) throw new Error('connect ECONNREFUSED 127.0.0.1:6443');
        return token === GOOD
          ? { authenticated: true, user: { username: 'alice', uid: 'u-1', groups: ['system:authenticated'] } }
          : { authenticated: false, error: 'invalid bearer token' };
      },
    };
    const server = createGatewayServer({
      schema: buildSchema(),
      services: runtime.services,
      authenticator: createAuthenticator(config, runtime.services.clusters, { tokenReviewer: reviewer }),
    });
    url = `${await server.listen()}/graphql`;
    stop = async () => {
      await server.close();
      await runtime.stop();
    };
  });

  afterAll(async () => {
    await stop?.();
    await sim?.stop();
  });

  it('authenticates through TokenReview, once per token within the cache TTL', async () => {
    const headers = { authorization: `Bearer ${GOOD}` };
    await waitFor(async () => (await post(url, NODES, headers)).body.data?.nodes?.totalCount === 2);
    await post(url, NODES, headers);
    expect(reviews.filter((t) => t === GOOD)).toHaveLength(1);
  });

  it('refuses a token TokenReview does not authenticate with 401, and asks again only after the failure TTL', async () => {
    for (let i = 0; i < 3; i++) {
      const answer = await post(url, NODES, { authorization: `Bearer ${BAD}` });
      expect(answer.status).toBe(401);
      expect(answer.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    }
    expect(reviews.filter((t) => t === BAD)).toHaveLength(1);
  });

  it('answers 503 UPSTREAM_UNAVAILABLE, not 401, when TokenReview cannot be made', async () => {
    const answer = await post(url, NODES, { authorization: `Bearer ${DOWN}` });
    expect(answer.status).toBe(503);
    expect(answer.headers.get('www-authenticate')).toBeNull();
    expect(answer.body.errors?.[0]?.extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
  });

  it('never writes a token to the log or to /metrics', async () => {
    for (const token of [GOOD, BAD, DOWN]) await post(url, NODES, { authorization: `Bearer ${token}` });
    const ws = wsClient(url.replace(/^http/, 'ws'), { authorization: `Bearer ${BAD}` });
    await expect(ws.run(NODES)).rejects.toBeDefined();
    expect(await ws.closed).toBe(4401);
    const metrics = await (await fetch(url.replace(/\/graphql$/, '/metrics'))).text();
    const log = logged.join('');
    expect(log).toMatch(/authentication refused/); // the refusals were logged...
    for (const token of [GOOD, BAD, DOWN]) {
      expect(log).not.toContain(token); // ...without their tokens
      expect(metrics).not.toContain(token);
    }
  });
});

describe('kube-node-gateway serve refuses unsafe authentication settings', () => {
  const serve = (...args: string[]) =>
    spawnSync(`${REPO_ROOT}node_modules/.bin/tsx`, ['src/cli.ts', 'serve', ...args], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      timeout: 20_000,
      env: { ...process.env, AUTH: '', HOST: '' },
    });

  it('exits 2 with one line naming --insecure-allow-anonymous for --host 0.0.0.0 --auth none', () => {
    const run = serve('--host', '0.0.0.0', '--auth', 'none', '--port', '0');
    expect(run.status).toBe(2);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^kube-node-gateway: --auth none .*--insecure-allow-anonymous/);
  });

  it('exits 2 for --auth oidc without an issuer and a client id', () => {
    const run = serve('--auth', 'oidc', '--port', '0');
    expect(run.status).toBe(2);
    expect(run.stderr.trim().split('\n')).toEqual([
      'kube-node-gateway: --auth oidc needs --oidc-issuer-url',
      'kube-node-gateway: --auth oidc needs --oidc-client-id',
    ]);
  });
});
