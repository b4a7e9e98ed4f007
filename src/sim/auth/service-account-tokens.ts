/**
 * ServiceAccount tokens as kube-apiserver issues and checks them (pkg/serviceaccount: claims.go, jwt.go):
 * JWTs signed with the simulator's own ES256 key (kid = base64url SHA-256 of the public key's DER, as
 * keyIDFromPublicKey computes it), claims iss, sub, aud, exp, iat, nbf, jti and the private
 * `kubernetes.io` claim naming the namespace, the ServiceAccount (name, uid) and an optional bound Pod or
 * Secret. A token authenticates as system:serviceaccount:<ns>:<name> only while it is within its validity
 * (60 s leeway, go-jose's DefaultLeeway), its audiences meet the target audiences, and the ServiceAccount
 * (and bound object) still exist with the UIDs the token names.
 */
import { createHash, generateKeyPairSync, type KeyObject, randomUUID, sign, verify } from 'node:crypto';
import type { KubeObject } from '../kube-object.js';
import type { Store } from '../store.js';
import { objectKey } from '../store.js';
import { serviceAccountGroups, serviceAccountUsername, type UserInfo } from './user-info.js';

/** kube-apiserver's --service-account-issuer default in kind/kubeadm; also its default API audience. */
export const DEFAULT_ISSUER = 'https://kubernetes.default.svc.cluster.local';

/** go-jose's DefaultLeeway: clock skew allowed on exp, nbf and iat. */
const LEEWAY_S = 60;

export interface BoundObject {
  kind: 'Pod' | 'Secret';
  name: string;
  uid: string;
}

export interface TokenClaimsInput {
  namespace: string;
  name: string;
  uid: string;
  audiences: readonly string[];
  expirationSeconds: number;
  /** Issue time, ms since the epoch (default now): a test backdates it to make an expired token. */
  issuedAtMs?: number;
  bound?: BoundObject;
}

export interface IssuedToken {
  token: string;
  /** exp, ms since the epoch. */
  expiresAtMs: number;
}

/** The result of checking a JWT-shaped bearer token; undefined from authenticate means "not ours". */
export type TokenCheck = { ok: true; user: UserInfo; audiences: string[] } | { ok: false; error: string };

interface PrivateRef {
  name?: unknown;
  uid?: unknown;
}

interface Claims {
  iss?: unknown;
  sub?: unknown;
  aud?: unknown;
  exp?: unknown;
  iat?: unknown;
  nbf?: unknown;
  jti?: unknown;
  'kubernetes.io'?: {
    namespace?: unknown;
    serviceaccount?: PrivateRef;
    pod?: PrivateRef;
    secret?: PrivateRef;
  };
}

const b64url = (b: Buffer | string): string => Buffer.from(b).toString('base64url');

/** JSON with object keys sorted at every level, as go-jose's claim merging marshals them. */
function sortedJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(sortedJson).join(',')}]`;
  if (v && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${sortedJson(x)}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

/** Go's %q of a []string: `["a" "b"]`. */
const goQuoted = (list: readonly string[]): string => `[${list.map((s) => JSON.stringify(s)).join(' ')}]`;

export class ServiceAccountTokens {
  private readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly keyId: string;

  constructor(
    private readonly store: Pick<Store, 'get'>,
    readonly issuer: string = DEFAULT_ISSUER,
    readonly apiAudiences: readonly string[] = [DEFAULT_ISSUER],
    private readonly now: () => number = Date.now,
  ) {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    this.privateKey = privateKey;
    this.publicKey = publicKey;
    this.keyId = b64url(
      createHash('sha256')
        .update(publicKey.export({ type: 'spki', format: 'der' }))
        .digest(),
    );
  }

  /** Signs a token (no checks: the TokenRequest handler validated the request). */
  issue(input: TokenClaimsInput): IssuedToken {
    const iat = Math.floor((input.issuedAtMs ?? this.now()) / 1000);
    const exp = iat + input.expirationSeconds;
    const kube: Record<string, unknown> = {
      namespace: input.namespace,
      serviceaccount: { name: input.name, uid: input.uid },
    };
    if (input.bound) kube[input.bound.kind.toLowerCase()] = { name: input.bound.name, uid: input.bound.uid };
    const claims = {
      aud: [...input.audiences],
      exp,
      iat,
      iss: this.issuer,
      jti: randomUUID(),
      'kubernetes.io': kube,
      nbf: iat,
      sub: serviceAccountUsername(input.namespace, input.name),
    };
    return { token: this.sign(claims), expiresAtMs: exp * 1000 };
  }

  /** Signs arbitrary claims with the simulator's key (tests that need a well-signed but odd token). */
  sign(claims: object): string {
    const head = `${b64url(sortedJson({ alg: 'ES256', kid: this.keyId }))}.${b64url(sortedJson(claims))}`;
    const sig = sign('sha256', Buffer.from(head), { key: this.privateKey, dsaEncoding: 'ieee-p1363' });
    return `${head}.${b64url(sig)}`;
  }

  /** The public key as a JWK Set (what /openid/v1/jwks serves). */
  jwks(): { keys: object[] } {
    const jwk = this.publicKey.export({ format: 'jwk' });
    return {
      keys: [{ use: 'sig', kty: jwk.kty, kid: this.keyId, crv: jwk.crv, alg: 'ES256', x: jwk.x, y: jwk.y }],
    };
  }

  /**
   * JWTTokenAuthenticator.AuthenticateToken: undefined when the token is not a JWT of this issuer (another
   * authenticator's, or nobody's); otherwise the user or why it is refused. `audiences` are the target
   * audiences (a TokenReview's spec.audiences), the API's by default.
   */
  authenticate(token: string, audiences: readonly string[] = this.apiAudiences): TokenCheck | undefined {
    const parts = token.split('.');
    if (parts.length !== 3) return undefined;
    let claims: Claims;
    try {
      const parsed: unknown = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8'));
      if (!parsed || typeof parsed !== 'object') return undefined;
      claims = parsed as Claims;
      const header: unknown = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString('utf8'));
      if (!header || typeof header !== 'object') return undefined;
    } catch {
      return undefined;
    }
    if (claims.iss !== this.issuer) return undefined;
    const signed = verify(
      'sha256',
      Buffer.from(`${parts[0]}.${parts[1]}`),
      { key: this.publicKey, dsaEncoding: 'ieee-p1363' },
      Buffer.from(parts[2]!, 'base64url'),
    );
    if (!signed) return { ok: false, error: 'go-jose/go-jose: error in cryptographic primitive' };
    const tokenAudiences = [
      ...new Set(Array.isArray(claims.aud) ? claims.aud.map(String) : [String(claims.aud ?? '')]),
    ].sort();
    const target = [...new Set(audiences)].sort();
    const common = tokenAudiences.filter((a) => target.includes(a));
    if (common.length === 0) {
      return {
        ok: false,
        error: `token audiences ${goQuoted(tokenAudiences)} is invalid for the target audiences ${goQuoted(target)}`,
      };
    }
    const nowS = this.now() / 1000;
    if (typeof claims.exp === 'number' && nowS > claims.exp + LEEWAY_S)
      return { ok: false, error: 'service account token has expired' };
    if (typeof claims.nbf === 'number' && nowS + LEEWAY_S < claims.nbf)
      return { ok: false, error: 'service account token is not valid yet' };
    if (typeof claims.iat === 'number' && nowS + LEEWAY_S < claims.iat)
      return { ok: false, error: 'service account token is issued in the future' };
    const kube = claims['kubernetes.io'];
    const namespace = typeof kube?.namespace === 'string' ? kube.namespace : '';
    const saName = typeof kube?.serviceaccount?.name === 'string' ? kube.serviceaccount.name : '';
    const saUid = typeof kube?.serviceaccount?.uid === 'string' ? kube.serviceaccount.uid : '';
    if (!namespace || !saName)
      return { ok: false, error: 'service account token claims could not be validated' };
    const sa = this.store.get('serviceaccounts', objectKey(namespace, saName));
    if (!sa) return { ok: false, error: `serviceaccounts "${saName}" not found` };
    const saObj = JSON.parse(sa.json) as KubeObject;
    const deleted = saObj.metadata?.deletionTimestamp;
    if (deleted && Date.parse(deleted) < this.now() - LEEWAY_S * 1000)
      return { ok: false, error: `service account ${namespace}/${saName} has been deleted` };
    if (sa.uid !== saUid)
      return { ok: false, error: `service account UID (${sa.uid}) does not match claim (${saUid})` };
    const extra: Record<string, string[]> = {};
    for (const [kind, resource] of [
      ['pod', 'pods'],
      ['secret', 'secrets'],
    ] as const) {
      const ref = kube?.[kind];
      if (!ref) continue;
      const refName = String(ref.name ?? '');
      const found = this.store.get(resource, objectKey(namespace, refName));
      if (!found) return { ok: false, error: `${resource} "${refName}" not found` };
      if (found.uid !== ref.uid) {
        const Kind = kind === 'pod' ? 'Pod' : 'Secret';
        return { ok: false, error: `${Kind} UID (${found.uid}) does not match claim (${String(ref.uid)})` };
      }
      if (kind === 'pod') {
        extra['authentication.kubernetes.io/pod-name'] = [refName];
        extra['authentication.kubernetes.io/pod-uid'] = [found.uid];
      }
    }
    if (typeof claims.jti === 'string' && claims.jti)
      extra['authentication.kubernetes.io/credential-id'] = [`JTI=${claims.jti}`];
    return {
      ok: true,
      user: {
        username: serviceAccountUsername(namespace, saName),
        uid: sa.uid,
        groups: serviceAccountGroups(namespace),
        ...(Object.keys(extra).length ? { extra } : {}),
      },
      audiences: common,
    };
  }
}
