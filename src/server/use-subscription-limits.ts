import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import { callerBucket, nodeRequestOf } from './caller-bucket.js';
import type { GatewayContext } from './context.js';
import { isRefusal, type SubscriptionLimits, subscriptionLimitError } from './subscription-limits.js';

/**
 * Subscription limits for SSE (and plain HTTP) subscriptions: one over a limit is answered with
 * a RATE_LIMITED error event instead of a stream. graphql-ws subscriptions are counted by the
 * WebSocket server, which can answer the one subscription id with an error message.
 */
export function useSubscriptionLimits(limits: SubscriptionLimits): Plugin<GatewayContext> {
  return {
    onSubscribe({ args, setResultAndStopExecution }) {
      const ctx = args.contextValue;
      if (ctx.transport === 'ws') return;
      const req = nodeRequestOf(ctx);
      // One HTTP request is one subscription's connection.
      const slot = limits.acquire(req ?? ctx, callerBucket(ctx.caller, req));
      if (isRefusal(slot)) {
        setResultAndStopExecution({ errors: [subscriptionLimitError(slot)] });
        return;
      }
      return {
        onSubscribeResult({ result }) {
          if (!isAsyncIterable(result)) {
            slot();
            return;
          }
          return { onEnd: slot };
        },
        onSubscribeError: slot,
      };
    },
  };
}
