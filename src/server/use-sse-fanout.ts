import type { ExecutionArgs } from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import type { GatewayContext } from './context.js';
import { processSseMemberResult } from './fanout/sse-member-response.js';
import { SseMemberWriter } from './fanout/sse-member-writer.js';
import { fanoutKey, type SubscriptionFanout } from './fanout/subscription-fanout.js';

/**
 * nodeChanged over SSE joins the fan-out's groups (src/server/fanout), as over graphql-ws:
 * without it every SSE subscriber ran its own execution and JSON.stringify of every event.
 *
 * Only the subscribe step and the writing change. This plugin's onSubscribe swaps the subscribe
 * function of an SSE request whose fanoutKey is defined (resumes with `since` are not) for the
 * fan-out's join; the member's own subscribe still runs first under a check-only context
 * (argument errors, FORBIDDEN come back as its result). The hooks of the other plugins run on the
 * member's stream as before (limits and metrics count it and free it at its end, an expiring
 * token ends it with UNAUTHENTICATED). Its response is written by sse-member-response.ts: yoga's
 * bytes (framing, pings, `event: complete`) in one shared chunk per event, pulling the member's
 * stream only when the response has room, which is the backpressure that moves a slow client to
 * its own conflating queue (sse-member-writer.ts). Last in the plugin list: a later plugin's
 * subscribe function would replace the join.
 */
export function useSseFanout(fanout: SubscriptionFanout): Plugin<GatewayContext> {
  /** Requests answered by a fan-out member's stream. */
  const members = new WeakSet<Request>();
  return {
    onSubscribe({ args, subscribeFn, setSubscribeFn }) {
      const ctx = args.contextValue;
      if (ctx.transport !== 'sse') return;
      const { query, request } = yogaPartsOf(ctx);
      if (query === undefined) return;
      const key = fanoutKey(args.document, query, args.operationName, args.variableValues, ctx.caller);
      if (key === undefined) return;
      setSubscribeFn(async (subscribeArgs: ExecutionArgs) => {
        const joined = await fanout.join({
          key,
          writer: new SseMemberWriter(),
          args: subscribeArgs,
          check: subscribeFn,
        });
        if (request && isAsyncIterable(joined)) members.add(request);
        return joined;
      });
    },
    onResultProcess({ request, result, setResultProcessor }) {
      if (!members.has(request) || !isAsyncIterable(result)) return;
      // A subscription's async result has one processor in yoga, SSE: the same bytes, fewer writes.
      setResultProcessor(processSseMemberResult, 'text/event-stream');
      // A client gone before yoga's response stream was consumed (it is cancelled, and returns
      // the member, only once it is being sent): the member leaves its group all the same.
      const leave = () => void result[Symbol.asyncIterator]().return?.();
      if (request.signal.aborted) leave();
      else request.signal.addEventListener('abort', leave, { once: true });
    },
  };
}

/** The parts of yoga's initial context this plugin reads: the query text (key) and the request. */
function yogaPartsOf(ctx: GatewayContext): { query?: string; request?: Request } {
  const { params, request } = ctx as { params?: { query?: unknown }; request?: Request };
  return { query: typeof params?.query === 'string' ? params.query : undefined, request };
}
