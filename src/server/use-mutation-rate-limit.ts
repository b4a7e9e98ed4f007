import { type DocumentNode, getOperationAST, Kind, type SelectionSetNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { RateLimiter } from '../events/rate-limiter.js';
import { gatewayError } from '../resolvers/graphql-errors.js';
import { callerBucket, nodeRequestOf } from './caller-bucket.js';
import type { GatewayContext } from './context.js';

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
      const fields = countRootFields(args.document, operation.selectionSet, new Set());
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

/** Root fields (aliases count, `__typename` does not), through fragments, each fragment once. */
function countRootFields(document: DocumentNode, set: SelectionSetNode, seen: Set<string>): number {
  let n = 0;
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value !== '__typename') n++;
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      n += countRootFields(document, selection.selectionSet, seen);
    } else if (!seen.has(selection.name.value)) {
      seen.add(selection.name.value);
      const fragment = document.definitions.find(
        (d) => d.kind === Kind.FRAGMENT_DEFINITION && d.name.value === selection.name.value,
      );
      if (fragment?.kind === Kind.FRAGMENT_DEFINITION)
        n += countRootFields(document, fragment.selectionSet, seen);
    }
  }
  return n;
}
