import { blockFieldSuggestionsPlugin } from '@escape.tech/graphql-armor-block-field-suggestions';
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesPlugin } from '@escape.tech/graphql-armor-max-directives';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import type { GraphQLError, ValidationContext } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { GatewayContext } from '../context.js';
import { type LimitFlag, operationTooComplex } from './limit-error.js';

/**
 * graphql-armor's callbacks, turned into our error: armor reports a plain "Syntax Error: ..."
 * without a code; we report OPERATION_TOO_COMPLEX naming the flag. Validation rules report
 * through the context (so every exceeded limit is listed); the token limit has no context (it
 * runs inside the parser) and throws, which also stops parsing at the limit.
 */
function rejectAs(limit: LimitFlag, max: number) {
  return {
    propagateOnRejection: false,
    onReject: [
      (context: ValidationContext | null, armorError: GraphQLError) => {
        const found = /found (\d+)/.exec(armorError.message)?.[1];
        const error = operationTooComplex(limit, max, found === undefined ? undefined : Number(found));
        if (!context) throw error;
        context.reportError(error);
      },
    ],
  };
}

export interface ArmorLimits {
  readonly maxDepth: number;
  readonly maxAliases: number;
  readonly maxTokens: number;
  readonly maxDirectives: number;
  readonly fieldSuggestions: boolean;
}

/** Depth, aliases, tokens, directives and "Did you mean" through graphql-armor; 0 = that limit off. */
export function armorLimitPlugins(limits: ArmorLimits): Plugin<GatewayContext>[] {
  const plugins: Plugin<GatewayContext>[] = [];
  // Introspection (GraphiQL's schema query nests ofType ~9 deep) is not counted against depth.
  if (limits.maxDepth > 0)
    plugins.push(
      maxDepthPlugin({
        n: limits.maxDepth,
        ...rejectAs('max-depth', limits.maxDepth),
      }) as Plugin<GatewayContext>,
    );
  if (limits.maxAliases > 0)
    plugins.push(
      maxAliasesPlugin({
        n: limits.maxAliases,
        ...rejectAs('max-aliases', limits.maxAliases),
      }) as Plugin<GatewayContext>,
    );
  if (limits.maxTokens > 0)
    plugins.push(
      maxTokensPlugin({
        n: limits.maxTokens,
        ...rejectAs('max-tokens', limits.maxTokens),
      }) as Plugin<GatewayContext>,
    );
  if (limits.maxDirectives > 0)
    plugins.push(
      maxDirectivesPlugin({
        n: limits.maxDirectives,
        ...rejectAs('max-directives', limits.maxDirectives),
      }) as Plugin<GatewayContext>,
    );
  if (!limits.fieldSuggestions) plugins.push(blockFieldSuggestionsPlugin() as Plugin<GatewayContext>);
  return plugins;
}
