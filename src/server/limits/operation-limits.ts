import type { Plugin } from 'graphql-yoga';
import type { OperationLimitsConfig } from '../../config/gateway-config.js';
import type { GatewayContext } from '../context.js';
import { boundedParserCache } from './parser-cache.js';
import { useMaxRootMutations } from './root-mutations-rule.js';
import { armorLimitPlugins } from './use-armor-limits.js';
import { useBodyLimit } from './use-body-limit.js';
import { useOperationCost } from './use-operation-cost.js';
import { useTokenPrecheck } from './use-token-precheck.js';

/** Every limit off: for benchmarks comparing the cost of the limits. */
export const NO_LIMITS: OperationLimitsConfig = {
  maxDepth: 0,
  maxAliases: 0,
  maxTokens: 0,
  maxDirectives: 0,
  maxCost: 0,
  maxRootMutations: 0,
  maxBodyBytes: 0,
  parserCacheBytes: 16 * 1024 * 1024,
  fieldSuggestions: true,
};

/**
 * The limit plugins, to go first in yoga's list (the token pre-check must run before the
 * response cache's onParams). All of them refuse before execution: no resolver, no API call.
 */
export function operationLimitPlugins(
  limits: OperationLimitsConfig,
  maxPageSize: number,
  env: NodeJS.ProcessEnv = process.env,
): Plugin<GatewayContext>[] {
  const plugins: Plugin<GatewayContext>[] = [];
  if (limits.maxBodyBytes > 0) plugins.push(useBodyLimit(limits.maxBodyBytes));
  if (limits.maxTokens > 0) plugins.push(useTokenPrecheck(limits.maxTokens));
  plugins.push(
    ...armorLimitPlugins({
      ...limits,
      // The schema is public (served to GraphiQL, shipped as schema.graphql), so suggestions leak
      // nothing in development, where they help; production answers stay terse.
      fieldSuggestions: limits.fieldSuggestions && env.NODE_ENV !== 'production',
    }),
  );
  if (limits.maxRootMutations > 0) plugins.push(useMaxRootMutations(limits.maxRootMutations));
  if (limits.maxCost > 0) plugins.push(useOperationCost(limits.maxCost, { maxPageSize }));
  return plugins;
}

/** yoga's own options: its body limit replaced by useBodyLimit; the bounded parser cache. */
export function yogaLimitOptions(limits: OperationLimitsConfig) {
  return {
    maxRequestBodySize: false as const,
    parserAndValidationCache: boundedParserCache(limits.parserCacheBytes),
  };
}
