import type { ClusterRegistry } from '../clusters/cluster-registry.js';
import { KubeApiError } from '../clusters/kube-api-error.js';
import { AuthenticationError } from './authentication-error.js';
import type { Authenticator } from './authenticator.js';
import type { Caller } from './caller.js';

/** The `status` of an authentication.k8s.io/v1 TokenReview. */
export interface TokenReviewStatus {
  authenticated?: boolean;
  user?: {
    username?: string;
    uid?: string;
    groups?: string[];
    extra?: Record<string, string[]>;
  };
  error?: string;
}

/**
 * Asks a Kubernetes API server who a token belongs to. Rejects (any error) when the API could
 * not be asked; resolves with the review's status otherwise.
 */
export interface TokenReviewer {
  review(token: string): Promise<TokenReviewStatus>;
}

/** kube-apiserver's TokenReview semantics: the API decides, the gateway maps its answer to a Caller. */
export class TokenReviewAuthenticator implements Authenticator {
  constructor(private readonly reviewer: TokenReviewer) {}

  async authenticate(token: string): Promise<Caller> {
    let status: TokenReviewStatus;
    try {
      status = await this.reviewer.review(token);
    } catch (err) {
      throw new AuthenticationError(
        'UPSTREAM_UNAVAILABLE',
        `the TokenReview could not be made: ${err instanceof Error ? err.message : String(err)}`,
        { cause: err },
      );
    }
    const user = status.user;
    if (status.authenticated !== true || !user?.username) {
      throw new AuthenticationError('UNAUTHENTICATED', 'the token does not authenticate');
    }
    return {
      username: user.username,
      ...(user.uid ? { uid: user.uid } : {}),
      groups: user.groups ?? [],
      ...(user.extra && Object.keys(user.extra).length > 0 ? { extra: user.extra } : {}),
      anonymous: false,
    };
  }
}

/**
 * TokenReviews through the gateway's own client of one cluster (its credentials need
 * `create tokenreviews`), with that client's API timeout. The cluster is looked up per review,
 * so a kubeconfig reload is followed.
 */
export class KubeTokenReviewer implements TokenReviewer {
  constructor(
    private readonly clusters: Pick<ClusterRegistry, 'get' | 'defaultCluster'>,
    /** The kubeconfig context; undefined = the default cluster. */
    private readonly context: string | undefined,
  ) {}

  async review(token: string): Promise<TokenReviewStatus> {
    const name = this.context ?? this.clusters.defaultCluster;
    const cluster = name === undefined ? undefined : this.clusters.get(name);
    if (!cluster) {
      throw new KubeApiError('UNAVAILABLE', `no cluster ${name ?? '(default)'} to send TokenReviews to`, 0);
    }
    const review = await cluster.client.json<{ status?: TokenReviewStatus }>({
      method: 'POST',
      path: '/apis/authentication.k8s.io/v1/tokenreviews',
      body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token } },
    });
    return review.status ?? {};
  }
}
