import type { IncomingMessage } from 'node:http';
import type { Caller } from '../auth/caller.js';

/**
 * Whose budget (subscriptions, mutation rate) an operation draws on: the authenticated user, or,
 * for anonymous callers (`--auth none`), their source address. Anonymous callers share one
 * identity, so one user bucket for all of them would let one client starve every other; the
 * address is what tells them apart. Behind a proxy every anonymous caller has the proxy's address
 * and shares its bucket: authenticate to get per-person budgets.
 */
export function callerBucket(caller: Caller, req: IncomingMessage | undefined): string {
  if (!caller.anonymous) return `user:${caller.username}`;
  return `address:${req?.socket?.remoteAddress ?? 'unknown'}`;
}

/**
 * The Node request of a GraphQL context: yoga's node adapter puts it at `req` for HTTP and SSE;
 * the graphql-ws server passes the upgrade request there.
 */
export function nodeRequestOf(context: object): IncomingMessage | undefined {
  const req = (context as { req?: unknown }).req;
  return typeof req === 'object' && req !== null && 'socket' in req ? (req as IncomingMessage) : undefined;
}
