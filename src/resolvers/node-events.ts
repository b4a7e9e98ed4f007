import { impersonationOf } from '../auth/authorizer.js';
import type { CachedNode } from '../informers/node-projection.js';
import { type NodeEventView, newestFirst } from '../pods/node-events.js';
import type { GatewayContext } from '../server/context.js';
import { type Connection, decodeAfter, pageSize, sliceConnection } from './connection.js';
import { gatewayError, kubeErrorToGraphQL } from './graphql-errors.js';

export interface NodeEventsArgs {
  first?: number | null;
  after?: string | null;
  since?: string | null;
}

/** Events a page holds when `first` is omitted. */
export const DEFAULT_NODE_EVENTS = 20;
/** A `since` this far ahead of the gateway's clock is tolerated as clock skew. */
const SINCE_SKEW_MS = 60_000;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

/**
 * `KubeNode.events`: the node's Events, newest first, straight from the API (never cached: an
 * impersonated LIST, so the cluster's RBAC on `list events` decides), paged with keyset cursors
 * (last seen, then namespace/name). Arguments are checked before the call.
 */
export async function nodeEventConnection(
  ctx: GatewayContext,
  node: CachedNode,
  args: NodeEventsArgs,
): Promise<Connection<NodeEventView>> {
  const max = ctx.services.config.maxPageSize;
  const first = pageSize(args.first, max, Math.min(DEFAULT_NODE_EVENTS, max));
  const since = sinceOf(args.since);
  const after = decodeAfter(args.after || undefined, decodeEventCursor);
  const events = await ctx.services.pods
    .nodeEvents(node.cluster, node.name, impersonationOf(ctx.caller))
    .catch((err: unknown) => {
      throw kubeErrorToGraphQL(err, `listing events of node ${node.name} in cluster ${node.cluster}`);
    });
  const recent = since === undefined ? events : events.filter((e) => seenAt(e) >= since);
  const start = after ? recent.findIndex((e) => newestFirst(e, after) > 0) : 0;
  return sliceConnection(recent, start < 0 ? recent.length : start, first, eventCursor);
}

function sinceOf(since: string | null | undefined): number | undefined {
  if (since === null || since === undefined) return undefined;
  const at = Date.parse(since);
  if (!RFC3339.test(since) || Number.isNaN(at)) {
    throw gatewayError('BAD_USER_INPUT', 'since: must be an RFC 3339 time, e.g. 2026-11-25T16:49:07Z', {
      argument: 'since',
    });
  }
  if (at > Date.now() + SINCE_SKEW_MS) {
    throw gatewayError('BAD_USER_INPUT', 'since: is in the future; no event can have happened after it', {
      argument: 'since',
    });
  }
  return at;
}

function seenAt(e: NodeEventView): number {
  return e.lastSeen ? Date.parse(e.lastSeen) : 0;
}

function eventCursor(e: NodeEventView): string {
  return Buffer.from(`e\u0000${e.lastSeen ?? ''}\u0000${e.namespace}\u0000${e.name}`).toString('base64url');
}

/** The sort key a cursor names, shaped as an event so newestFirst can compare against it. */
function decodeEventCursor(cursor: string): NodeEventView | undefined {
  const parts = Buffer.from(cursor, 'base64url').toString('utf8').split('\u0000');
  if (parts.length !== 4 || parts[0] !== 'e') return undefined;
  const [, lastSeen, namespace, name] = parts;
  return {
    namespace: namespace!,
    name: name!,
    lastSeen: lastSeen || null,
    type: '',
    reason: '',
    message: '',
    source: '',
    count: 0,
    firstSeen: null,
  };
}
