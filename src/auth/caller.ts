/**
 * Who one request acts as. With `--auth kubernetes|oidc` it is the authenticated person, and
 * every Kubernetes call made for the request impersonates them, so the cluster's RBAC decides
 * and its audit log records. With `--auth none` (loopback only) there is no person: calls go
 * out as the gateway's own account.
 */
export interface Caller {
  readonly username: string;
  readonly uid?: string;
  readonly groups: readonly string[];
  /** Extra attributes (TokenReview `extra`), sent as Impersonate-Extra-<key>. */
  readonly extra?: Readonly<Record<string, readonly string[]>>;
  /** No identity was asked for (`--auth none`): nothing is impersonated. */
  readonly anonymous: boolean;
  /** When the credential stops being valid (ms since the epoch), if it says; subscriptions end then. */
  readonly expiresAt?: number;
}

/** The caller of every request under `--auth none`. */
export const ANONYMOUS_CALLER: Caller = Object.freeze({
  username: 'system:anonymous',
  groups: Object.freeze(['system:unauthenticated']),
  anonymous: true,
});
