import { readFileSync } from 'node:fs';
import type { ClusterRegistry } from '../clusters/cluster-registry.js';
import type { GatewayConfig } from '../config/gateway-config.js';
import { CachingAuthenticator } from './authentication-cache.js';
import type { Authenticator } from './authenticator.js';
import { createIssuerFetch } from './issuer-fetch.js';
import { OidcAuthenticator } from './oidc-authenticator.js';
import {
  KubeTokenReviewer,
  TokenReviewAuthenticator,
  type TokenReviewer,
} from './token-review-authenticator.js';

/**
 * The authenticator `--auth` asks for; undefined under `none` (every caller is anonymous).
 * Settings were checked by authSettingsProblems at start.
 */
export function createAuthenticator(
  config: Pick<GatewayConfig, 'auth' | 'oidc' | 'apiTimeoutMs'>,
  clusters: Pick<ClusterRegistry, 'get' | 'defaultCluster'>,
  overrides: { tokenReviewer?: TokenReviewer } = {},
): Authenticator | undefined {
  switch (config.auth.mode) {
    case 'none':
      return undefined;
    case 'kubernetes':
      return new CachingAuthenticator(
        new TokenReviewAuthenticator(
          overrides.tokenReviewer ?? new KubeTokenReviewer(clusters, config.auth.context),
        ),
        {
          ttlMs: config.auth.cacheTtlMs,
          failureTtlMs: config.auth.failureCacheTtlMs,
          maxEntries: config.auth.cacheMaxEntries,
        },
      );
    case 'oidc': {
      const { issuerUrl, clientId, caFile, usernameClaim, usernamePrefix, groupsClaim, groupsPrefix } =
        config.oidc;
      if (!issuerUrl || !clientId)
        throw new Error('--auth oidc needs --oidc-issuer-url and --oidc-client-id');
      return new OidcAuthenticator({
        issuerUrl,
        clientId,
        usernameClaim,
        usernamePrefix,
        groupsClaim,
        groupsPrefix,
        fetch: createIssuerFetch({
          ca: caFile === undefined ? undefined : readFileSync(caFile),
          timeoutMs: config.apiTimeoutMs,
        }),
      });
    }
  }
}
