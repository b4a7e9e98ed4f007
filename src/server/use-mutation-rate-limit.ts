import { getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { RateLimiter } from '../events/rate-limiter.js';
import { gatewayError } from '../resolvers/graphql-errors.js';
import { callerBucket, nodeRequestOf } from './caller-bucket.js';
import type { GatewayContext } from './context.js';
import { countRootFields, fragmentsOf } from './limits/root-fields.js';

/**
 * Each mutation field draws one token from its caller's bucket (see callerBucket) before
 * anything runs. An operation whose fields the bucket cannot cover is refused whole, with
 * RATE_LIMITED and `retryAfterMs`, and no API call is made: partial execution of an aliased
 * batch would leave the caller guessing which half ran.
 */
export function useMutationRateLimit(
  limiter: RateLimiter | undefined,
  burst: number,
): Plugin<GatewayContext> {
  return {
    async onExecute({ args, setResultAndStopExecution }) {
      if (!limiter) return;
      const operation = getOperationAST(args.document, args.operationName ?? undefined);
      if (operation?.operation !== 'mutation') return;
      const fields = countRootFields(operation.selectionSet, fragmentsOf(args.document));
      if (fields === 0) return;
      const ctx = args.contextValue;
      if (fields > burst) {
        setResultAndStopExecution({
          errors: [
            gatewayError('RATE_LIMITED', `at most ${burst} mutation fields per operation, got ${fields}`, {
              limit: 'mutation-rate',
              max: burst,
            }),
          ],
        });
        return;
      }
      const decision = await limiter.take(callerBucket(ctx.caller, nodeRequestOf(ctx)), fields);
      if (decision.allowed) return;
      setResultAndStopExecution({
        errors: [
          gatewayError(
            'RATE_LIMITED',
            `too many mutations; retry in ${Math.ceil(decision.retryAfterMs / 1000)} s`,
            { limit: 'mutation-rate', retryAfterMs: decision.retryAfterMs },
          ),
        ],
      });
    },
  };
}
