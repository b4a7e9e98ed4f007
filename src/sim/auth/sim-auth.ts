/**
 * The simulator's authentication and authorization chain, in kube-apiserver's filter order:
 * bearer token -> user (+ system:authenticated), Impersonate-* headers -> the user the request runs as,
 * then the authorizer on the request's attributes. The simulator's own token is an administrator in
 * system:masters, so with either mode it may do everything, as kubeadm's admin.conf user may.
 */
import type { RequestInfo } from '../request-info.js';
import type { Store } from '../store.js';
import { type Authorizer, alwaysAllow, privilegedGroups, unionAuthorizer } from './authorizer.js';
import { forbidden } from './forbidden.js';
import { type HeaderValues, impersonate } from './impersonation.js';
import { RbacAuthorizer } from './rbac-authorizer.js';
import type { Attributes } from './rbac-rules.js';
import type { ReviewContext, TokenReviewResult } from './reviews.js';
import { DEFAULT_ISSUER, type ServiceAccountTokens } from './service-account-tokens.js';
import { type StaticToken, StaticTokenAuthenticator } from './token-auth-file.js';
import { SYSTEM_MASTERS, type UserInfo, withAuthenticatedGroup } from './user-info.js';

export type AuthorizationMode = 'AlwaysAllow' | 'RBAC';

export interface SimAuthOptions {
  adminToken: string;
  adminUser: string;
  tokens: readonly StaticToken[];
  mode: AuthorizationMode;
  store: Pick<Store, 'list' | 'get'>;
  /** ServiceAccount token issuer/authenticator (bearer JWTs after the static tokens). */
  serviceAccountTokens?: ServiceAccountTokens;
}

/** Who made a request: the authenticated user and, when impersonating, the user it runs as. */
export interface RequestIdentity {
  readonly user: UserInfo;
  readonly impersonatedUser?: UserInfo;
}

/** The user a request runs as. */
export function effectiveUser(id: RequestIdentity): UserInfo {
  return id.impersonatedUser ?? id.user;
}

/** The bearer token authenticator's reading of an Authorization header (authentication/request/bearertoken). */
export function bearerToken(header: string | undefined): string | undefined {
  const auth = (header ?? '').trim();
  const parts = auth.split(' ');
  if (parts.length < 2 || parts[0]!.toLowerCase() !== 'bearer') return undefined;
  return parts[1] || undefined;
}

/** authorizer.Attributes of an API request (RequestInfo + user). */
export function requestAttributes(info: RequestInfo, user: UserInfo): Attributes {
  if (!info.isResource) return { user, resourceRequest: false, verb: info.verb, path: info.path };
  // GET /api/v1/namespaces/foo is in namespace foo, as the apiserver's RequestInfo has it.
  const namespace = info.namespace ?? (info.resource === 'namespaces' && info.name ? info.name : undefined);
  return {
    user,
    resourceRequest: true,
    verb: info.verb,
    apiGroup: info.group,
    apiVersion: info.version,
    resource: info.resource,
    ...(info.subresource ? { subresource: info.subresource } : {}),
    ...(namespace ? { namespace } : {}),
    ...(info.name ? { name: info.name } : {}),
  };
}

export class SimAuth implements ReviewContext {
  readonly authorizer: Authorizer;
  readonly mode: AuthorizationMode;
  private readonly tokens: StaticTokenAuthenticator;
  private readonly serviceAccountTokens: ServiceAccountTokens | undefined;

  constructor(opts: SimAuthOptions) {
    this.mode = opts.mode;
    this.serviceAccountTokens = opts.serviceAccountTokens;
    this.tokens = new StaticTokenAuthenticator([
      ...opts.tokens,
      { token: opts.adminToken, user: opts.adminUser, groups: [SYSTEM_MASTERS] },
    ]);
    this.authorizer =
      opts.mode === 'RBAC'
        ? unionAuthorizer([privilegedGroups, new RbacAuthorizer(opts.store)])
        : alwaysAllow;
  }

  authenticateToken(token: string): UserInfo | undefined {
    const checked = this.reviewToken(token);
    return 'user' in checked ? checked.user : undefined;
  }

  /**
   * The union token authenticator (static tokens, then ServiceAccount JWTs) with the target audiences a
   * TokenReview names (the API's by default): the user and the audiences it holds for, or why not.
   */
  reviewToken(token: string, audiences?: readonly string[]): TokenReviewResult {
    const apiAudiences = this.serviceAccountTokens?.apiAudiences ?? [DEFAULT_ISSUER];
    const target = audiences?.length ? audiences : apiAudiences;
    // Static tokens are audience-agnostic (WrapAudienceAgnosticToken): they hold for the API's audiences.
    const implicit = apiAudiences.filter((a) => target.includes(a));
    const user = implicit.length ? this.tokens.authenticateToken(token) : undefined;
    if (user) return { user: withAuthenticatedGroup(user), audiences: implicit };
    const checked = this.serviceAccountTokens?.authenticate(token, target);
    if (!checked) return { error: '' };
    if (!checked.ok) return { error: checked.error };
    return { user: withAuthenticatedGroup(checked.user), audiences: checked.audiences };
  }

  /** Undefined means 401. */
  authenticate(authorization: string | undefined): UserInfo | undefined {
    const token = bearerToken(authorization);
    return token === undefined ? undefined : this.authenticateToken(token);
  }

  /** Applies Impersonate-* headers; throws ImpersonationHeaderError or a 403 ApiError. */
  impersonate(user: UserInfo, headers: HeaderValues): RequestIdentity {
    const as = impersonate(user, headers, this.authorizer);
    return as === user ? { user } : { user, impersonatedUser: as };
  }

  /** Throws the apiserver's 403 unless the request may go on. */
  authorize(info: RequestInfo, id: RequestIdentity): void {
    const attrs = requestAttributes(info, effectiveUser(id));
    const result = this.authorizer.authorize(attrs);
    if (result.decision !== 'allow') throw forbidden(attrs, result.reason);
  }
}
