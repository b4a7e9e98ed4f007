import type { Context } from 'graphql-ws';
import type { Extra } from 'graphql-ws/use/ws';
import { authenticateCredentials } from '../auth/authenticate-credentials.js';
import type { Caller } from '../auth/caller.js';
import { credentialsFromConnectionParams } from '../auth/credentials.js';
import { atExpiry } from '../auth/expiry-timer.js';
import { type AuthenticationHooks, type Refusal, refusalOf } from './authentication-hooks.js';

/** Close codes: graphql-ws's 4401/4403, and WebSocket's 1013 "try again later" for an unreachable authority. */
const CLOSE: Record<Refusal['kind'], readonly [number, string]> = {
  unauthenticated: [4401, 'Unauthorized'],
  forbidden: [4403, 'Forbidden'],
  unavailable: [1013, 'Authentication unavailable'],
};

export interface WsAuthentication {
  /** graphql-ws `onConnect`: authenticates `connection_init`'s authorization; false after closing the socket. */
  onConnect(ctx: Context<Record<string, unknown> | undefined, Extra>): Promise<boolean>;
  /** The caller a connection authenticated as, for each subscribe's context. */
  callerOf(ctx: Context<Record<string, unknown> | undefined, Extra>): Caller | undefined;
}

/**
 * graphql-ws authenticates once per socket, at `connection_init`, and keeps the Caller for every
 * operation on it. The socket closes with 4401 when the token expires, ending its subscriptions.
 */
export function createWsAuthentication(hooks: AuthenticationHooks): WsAuthentication {
  const callers = new WeakMap<object, Caller>();
  return {
    async onConnect(ctx) {
      const { socket } = ctx.extra;
      try {
        const caller = await authenticateCredentials(
          credentialsFromConnectionParams(ctx.connectionParams),
          hooks.authenticator,
        );
        await hooks.admit?.(caller);
        callers.set(ctx, caller);
        if (caller.expiresAt !== undefined) {
          const cancel = atExpiry(caller.expiresAt, () => socket.close(4401, 'Token expired'));
          socket.once('close', cancel);
        }
        return true;
      } catch (err) {
        // Closing first picks the code; graphql-ws's own 4403 for `false` then finds it closing.
        const [code, reason] = CLOSE[refusalOf(err, hooks.logger).kind];
        socket.close(code, reason);
        return false;
      }
    },
    callerOf: (ctx) => callers.get(ctx),
  };
}
