import type { ServerOptions } from 'node:http';

export interface HttpTimeouts {
  readonly headersTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly keepAliveTimeoutMs: number;
}

/**
 * Limits on how slowly a client may talk (slowloris holds sockets open by sending headers a
 * byte at a time). Node applies `headersTimeout` and `requestTimeout` to *receiving* the
 * request only: an SSE response or an upgraded WebSocket can live for hours (tested in
 * test/e2e/cross-site.test.ts). Node checks the deadlines every `connectionsCheckingInterval`
 * (default 30 s, far beyond a 10 s headers deadline), so the check runs at a fraction of the
 * shortest deadline instead.
 */
export function serverTimeoutOptions(timeouts: HttpTimeouts): ServerOptions {
  const requestTimeout = timeouts.requestTimeoutMs;
  // Node refuses headersTimeout > requestTimeout; headers are part of the request anyway.
  const headersTimeout =
    requestTimeout > 0 ? Math.min(timeouts.headersTimeoutMs, requestTimeout) : timeouts.headersTimeoutMs;
  const shortest = Math.min(...[headersTimeout, requestTimeout].filter((ms) => ms > 0), 4000);
  return {
    headersTimeout,
    requestTimeout,
    keepAliveTimeout: timeouts.keepAliveTimeoutMs,
    connectionsCheckingInterval: Math.max(50, Math.floor(shortest / 4)),
  };
}
