import type { Impersonation } from '../clusters/impersonation.js';
import type { Caller } from './caller.js';

/** What a request wants to do, in SubjectAccessReview `resourceAttributes` terms. */
export interface ResourceAttributes {
  readonly verb: string;
  readonly resource: string;
  /** API group; '' or omitted = the core group. */
  readonly group?: string;
  readonly subresource?: string;
  /** Omitted = all namespaces (or a cluster-scoped resource). */
  readonly namespace?: string;
  readonly name?: string;
}

export interface AuthorizationDecision {
  readonly allowed: boolean;
  /** The authorizer's reason (RBAC names the binding that allowed, or nothing when it denies). */
  readonly reason?: string;
}

export interface AuthorizeOptions {
  /** Ask the cluster again even when a cached decision exists (subscription rechecks). */
  readonly fresh?: boolean;
}

/**
 * Whether a person may do something in one cluster: the narrow view the resolvers use. The
 * answer is the cluster's own (its RBAC, webhooks, ...), so the gateway never holds rules.
 * Rejects (KubeApiError) only when the cluster could not be asked.
 */
export interface Authorizer {
  allowed(
    caller: Caller,
    cluster: string,
    attributes: ResourceAttributes,
    options?: AuthorizeOptions,
  ): Promise<AuthorizationDecision>;
}

/** `--auth none`: there is no person, every call goes out as the gateway, nothing is checked. */
export const ALLOW_ALL: Authorizer = {
  allowed: async () => ({ allowed: true }),
};

/** The impersonation of a caller; undefined for the anonymous caller of `--auth none`. */
export function impersonationOf(
  caller: Pick<Caller, 'anonymous' | 'username' | 'uid' | 'groups' | 'extra'>,
): Impersonation | undefined {
  if (caller.anonymous) return undefined;
  return { user: caller.username, uid: caller.uid, groups: caller.groups, extra: caller.extra };
}

/** `cannot list nodes in cluster "sim"`: the message of a denial, as kubectl words it. */
export function describeDenial(cluster: string, a: ResourceAttributes): string {
  const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  const where = a.namespace ? ` in namespace "${a.namespace}"` : '';
  const name = a.name ? ` "${a.name}"` : '';
  return `cannot ${a.verb} ${resource}${name}${where} in cluster "${cluster}"`;
}
