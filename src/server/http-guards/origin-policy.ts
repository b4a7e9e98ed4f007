import type { IncomingHttpHeaders } from 'node:http';

/**
 * How the gateway treats a request's Origin (browsers send it on WebSocket upgrades, on CORS
 * requests and on every POST; pages cannot forge it):
 * - `none`: no Origin: a non-browser client, or a same-origin GET;
 * - `same-host`: the gateway's own pages (GraphiQL); CORS is not involved;
 * - `listed`: named by --allowed-origin: CORS with credentials;
 * - `any`: --allowed-origin '*' lets every origin in, CORS without credentials;
 * - `foreign`: refused over HTTP and WebSocket alike.
 */
export type OriginGrant = 'none' | 'same-host' | 'listed' | 'any' | 'foreign';

export interface OriginPolicy {
  grant(headers: Pick<IncomingHttpHeaders, 'origin' | 'host'>): OriginGrant;
}

const policies = new WeakMap<readonly string[], OriginPolicy>();

/**
 * The policy of `--allowed-origin` values (one per list, built once): exact origins as a
 * browser writes them (`https://portal.example.com`, no path), or `*`. Throws on anything
 * else, so a typo fails the start instead of silently refusing the portal.
 */
export function originPolicy(allowedOrigins: readonly string[]): OriginPolicy {
  let policy = policies.get(allowedOrigins);
  if (!policy) {
    policy = buildOriginPolicy(allowedOrigins);
    policies.set(allowedOrigins, policy);
  }
  return policy;
}

function buildOriginPolicy(allowedOrigins: readonly string[]): OriginPolicy {
  const anyOrigin = allowedOrigins.includes('*');
  const listed = new Set(allowedOrigins.filter((o) => o !== '*').map(normalizeOrigin));
  return {
    grant({ origin, host }) {
      if (origin === undefined) return 'none';
      if (listed.has(origin.toLowerCase())) return 'listed';
      // Same host is only safe because the Host header was checked first (host-policy.ts):
      // otherwise a DNS-rebound page's Origin and Host would match each other.
      if (host !== undefined && hostOfOrigin(origin) === host.toLowerCase()) return 'same-host';
      return anyOrigin ? 'any' : 'foreign';
    },
  };
}

/** The one check WebSocket upgrades and HTTP requests share: every grant but `foreign` passes. */
export function isAllowedOrigin(
  req: { headers: Pick<IncomingHttpHeaders, 'origin' | 'host'> },
  allowedOrigins: readonly string[],
): boolean {
  return originPolicy(allowedOrigins).grant(req.headers) !== 'foreign';
}

function normalizeOrigin(entry: string): string {
  let url: URL | undefined;
  try {
    url = new URL(entry);
  } catch {
    url = undefined;
  }
  const bare = url && url.pathname === '/' && !url.search && !url.hash && !url.username && !url.password;
  if (!url || !bare || !/^https?:$/.test(url.protocol))
    throw new Error(
      `--allowed-origin must be an origin like https://portal.example.com (scheme, host, optional port; no path) or *, got "${entry}"`,
    );
  return url.origin;
}

function hostOfOrigin(origin: string): string | undefined {
  try {
    return new URL(origin).host;
  } catch {
    return undefined;
  }
}
