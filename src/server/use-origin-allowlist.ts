import type { Plugin } from 'graphql-yoga';
import { gatewayError } from '../resolvers/graphql-errors.js';
import type { GatewayContext } from './context.js';
import { type OriginGrant, originPolicy } from './http-guards/origin-policy.js';

/** How long a browser may reuse a preflight answer. */
const PREFLIGHT_MAX_AGE_SECONDS = 600;

/**
 * CORS from the --allowed-origin allowlist, the same policy the WebSocket upgrade checks, in
 * place of yoga's default (which reflects any Origin with credentials: every site could read
 * answers with the user's cookies and network position). A listed origin gets itself back with
 * credentials; `*` gets `*` without; the gateway's own pages need no CORS; any other origin
 * gets no CORS headers and its requests are refused before they are parsed.
 */
export function useOriginAllowlist(allowedOrigins: readonly string[]): Plugin<GatewayContext> {
  const policy = originPolicy(allowedOrigins);
  const grantOf = (request: Request): OriginGrant =>
    policy.grant({
      origin: request.headers.get('origin') ?? undefined,
      host: request.headers.get('host') ?? undefined,
    });
  return {
    onRequest({ request, fetchAPI, endResponse }) {
      if (request.method !== 'OPTIONS') return;
      const grant = grantOf(request);
      const headers = new fetchAPI.Headers({ 'content-length': '0' });
      if (grant === 'listed' || grant === 'any') {
        headers.set('access-control-allow-methods', 'GET, POST');
        const asked = request.headers.get('access-control-request-headers');
        if (asked) headers.set('access-control-allow-headers', asked);
        headers.set('access-control-max-age', String(PREFLIGHT_MAX_AGE_SECONDS));
      }
      endResponse(new fetchAPI.Response(null, { status: grant === 'foreign' ? 403 : 204, headers }));
    },
    onRequestParse({ request }) {
      if (grantOf(request) === 'foreign') {
        throw gatewayError(
          'FORBIDDEN',
          `requests from origin ${request.headers.get('origin')} are not allowed (list it with --allowed-origin)`,
        );
      }
    },
    onResponse({ request, response }) {
      // The answer depends on Origin: caches must not hand one origin's answer to another.
      response.headers.append('vary', 'Origin');
      const grant = grantOf(request);
      if (grant === 'listed') {
        response.headers.set('access-control-allow-origin', request.headers.get('origin') ?? '');
        response.headers.set('access-control-allow-credentials', 'true');
      } else if (grant === 'any') {
        response.headers.set('access-control-allow-origin', '*');
      }
      if (request.method === 'OPTIONS' && request.headers.has('access-control-request-headers'))
        response.headers.append('vary', 'Access-Control-Request-Headers');
    },
  };
}
