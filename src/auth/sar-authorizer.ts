import type { KubeClient } from '../clusters/kube-client.js';
import type {
  AuthorizationDecision,
  AuthorizeOptions,
  Authorizer,
  ResourceAttributes,
} from './authorizer.js';
import { DecisionCache } from './authz-cache.js';
import type { Caller } from './caller.js';

export const SAR_PATH = '/apis/authorization.k8s.io/v1/subjectaccessreviews';

/** The part of a SubjectAccessReview answer the gateway reads. */
interface SubjectAccessReviewAnswer {
  status?: { allowed?: boolean; denied?: boolean; reason?: string; evaluationError?: string };
}

export interface SarAuthorizerOptions {
  /** The cluster's client (the gateway's own account, which may create subjectaccessreviews). */
  readonly clientFor: (cluster: string) => Pick<KubeClient, 'json' | 'apiTimeoutMs'> | undefined;
  /** How long a decision is reused (--authz-cache-ttl). */
  readonly ttlMs: number;
  /** @default 10000 */
  readonly maxEntries?: number;
  readonly now?: () => number;
  /** Called once per SubjectAccessReview sent (metrics, tests). */
  readonly onReview?: (cluster: string) => void;
}

/**
 * Asks each cluster with a SubjectAccessReview (what `kubectl auth can-i --as` does), so the
 * cluster's RBAC, webhooks and all decide. Decisions are cached per person and question for
 * `ttlMs`; identical questions in flight share one review.
 */
export class SarAuthorizer implements Authorizer {
  private readonly cache: DecisionCache;

  constructor(private readonly options: SarAuthorizerOptions) {
    this.cache = new DecisionCache({
      ttlMs: options.ttlMs,
      maxEntries: options.maxEntries,
      now: options.now,
    });
  }

  allowed(
    caller: Caller,
    cluster: string,
    attributes: ResourceAttributes,
    options: AuthorizeOptions = {},
  ): Promise<AuthorizationDecision> {
    return this.cache.decide(
      decisionKey(caller, cluster, attributes),
      () => this.review(caller, cluster, attributes),
      options.fresh,
    );
  }

  private async review(
    caller: Caller,
    cluster: string,
    a: ResourceAttributes,
  ): Promise<AuthorizationDecision> {
    const client = this.options.clientFor(cluster);
    if (!client) return { allowed: false, reason: `cluster "${cluster}" is not served` };
    this.options.onReview?.(cluster);
    const answer = await client.json<SubjectAccessReviewAnswer>({
      method: 'POST',
      path: SAR_PATH,
      timeoutMs: client.apiTimeoutMs,
      body: {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SubjectAccessReview',
        spec: {
          user: caller.username,
          uid: caller.uid,
          groups: [...caller.groups],
          extra: caller.extra,
          resourceAttributes: {
            verb: a.verb,
            resource: a.resource,
            group: a.group ?? '',
            subresource: a.subresource,
            namespace: a.namespace,
            name: a.name,
          },
        },
      },
    });
    const status = answer.status ?? {};
    const allowed = status.allowed === true && status.denied !== true;
    return { allowed, reason: status.reason || status.evaluationError || undefined };
  }
}

/**
 * One decision per person and question in one cluster. Groups are part of the key (sorted:
 * their order does not change a decision), and so are uid and extra, which webhooks may read.
 */
export function decisionKey(caller: Caller, cluster: string, a: ResourceAttributes): string {
  const extra = Object.entries(caller.extra ?? {})
    .map(([k, v]) => [k, [...v].sort()] as const)
    .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
  return JSON.stringify([
    cluster,
    caller.username,
    caller.uid ?? '',
    [...caller.groups].sort(),
    extra,
    a.verb,
    a.group ?? '',
    a.resource,
    a.subresource ?? '',
    a.namespace ?? '',
    a.name ?? '',
  ]);
}
