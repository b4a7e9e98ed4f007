import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import type { Plugin } from 'graphql-yoga';
import { gatewayError } from '../resolvers/graphql-errors.js';
import type { GatewayContext } from './context.js';
import { originPolicy } from './http-guards/origin-policy.js';

/** Any one of these marks a GET as sent by a script that could also have been preflighted. */
export const CSRF_HEADERS = ['x-graphql-csrf-token', 'apollo-require-preflight', 'x-graphql-yoga-csrf'];

/**
 * yoga's CSRF prevention: a request a page can send without a CORS preflight (a GET, or a
 * form/text POST, which use-json-post-only.ts already refuses) must carry one of CSRF_HEADERS,
 * else 403. What keeps working, and why:
 * - JSON POSTs (GraphiQL, graphql-ws's HTTP siblings, curl -H 'content-type: application/json')
 *   need no header: a cross-site page cannot send one without a preflight;
 * - GraphiQL's page (GET with Accept: text/html) is served before this check runs;
 * - a GET from a browser that proves its origin needs no header either: `Sec-Fetch-Site:
 *   same-origin` (the gateway's own pages, e.g. an EventSource on /graphql, which cannot set
 *   headers) or an Origin the allowlist grants. Pages cannot forge either header;
 * - curl and other clients sending GET add `-H 'x-graphql-csrf-token: 1'` (or POST JSON).
 * Mutations never run over GET at all (yoga answers 405).
 */
export function useCsrfGuard(allowedOrigins: readonly string[]): Plugin<GatewayContext> {
  const policy = originPolicy(allowedOrigins);
  const csrf = useCSRFPrevention({ requestHeaders: CSRF_HEADERS });
  return {
    onRequestParse(payload) {
      const { headers } = payload.request;
      if (headers.get('sec-fetch-site') === 'same-origin') return;
      const origin = headers.get('origin');
      if (origin !== null) {
        const grant = policy.grant({ origin, host: headers.get('host') ?? undefined });
        if (grant !== 'foreign') return;
      }
      try {
        csrf.onRequestParse?.(payload);
      } catch {
        throw gatewayError(
          'FORBIDDEN',
          `a GET needs one of the headers ${CSRF_HEADERS.join(', ')} (cross-site pages cannot send them), or POST a JSON body`,
        );
      }
    },
  };
}
