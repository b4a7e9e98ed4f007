/**
 * ServiceAccount tokens over HTTP: TokenRequest validation, TokenReview of good and hostile tokens (forged,
 * tampered, expired, not yet valid, wrong audience, bound object gone), dryRun parsing, and the validation
 * of the deploy kinds (immutable Service clusterIP and Secret type, Deployment selector, Secret data).
 */
import { createPublicKey, generateKeyPairSync, type JsonWebKey, sign, verify } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SimulatorHandle, startSimulator } from '../../src/sim/index.js';
import { api } from './helpers.js';

const NS = 'platform';
const API_AUDIENCE = 'https://kubernetes.default.svc.cluster.local';

interface TokenReviewStatus {
  authenticated?: boolean;
  user?: { username?: string; uid?: string; groups?: string[]; extra?: Record<string, string[]> };
  audiences?: string[];
  error?: string;
}

describe('ServiceAccount tokens', () => {
  let sim: SimulatorHandle;
  let saUid: string;

  const review = async (token: string, audiences?: string[]): Promise<TokenReviewStatus> => {
    const res = await api<{ status: TokenReviewStatus }>(sim, '/apis/authentication.k8s.io/v1/tokenreviews', {
      method: 'POST',
      body: {
        apiVersion: 'authentication.k8s.io/v1',
        kind: 'TokenReview',
        spec: { token, ...(audiences ? { audiences } : {}) },
      },
    });
    expect(res.status).toBe(201);
    return res.body.status;
  };
  const requestToken = (
    name: string,
    spec: Record<string, unknown>,
    metadata: Record<string, unknown> = {},
  ) =>
    api<{ status: { token: string; expirationTimestamp: string }; spec: Record<string, unknown> }>(
      sim,
      `/api/v1/namespaces/${NS}/serviceaccounts/${name}/token`,
      {
        method: 'POST',
        body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', metadata, spec },
      },
    );
  const nodesWith = async (token: string): Promise<number> =>
    (await api(sim, '/api/v1/nodes', { token })).status;

  beforeAll(async () => {
    sim = await startSimulator({ nodes: 3, pods: 10, heartbeatIntervalMs: 0, authorizationMode: 'RBAC' });
    const created = await api<{ metadata: { uid: string } }>(
      sim,
      `/api/v1/namespaces/${NS}/serviceaccounts`,
      {
        method: 'POST',
        body: { metadata: { name: 'gateway' } },
      },
    );
    expect(created.status).toBe(201);
    saUid = created.body.metadata.uid;
    const binding = await api(sim, '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', {
      method: 'POST',
      body: {
        metadata: { name: 'sa-view' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
        subjects: [{ kind: 'Group', name: `system:serviceaccounts:${NS}` }],
      },
    });
    expect(binding.status).toBe(201);
  });
  afterAll(async () => {
    await sim?.stop();
  });

  it('TokenRequest defaults to an hour and the API audience; the token reviews and authenticates', async () => {
    const before = Date.now();
    const res = await requestToken('gateway', {});
    expect(res.status).toBe(201);
    expect(res.body.spec).toMatchObject({ audiences: [API_AUDIENCE], expirationSeconds: 3600 });
    const expires = Date.parse(res.body.status.expirationTimestamp);
    expect(expires).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + 3_600_000);
    const status = await review(res.body.status.token);
    expect(status).toMatchObject({
      authenticated: true,
      user: {
        username: `system:serviceaccount:${NS}:gateway`,
        uid: saUid,
        groups: ['system:serviceaccounts', `system:serviceaccounts:${NS}`, 'system:authenticated'],
      },
      audiences: [API_AUDIENCE],
    });
    expect(status.user?.extra?.['authentication.kubernetes.io/credential-id']?.[0]).toMatch(
      /^JTI=[0-9a-f-]{36}$/,
    );
    // Bound to a Group subject system:serviceaccounts:<ns>, the token may list nodes.
    expect(await nodesWith(res.body.status.token)).toBe(200);
    // The handle issues the same tokens without kubectl.
    expect(await nodesWith(sim.serviceAccountToken(NS, 'gateway'))).toBe(200);
  });

  it('TokenRequest refuses what kube-apiserver refuses, in its words', async () => {
    const short = await requestToken('gateway', { expirationSeconds: 10 });
    expect(short.status).toBe(422);
    expect(short.body).toMatchObject({
      reason: 'Invalid',
      message:
        'TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: Invalid value: 10: may not specify a duration less than 10 minutes',
    });
    const long = await requestToken('gateway', { expirationSeconds: 2 ** 33 });
    expect((long.body as unknown as { message: string }).message).toContain(
      'may not specify a duration larger than 2^32 seconds',
    );
    const missing = await requestToken('nobody', {});
    expect(missing.status).toBe(404);
    expect((missing.body as unknown as { message: string }).message).toBe(
      'serviceaccounts "nobody" not found',
    );
    const renamed = await requestToken('gateway', {}, { name: 'other' });
    expect(renamed.status).toBe(422);
    expect((renamed.body as unknown as { message: string }).message).toBe(
      'TokenRequest.authentication.k8s.io "gateway" is invalid: metadata.name: Invalid value: "other": must match the service account name if specified',
    );
    const badKind = await requestToken('gateway', {
      boundObjectRef: { kind: 'ConfigMap', apiVersion: 'v1', name: 'x' },
    });
    expect(badKind.status).toBe(400);
    expect((badKind.body as unknown as { message: string }).message).toBe(
      'cannot bind token for serviceaccount "gateway" to object of type "/v1, Kind=ConfigMap"',
    );
  });

  it('a forged, tampered, expired or not yet valid token is 401 and reviews as unauthenticated', async () => {
    const good = sim.serviceAccountToken(NS, 'gateway');
    const [head, payload] = good.split('.') as [string, string, string];
    // Forged: the same claims signed by another key.
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    const forged = `${head}.${payload}.${sign('sha256', Buffer.from(`${head}.${payload}`), { key: other, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`;
    // Tampered: another subject under the original signature.
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    claims['kubernetes.io'].serviceaccount.name = 'admin';
    const tampered = `${head}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${good.split('.')[2]}`;
    const expired = sim.serviceAccountToken(NS, 'gateway', {
      issuedAt: new Date(Date.now() - 2 * 3_600_000),
    });
    const future = sim.serviceAccountToken(NS, 'gateway', { issuedAt: new Date(Date.now() + 3_600_000) });
    for (const token of [forged, tampered, expired, future, 'not-a-jwt', 'a.b.c']) {
      const res = await api(sim, '/api/v1/nodes', { token });
      expect(res.status, token).toBe(401);
      expect(res.body).toMatchObject({ reason: 'Unauthorized', message: 'Unauthorized', code: 401 });
      expect((await review(token)).authenticated).toBeUndefined();
    }
    expect((await review(forged)).error).toBe('go-jose/go-jose: error in cryptographic primitive');
    expect((await review(expired)).error).toBe('service account token has expired');
    expect((await review(future)).error).toBe('service account token is not valid yet');
    // Within the minute of leeway an expired token still holds, as with go-jose's DefaultLeeway.
    const justExpired = sim.serviceAccountToken(NS, 'gateway', {
      issuedAt: new Date(Date.now() - 630_000),
      expirationSeconds: 600,
    });
    expect(await nodesWith(justExpired)).toBe(200);
  });

  it('audiences: a token for another audience is refused by the API, accepted by a TokenReview naming it', async () => {
    const vault = await requestToken('gateway', { audiences: ['vault'] });
    expect(vault.status).toBe(201);
    expect(await nodesWith(vault.body.status.token)).toBe(401);
    expect(await review(vault.body.status.token, ['vault', 'other'])).toMatchObject({
      authenticated: true,
      audiences: ['vault'],
    });
    const api = sim.serviceAccountToken(NS, 'gateway');
    expect(await review(api, ['other'])).toEqual({
      user: {},
      error: `token audiences ["${API_AUDIENCE}"] is invalid for the target audiences ["other"]`,
    });
  });

  it('a token bound to a Secret dies with the Secret; one of a recreated ServiceAccount is refused', async () => {
    await api(sim, `/api/v1/namespaces/${NS}/secrets`, {
      method: 'POST',
      body: { metadata: { name: 'anchor' } },
    });
    const bound = await requestToken('gateway', {
      boundObjectRef: { kind: 'Secret', apiVersion: 'v1', name: 'anchor' },
    });
    expect(bound.status).toBe(201);
    const claims = JSON.parse(Buffer.from(bound.body.status.token.split('.')[1]!, 'base64url').toString());
    expect(claims['kubernetes.io'].secret).toMatchObject({ name: 'anchor' });
    expect(await nodesWith(bound.body.status.token)).toBe(200);
    await api(sim, `/api/v1/namespaces/${NS}/secrets/anchor`, { method: 'DELETE' });
    expect(await nodesWith(bound.body.status.token)).toBe(401);

    await api(sim, `/api/v1/namespaces/${NS}/serviceaccounts`, {
      method: 'POST',
      body: { metadata: { name: 'temp' } },
    });
    const old = sim.serviceAccountToken(NS, 'temp');
    await api(sim, `/api/v1/namespaces/${NS}/serviceaccounts/temp`, { method: 'DELETE' });
    expect((await review(old)).error).toBe('serviceaccounts "temp" not found');
    await api(sim, `/api/v1/namespaces/${NS}/serviceaccounts`, {
      method: 'POST',
      body: { metadata: { name: 'temp' } },
    });
    expect((await review(old)).error).toMatch(/^service account UID \(\S+\) does not match claim \(\S+\)$/);
    expect(await nodesWith(old)).toBe(401);
  });

  it('serves issuer discovery and the JWKS, which verify the tokens; any ServiceAccount may read them', async () => {
    await api(sim, '/api/v1/namespaces/search/serviceaccounts', {
      method: 'POST',
      body: { metadata: { name: 'nobody' } },
    });
    const token = sim.serviceAccountToken('search', 'nobody');
    expect(await nodesWith(token)).toBe(403);
    const discovery = await api<Record<string, unknown>>(sim, '/.well-known/openid-configuration', { token });
    expect(discovery.status).toBe(200);
    expect(discovery.body).toMatchObject({
      issuer: API_AUDIENCE,
      jwks_uri: `${sim.url}/openid/v1/jwks`,
      id_token_signing_alg_values_supported: ['ES256'],
    });
    const jwks = await api<{ keys: Array<JsonWebKey & { kid: string }> }>(sim, '/openid/v1/jwks', { token });
    expect(jwks.headers['content-type']).toBe('application/jwk-set+json');
    const [head, payload, signature] = token.split('.') as [string, string, string];
    const kid = JSON.parse(Buffer.from(head, 'base64url').toString()).kid;
    const jwk = jwks.body.keys.find((k) => k.kid === kid)!;
    const key = createPublicKey({ key: jwk, format: 'jwk' });
    expect(
      verify(
        'sha256',
        Buffer.from(`${head}.${payload}`),
        { key, dsaEncoding: 'ieee-p1363' },
        Buffer.from(signature, 'base64url'),
      ),
    ).toBe(true);
  });

  it('dryRun: only All; anything else is the apiserver 422 for the options kind', async () => {
    const rv = sim.cluster.resourceVersion;
    const bogus = await api(sim, `/api/v1/namespaces/${NS}/configmaps?dryRun=bogus`, {
      method: 'POST',
      body: { metadata: { name: 'never' } },
    });
    expect(bogus.status).toBe(422);
    expect(bogus.body).toMatchObject({
      reason: 'Invalid',
      message:
        'CreateOptions.meta.k8s.io "" is invalid: dryRun: Unsupported value: []string{"bogus"}: supported values: "All"',
      details: {
        group: 'meta.k8s.io',
        kind: 'CreateOptions',
        causes: [{ reason: 'FieldValueNotSupported', field: 'dryRun' }],
      },
    });
    const patch = await api(sim, `/api/v1/namespaces/${NS}/serviceaccounts/gateway?dryRun=All&dryRun=`, {
      method: 'PATCH',
      contentType: 'application/merge-patch+json',
      body: { metadata: { labels: { a: 'b' } } },
    });
    expect((patch.body as { message: string }).message).toBe(
      'PatchOptions.meta.k8s.io "" is invalid: dryRun: Unsupported value: []string{"All", ""}: supported values: "All"',
    );
    const dry = await api<{ metadata: Record<string, unknown> }>(
      sim,
      `/api/v1/namespaces/${NS}/configmaps?dryRun=All`,
      {
        method: 'POST',
        body: { metadata: { name: 'dry' }, data: { a: 'b' } },
      },
    );
    expect(dry.status).toBe(201);
    expect(dry.body.metadata.uid).toBeTruthy();
    expect(dry.body.metadata.resourceVersion).toBeUndefined();
    expect((await api(sim, `/api/v1/namespaces/${NS}/configmaps/dry`)).status).toBe(404);
    const del = await api(sim, `/api/v1/namespaces/${NS}/serviceaccounts/gateway?dryRun=All`, {
      method: 'DELETE',
    });
    expect(del.status).toBe(200);
    expect((await api(sim, `/api/v1/namespaces/${NS}/serviceaccounts/gateway`)).status).toBe(200);
    expect(sim.cluster.resourceVersion).toBe(rv);
  });

  it('validates the deploy kinds as the apiserver does', async () => {
    const post = (resource: string, body: unknown, group = '/api/v1') =>
      api<{ message: string; spec?: Record<string, unknown> }>(sim, `${group}/namespaces/${NS}/${resource}`, {
        method: 'POST',
        body,
      });
    const svc = await post('services', { metadata: { name: 'web' }, spec: { ports: [{ port: 80 }] } });
    expect(svc.status).toBe(201);
    expect(svc.body.spec).toMatchObject({
      type: 'ClusterIP',
      ports: [{ port: 80, targetPort: 80, protocol: 'TCP' }],
    });
    const moved = await api<{ message: string }>(sim, `/api/v1/namespaces/${NS}/services/web`, {
      method: 'PATCH',
      contentType: 'application/merge-patch+json',
      body: { spec: { clusterIP: '10.96.200.1', clusterIPs: ['10.96.200.1'] } },
    });
    expect(moved.status).toBe(422);
    expect(moved.body.message).toBe(
      'Service "web" is invalid: spec.clusterIPs[0]: Invalid value: "10.96.200.1": may not change once set',
    );
    expect((await post('services', { metadata: { name: 'noports' }, spec: {} })).body.message).toBe(
      'Service "noports" is invalid: spec.ports: Required value',
    );
    expect(
      (await post('secrets', { metadata: { name: 'tls' }, type: 'kubernetes.io/tls', data: {} })).body
        .message,
    ).toBe('Secret "tls" is invalid: [data[tls.crt]: Required value, data[tls.key]: Required value]');
    expect(
      (await post('secrets', { metadata: { name: 'b64' }, data: { k: 'not base64!' } })).body.message,
    ).toBe('Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte 3');
    const opaque = await post('secrets', { metadata: { name: 'plain' }, stringData: { k: 'v' } });
    expect(opaque.body).toMatchObject({ type: 'Opaque', data: { k: 'dg==' } });
    expect(opaque.body).not.toHaveProperty('stringData');
    const retyped = await api<{ message: string }>(sim, `/api/v1/namespaces/${NS}/secrets/plain`, {
      method: 'PATCH',
      contentType: 'application/merge-patch+json',
      body: { type: 'example.com/other' },
    });
    expect(retyped.body.message).toBe(
      'Secret "plain" is invalid: type: Invalid value: "example.com/other": field is immutable',
    );
    expect(
      (await post('configmaps', { metadata: { name: 'keys' }, data: { 'bad key': 'x' } })).body.message,
    ).toContain(
      `ConfigMap "keys" is invalid: data[bad key]: Invalid value: "bad key": a valid config key must consist of alphanumeric characters`,
    );
    const mismatch = await post(
      'deployments',
      {
        metadata: { name: 'web' },
        spec: {
          selector: { matchLabels: { app: 'web' } },
          template: {
            metadata: { labels: { app: 'other' } },
            spec: { containers: [{ name: 'c', image: 'i' }] },
          },
        },
      },
      '/apis/apps/v1',
    );
    expect(mismatch.status).toBe(422);
    expect(mismatch.body.message).toBe(
      'Deployment.apps "web" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"other"}: `selector` does not match template `labels`',
    );
  });
});
