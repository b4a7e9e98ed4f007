import type { Plugin } from 'graphql-yoga';
import type { CacheStaleness } from '../informers/node-informer.js';
import type { GatewayContext } from './context.js';

/** Merges what resolvers put in `context.responseExtensions` into the response's `extensions`. */
export function useResponseExtensions(): Plugin<GatewayContext> {
  return {
    onExecute({ args }) {
      return {
        onExecuteDone({ result, setResult }) {
          const extra = args.contextValue.responseExtensions;
          if (Object.keys(extra).length === 0 || Symbol.asyncIterator in result) return;
          setResult({ ...result, extensions: { ...result.extensions, ...extra } });
        },
      };
    },
  };
}

/**
 * Tells the client (extensions.stale: [{ cluster, ageSeconds }]) that an answer came from a
 * cache not known to be current, and how old it is; one entry per cluster, the oldest age.
 */
export function reportStale(ctx: GatewayContext, stale: CacheStaleness | undefined): void {
  if (!stale) return;
  const list = (ctx.responseExtensions.stale as CacheStaleness[] | undefined) ?? [];
  ctx.responseExtensions.stale = list;
  const index = list.findIndex((s) => s.cluster === stale.cluster);
  if (index < 0) list.push(stale);
  else if (list[index]!.ageSeconds < stale.ageSeconds) list[index] = stale;
}
