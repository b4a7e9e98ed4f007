import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type CryptoKey, exportJWK, generateKeyPair, type JWK, type JWTPayload, SignJWT } from 'jose';

export interface TestIssuer {
  /** `http://127.0.0.1:<port>`: the `iss` of its tokens and the base of its discovery document. */
  readonly url: string;
  /** GETs of the discovery document and of the key set so far. */
  readonly hits: { discovery: number; jwks: number };
  /** A token signed with the current key (or `kid`'s), expiring in `expiresInSeconds` (default 300). */
  sign(
    claims: JWTPayload,
    options?: { kid?: string; expiresInSeconds?: number; audience?: string; issuer?: string },
  ): Promise<string>;
  /** A new signing key with a new kid, served from now on beside the old ones; returns the kid. */
  rotate(): Promise<string>;
  /** A key that signs but is never served. */
  unpublishedSigner(): Promise<(claims: JWTPayload) => Promise<string>>;
  stop(): Promise<void>;
}

interface Key {
  readonly kid: string;
  readonly privateKey: CryptoKey;
  readonly publicJwk: JWK;
}

async function newKey(kid: string): Promise<Key> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  return { kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' } };
}

export const TEST_CLIENT_ID = 'kube-node-gateway';

/** An OIDC issuer on a free port: discovery, a JWKS and a signer, all in this process. */
export async function startTestIssuer(): Promise<TestIssuer> {
  const keys: Key[] = [await newKey('key-1')];
  const hits = { discovery: 0, jwks: 0 };
  let url = '';
  const server = createServer((req, res) => {
    const json = (body: unknown) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.url === '/.well-known/openid-configuration') {
      hits.discovery++;
      return json({ issuer: url, jwks_uri: `${url}/keys`, id_token_signing_alg_values_supported: ['ES256'] });
    }
    if (req.url === '/keys') {
      hits.jwks++;
      return json({ keys: keys.map((k) => k.publicJwk) });
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const signWith = (key: Key, claims: JWTPayload, options: Parameters<TestIssuer['sign']>[1] = {}) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', kid: key.kid })
      .setIssuer(options.issuer ?? url)
      .setAudience(options.audience ?? TEST_CLIENT_ID)
      .setIssuedAt()
      .setExpirationTime(Math.floor(Date.now() / 1000) + (options.expiresInSeconds ?? 300))
      .sign(key.privateKey);

  return {
    url,
    hits,
    sign(claims, options = {}) {
      const key = options.kid ? keys.find((k) => k.kid === options.kid) : keys.at(-1);
      if (!key) throw new Error(`no key ${options.kid}`);
      return signWith(key, claims, options);
    },
    async rotate() {
      const key = await newKey(`key-${keys.length + 1}`);
      keys.push(key);
      return key.kid;
    },
    async unpublishedSigner() {
      const key = await newKey('never-served');
      return (claims) => signWith(key, claims);
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
