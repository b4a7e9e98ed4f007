import type { Plugin } from 'graphql-yoga';
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
