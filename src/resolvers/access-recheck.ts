import type { GraphQLError } from 'graphql';
import type { GatewayContext } from '../server/context.js';
import { type AccessCheck, forbidden, requireAll } from './authorize.js';

/**
 * A subscription's events for as long as its caller keeps the access it needed: every
 * --authz-recheck the checks are asked again, bypassing the decision cache (a withdrawn
 * RoleBinding ends the stream within one interval, however long decisions are cached). A
 * denial is delivered as one failure item (FORBIDDEN), then the stream ends; a check that could
 * not be asked (the API is down) keeps the stream going and is tried again next time.
 * The anonymous caller of `--auth none` gets `events` as they are.
 */
export function recheckingAccess<T, F>(
  ctx: GatewayContext,
  events: AsyncIterableIterator<T>,
  checks: readonly AccessCheck[],
  failureItem: (error: GraphQLError) => F,
): AsyncIterableIterator<T | F> {
  const { authorizer } = ctx.services;
  if (ctx.caller.anonymous || !authorizer || checks.length === 0) return events;
  let finished = false;
  let failure: GraphQLError | undefined;
  let denied: (err: GraphQLError) => void = () => {};
  const deniedNow = new Promise<GraphQLError>((resolve) => {
    denied = resolve;
  });
  const recheck = async () => {
    for (const check of checks) {
      const decision = await authorizer
        .allowed(ctx.caller, check.cluster, check.needs, { fresh: true })
        .catch(() => ({ allowed: true }));
      if (!decision.allowed && !finished) {
        ctx.services.authzMetrics?.denied(check.needs);
        failure = forbidden(check);
        denied(failure);
        return;
      }
    }
  };
  const timer = setInterval(() => void recheck(), ctx.services.config.authz.recheckMs);
  timer.unref();
  const end = async () => {
    if (finished) return;
    finished = true;
    clearInterval(timer);
    await events.return?.();
  };
  return {
    async next(): Promise<IteratorResult<T | F>> {
      if (finished) return { done: true, value: undefined };
      if (failure) {
        await end();
        return { done: false, value: failureItem(failure) };
      }
      const next = await Promise.race([events.next(), deniedNow]);
      if (next instanceof Error) {
        await end();
        return { done: false, value: failureItem(next) };
      }
      if (next.done) await end();
      return next;
    },
    async return(): Promise<IteratorResult<T | F>> {
      await end();
      return { done: true, value: undefined };
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

/** The checks at subscribe time: FORBIDDEN now, before any event, when one is denied. */
export async function subscribeChecked(ctx: GatewayContext, checks: readonly AccessCheck[]): Promise<void> {
  if (ctx.caller.anonymous) return;
  await requireAll(ctx, checks);
}
