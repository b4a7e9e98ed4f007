import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  KubeTokenReviewer,
  TokenReviewAuthenticator,
  type TokenReviewer,
} from '../../src/auth/token-review-authenticator.js';
import { KubeHttpClient } from '../../src/clusters/kube-client.js';

describe('TokenReviewAuthenticator', () => {
  const reviewer = (answer: Awaited<ReturnType<TokenReviewer['review']>> | Error): TokenReviewer => ({
    review: async () => {
      if (answer instanceof Error) throw answer;
      return answer;
    },
  });

  it('maps an authenticated review to a Caller with uid, groups and extra', async () => {
    const caller = await new TokenReviewAuthenticator(
      reviewer({
        authenticated: true,
        user: { username: 'alice', uid: 'u-1', groups: ['ops'], extra: { scopes: ['read'] } },
      }),
    ).authenticate('t');
    expect(caller).toEqual({
      username: 'alice',
      uid: 'u-1',
      groups: ['ops'],
      extra: { scopes: ['read'] },
      anonymous: false,
    });
    expect(caller.expiresAt).toBeUndefined();
  });

  it.each([
    ['authenticated: false', { authenticated: false, error: 'invalid bearer token' }],
    ['no username', { authenticated: true, user: {} }],
    ['an empty status', {}],
  ])('refuses a review with %s as UNAUTHENTICATED', async (_, status) => {
    await expect(new TokenReviewAuthenticator(reviewer(status)).authenticate('t')).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
  });

  it('reports a review that could not be made as UPSTREAM_UNAVAILABLE', async () => {
    await expect(
      new TokenReviewAuthenticator(reviewer(new Error('connect ECONNREFUSED'))).authenticate('t'),
    ).rejects.toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
  });
});

describe('KubeTokenReviewer', () => {
  const received: { path?: string; method?: string; body: unknown }[] = [];
  let server: ReturnType<typeof createServer>;
  let client: KubeHttpClient;

  beforeAll(async () => {
    server = createServer(async (req: IncomingMessage, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const body = JSON.parse(Buffer.concat(chunks).toString() || '{}') as { spec?: { token?: string } };
      received.push({ path: req.url, method: req.method, body });
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          kind: 'TokenReview',
          status:
            body.spec?.token === 'good'
              ? { authenticated: true, user: { username: 'system:serviceaccount:ns:sa', groups: ['g'] } }
              : { authenticated: false },
        }),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromOptions({
      clusters: [
        {
          name: 'c',
          server: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
          skipTLSVerify: true,
        },
      ],
      users: [{ name: 'u', token: 'gateway-own-token' }],
      contexts: [{ name: 'ctx', cluster: 'c', user: 'u' }],
      currentContext: 'ctx',
    });
    client = new KubeHttpClient({ cluster: 'ctx', kubeConfig, apiTimeoutMs: 2000 });
  });
  afterAll(async () => {
    client?.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const registry = () => ({
    defaultCluster: 'ctx',
    get: (name: string) => (name === 'ctx' ? { name, server: client.server, client } : undefined),
  });

  it('POSTs a TokenReview to the default cluster and hands back its status', async () => {
    const authenticator = new TokenReviewAuthenticator(new KubeTokenReviewer(registry(), undefined));
    expect(await authenticator.authenticate('good')).toMatchObject({
      username: 'system:serviceaccount:ns:sa',
    });
    await expect(authenticator.authenticate('bad')).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(received.at(0)).toEqual({
      path: '/apis/authentication.k8s.io/v1/tokenreviews',
      method: 'POST',
      body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token: 'good' } },
    });
  });

  it('reports a missing --auth-context cluster as UPSTREAM_UNAVAILABLE', async () => {
    const authenticator = new TokenReviewAuthenticator(new KubeTokenReviewer(registry(), 'nope'));
    await expect(authenticator.authenticate('good')).rejects.toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
  });
});
