import {
  createRemoteJWKSet,
  customFetch,
  errors,
  type FlattenedJWSInput,
  type JWSHeaderParameters,
  jwtVerify,
} from 'jose';
import { AuthenticationError } from './authentication-error.js';
import type { Authenticator } from './authenticator.js';
import type { Caller } from './caller.js';
import type { IssuerFetch } from './issuer-fetch.js';
import { callerFromClaims, type OidcClaimMapping } from './oidc-claims.js';

/**
 * Asymmetric JWS algorithms only (what kube-apiserver accepts). `none` and the HMAC family
 * are refused: an HS256 token "signed" with the issuer's public key would otherwise verify.
 */
export const OIDC_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
] as const;

export interface OidcAuthenticatorOptions extends OidcClaimMapping {
  /** The `aud` every token must carry (--oidc-client-id). */
  readonly clientId: string;
  readonly fetch: IssuerFetch;
  /**
   * A token signed by a key the cached set lacks refetches the set, at most once per this
   * long (so unknown `kid`s cannot make the gateway hammer the issuer). @default 30 s
   */
  readonly jwksCooldownMs?: number;
  /** Keys are refetched at least this often even when every kid is known. @default 10 min */
  readonly jwksMaxAgeMs?: number;
}

type KeySet = ReturnType<typeof createRemoteJWKSet>;

/** Errors that say the token is bad; anything else means the issuer could not be read. */
const TOKEN_ERRORS = new Set([
  errors.JWTExpired.code,
  errors.JWTClaimValidationFailed.code,
  errors.JOSEAlgNotAllowed.code,
  errors.JOSENotSupported.code,
  errors.JWSInvalid.code,
  errors.JWTInvalid.code,
  errors.JWSSignatureVerificationFailed.code,
  errors.JWKSNoMatchingKey.code,
  errors.JWKSMultipleMatchingKeys.code,
]);

/**
 * Verifies OIDC ID tokens locally with jose: discovery (`<issuer>/.well-known/openid-configuration`)
 * gives the JWKS, which is cached and refetched when a token names an unknown key (rotation);
 * `iss`, `aud`, `exp` (required) and `nbf` are checked. The issuer is read lazily on the first
 * token and again after a failed read.
 */
export class OidcAuthenticator implements Authenticator {
  private keySet?: Promise<KeySet>;

  constructor(private readonly options: OidcAuthenticatorOptions) {}

  async authenticate(token: string): Promise<Caller> {
    let claims: Awaited<ReturnType<typeof jwtVerify>>['payload'];
    try {
      // A function key: jose checks the algorithm before asking for a key, so a token with a
      // refused `alg` costs no network call.
      ({ payload: claims } = await jwtVerify(
        token,
        async (header: JWSHeaderParameters, input: FlattenedJWSInput) => (await this.keys())(header, input),
        {
          issuer: this.options.issuerUrl,
          audience: this.options.clientId,
          algorithms: [...OIDC_ALGORITHMS],
          requiredClaims: ['exp'],
        },
      ));
    } catch (err) {
      if (err instanceof AuthenticationError) throw err;
      if (err instanceof errors.JOSEError && TOKEN_ERRORS.has(err.code)) {
        throw new AuthenticationError('UNAUTHENTICATED', `the token does not verify: ${err.message}`);
      }
      throw new AuthenticationError(
        'UPSTREAM_UNAVAILABLE',
        `the OIDC issuer's keys could not be read: ${err instanceof Error ? err.message : String(err)}`,
        { cause: err },
      );
    }
    return callerFromClaims(claims, this.options);
  }

  private keys(): Promise<KeySet> {
    this.keySet ??= this.discover().catch((err: unknown) => {
      this.keySet = undefined; // the next token tries again
      throw err;
    });
    return this.keySet;
  }

  private async discover(): Promise<KeySet> {
    const issuer = this.options.issuerUrl;
    const url = `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
    const res = await this.options.fetch(url, { headers: { accept: 'application/json' } });
    if (res.status !== 200) throw new Error(`OIDC discovery ${url} answered ${res.status}`);
    const doc = (await res.json()) as { issuer?: unknown; jwks_uri?: unknown };
    // OIDC Discovery 1.0 §4.3: the document's issuer must be the one configured, exactly.
    if (doc.issuer !== issuer) throw new Error(`OIDC discovery ${url} names another issuer`);
    if (typeof doc.jwks_uri !== 'string') throw new Error(`OIDC discovery ${url} has no jwks_uri`);
    return createRemoteJWKSet(new URL(doc.jwks_uri), {
      [customFetch]: this.options.fetch,
      cooldownDuration: this.options.jwksCooldownMs ?? 30_000,
      cacheMaxAge: this.options.jwksMaxAgeMs ?? 600_000,
    });
  }
}
