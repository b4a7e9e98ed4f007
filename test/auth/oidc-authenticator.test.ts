import { base64url, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIssuerFetch } from '../../src/auth/issuer-fetch.js';
import { OidcAuthenticator, type OidcAuthenticatorOptions } from '../../src/auth/oidc-authenticator.js';
import { startTestIssuer, TEST_CLIENT_ID, type TestIssuer } from './test-issuer.js';

describe('OidcAuthenticator against a test issuer', () => {
  let issuer: TestIssuer;

  beforeAll(async () => {
    issuer = await startTestIssuer();
  });
  afterAll(async () => {
    await issuer?.stop();
  });

  const authenticator = (overrides: Partial<OidcAuthenticatorOptions> = {}) =>
    new OidcAuthenticator({
      issuerUrl: issuer.url,
      clientId: TEST_CLIENT_ID,
      usernameClaim: 'sub',
      fetch: createIssuerFetch({ timeoutMs: 2000 }),
      jwksCooldownMs: 0,
      ...overrides,
    });

  it('authenticates a good token with the issuer-prefixed sub, expiring with exp', async () => {
    const token = await issuer.sign({ sub: 'alice' }, { expiresInSeconds: 120 });
    const caller = await authenticator().authenticate(token);
    expect(caller).toMatchObject({ username: `${issuer.url}#alice`, groups: [], anonymous: false });
    expect(caller.expiresAt).toBeGreaterThan(Date.now() + 100_000);
    expect(caller.expiresAt).toBeLessThanOrEqual(Date.now() + 120_000);
  });

  it('fetches discovery and keys once for many tokens', async () => {
    const before = { ...issuer.hits };
    const oidc = authenticator();
    for (const sub of ['a', 'b', 'c']) await oidc.authenticate(await issuer.sign({ sub }));
    expect(issuer.hits.discovery - before.discovery).toBe(1);
    expect(issuer.hits.jwks - before.jwks).toBe(1);
  });

  it.each([
    ['no prefix for the email claim', { usernameClaim: 'email' }, 'alice@example.com'],
    ['a given prefix', { usernamePrefix: 'oidc:' }, 'oidc:alice'],
    ['no prefix with -', { usernamePrefix: '-' }, 'alice'],
  ])('maps the username with %s', async (_, overrides, username) => {
    const token = await issuer.sign({ sub: 'alice', email: 'alice@example.com', email_verified: true });
    expect((await authenticator(overrides).authenticate(token)).username).toBe(username);
  });

  it('refuses an email claim the issuer says is unverified', async () => {
    const token = await issuer.sign({ sub: 'alice', email: 'alice@example.com', email_verified: false });
    await expect(authenticator({ usernameClaim: 'email' }).authenticate(token)).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
  });

  it('reads groups from a list or a single string, with the groups prefix', async () => {
    const oidc = authenticator({ groupsClaim: 'groups', groupsPrefix: 'oidc:' });
    const list = await oidc.authenticate(await issuer.sign({ sub: 'a', groups: ['ops', 'dev'] }));
    expect(list.groups).toEqual(['oidc:ops', 'oidc:dev']);
    const single = await oidc.authenticate(await issuer.sign({ sub: 'a', groups: 'ops' }));
    expect(single.groups).toEqual(['oidc:ops']);
    await expect(oidc.authenticate(await issuer.sign({ sub: 'a', groups: [1, 2] }))).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
  });

  it.each<[string, () => Promise<string>]>([
    ['an expired token', () => issuer.sign({ sub: 'a' }, { expiresInSeconds: -60 })],
    ['a token for another audience', () => issuer.sign({ sub: 'a' }, { audience: 'someone-else' })],
    ['a token from another issuer', () => issuer.sign({ sub: 'a' }, { issuer: 'https://evil.example' })],
    [
      'a token not yet valid (nbf)',
      () => issuer.sign({ sub: 'a', nbf: Math.floor(Date.now() / 1000) + 600 }),
    ],
    ['a token without sub', () => issuer.sign({ name: 'a' })],
    [
      'a token signed by a key the issuer never served',
      async () => (await issuer.unpublishedSigner())({ sub: 'a' }),
    ],
    ['an unsigned token (alg none)', async () => unsignedToken(issuer.url)],
    ['an HS256 token', async () => hs256Token(issuer.url)],
    [
      'a token whose signature was altered',
      async () => {
        const [h, p, s] = (await issuer.sign({ sub: 'a' })).split('.');
        return `${h}.${p}.${s!.slice(0, -4)}AAAA`;
      },
    ],
    ['garbage', async () => 'not.a.jwt'],
  ])('refuses %s as UNAUTHENTICATED', async (_, token) => {
    await expect(authenticator().authenticate(await token())).rejects.toMatchObject({
      name: 'AuthenticationError',
      code: 'UNAUTHENTICATED',
    });
  });

  it('refuses alg none and HS256 without reading the issuer', async () => {
    const before = { ...issuer.hits };
    const oidc = authenticator();
    await expect(oidc.authenticate(unsignedToken(issuer.url))).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    await expect(oidc.authenticate(await hs256Token(issuer.url))).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    expect(issuer.hits).toEqual(before);
  });

  it('picks up a rotated key: a token with a new kid refetches the key set', async () => {
    const oidc = authenticator();
    await oidc.authenticate(await issuer.sign({ sub: 'before' }));
    const jwksBefore = issuer.hits.jwks;
    const kid = await issuer.rotate();
    const caller = await oidc.authenticate(await issuer.sign({ sub: 'after' }, { kid }));
    expect(caller.username).toBe(`${issuer.url}#after`);
    expect(issuer.hits.jwks).toBe(jwksBefore + 1);
  });

  it('does not refetch keys for unknown kids while cooling down', async () => {
    const oidc = authenticator({ jwksCooldownMs: 60_000 });
    await oidc.authenticate(await issuer.sign({ sub: 'a' }));
    const jwksBefore = issuer.hits.jwks;
    const sign = await issuer.unpublishedSigner();
    for (let i = 0; i < 3; i++) await expect(oidc.authenticate(await sign({ sub: 'x' }))).rejects.toThrow();
    expect(issuer.hits.jwks).toBe(jwksBefore);
  });

  it('reports an unreachable issuer as UPSTREAM_UNAVAILABLE, and retries discovery later', async () => {
    const down = await startTestIssuer();
    const oidc = new OidcAuthenticator({
      issuerUrl: down.url,
      clientId: TEST_CLIENT_ID,
      usernameClaim: 'sub',
      fetch: createIssuerFetch({ timeoutMs: 2000 }),
    });
    const token = await down.sign({ sub: 'a' });
    await down.stop();
    await expect(oidc.authenticate(token)).rejects.toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
    await expect(oidc.authenticate(token)).rejects.toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
  });

  it('refuses a discovery document that names another issuer', async () => {
    const oidc = authenticator({ issuerUrl: `${issuer.url}/` });
    const token = await issuer.sign({ sub: 'a' }, { issuer: `${issuer.url}/` });
    await expect(oidc.authenticate(token)).rejects.toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
  });
});

/** A hand-built JWT with `alg: none` and no signature. */
function unsignedToken(iss: string): string {
  const part = (o: unknown) => base64url.encode(JSON.stringify(o));
  const now = Math.floor(Date.now() / 1000);
  return `${part({ alg: 'none', typ: 'JWT' })}.${part({ sub: 'mallory', iss, aud: TEST_CLIENT_ID, exp: now + 300 })}.`;
}

/** An HS256 token with a key the attacker chose. */
function hs256Token(iss: string): Promise<string> {
  return new SignJWT({ sub: 'mallory' })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(iss)
    .setAudience(TEST_CLIENT_ID)
    .setExpirationTime('5m')
    .sign(new TextEncoder().encode('a-shared-secret-of-32-bytes-long!'));
}
