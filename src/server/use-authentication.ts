import { type Plugin, shouldRenderGraphiQL } from 'graphql-yoga';
import { authenticateCredentials } from '../auth/authenticate-credentials.js';
import { credentialsFromAuthorization } from '../auth/credentials.js';
import { untilExpiry } from '../auth/subscription-expiry.js';
import { gatewayError } from '../resolvers/graphql-errors.js';
import { type AuthenticationHooks, type Refusal, refusalOf } from './authentication-hooks.js';
import type { GatewayContext } from './context.js';
import type { ServerContext } from './create-yoga.js';

const REFUSAL_RESPONSE = {
  unauthenticated: { status: 401, code: 'UNAUTHENTICATED' },
  unavailable: { status: 503, code: 'UPSTREAM_UNAVAILABLE' },
  forbidden: { status: 403, code: 'FORBIDDEN' },
} as const;

/**
 * Authentication of HTTP and SSE requests: the `Authorization: Bearer` header is turned into
 * the request's Caller in onRequest, before yoga parses anything; a refusal answers 401 (with
 * `WWW-Authenticate: Bearer`), 403 or 503 at once. The GraphiQL page itself (GET text/html)
 * is served without a token: it is static, and every query it sends needs one.
 * An SSE subscription ends with an UNAUTHENTICATED event when its token expires.
 */
export function useAuthentication(
  hooks: AuthenticationHooks & { graphiql: boolean },
): Plugin<GatewayContext> {
  return {
    async onRequest({ request, serverContext, endResponse }) {
      if (request.method === 'OPTIONS' || (hooks.graphiql && shouldRenderGraphiQL(request))) return;
      try {
        const caller = await authenticateCredentials(
          credentialsFromAuthorization(request.headers.get('authorization')),
          hooks.authenticator,
        );
        await hooks.admit?.(caller);
        // The per-request server context is what yoga's context factory reads the caller from.
        (serverContext as ServerContext).caller = caller;
      } catch (err) {
        endResponse(refusalResponse(refusalOf(err, hooks.logger)));
      }
    },
    onSubscribe({ args }) {
      const { transport, caller } = args.contextValue;
      const expiresAt = caller.expiresAt;
      // graphql-ws closes the whole socket at expiry (ws-authentication.ts).
      if (transport === 'ws' || expiresAt === undefined) return;
      return {
        onSubscribeResult({ result, setResult }) {
          if (!(Symbol.asyncIterator in result)) return;
          setResult(
            untilExpiry(result, expiresAt, () => ({
              errors: [gatewayError('UNAUTHENTICATED', 'the token has expired')],
            })),
          );
        },
      };
    },
  };
}

function refusalResponse(refusal: Refusal): Response {
  const { status, code } = REFUSAL_RESPONSE[refusal.kind];
  const headers: Record<string, string> = {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
  };
  if (refusal.kind === 'unauthenticated') headers['www-authenticate'] = 'Bearer';
  if (refusal.kind === 'unavailable') headers['retry-after'] = '5';
  return new Response(JSON.stringify({ errors: [{ message: refusal.message, extensions: { code } }] }), {
    status,
    headers,
  });
}
