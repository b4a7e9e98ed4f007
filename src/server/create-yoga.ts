import { useGraphQlJit } from '@envelop/graphql-jit';
import { type GraphQLSchema, getOperationAST } from 'graphql';
import { createYoga, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import { ANONYMOUS_CALLER, type Caller } from '../auth/caller.js';
import type { Logger } from '../platform/logger.js';
import { RequestScope } from '../platform/request-scope.js';
import type { GatewayContext, Transport } from './context.js';
import { operationLimitPlugins, yogaLimitOptions } from './limits/operation-limits.js';
import type { GatewayServices } from './services.js';
import { useGatewayMetrics } from './use-gateway-metrics.js';
import { nodeAnswerVersionOf, useNodeResponseCache } from './use-node-response-cache.js';
import { useResponseExtensions } from './use-response-extensions.js';

export type ServerContext = { transport?: Transport };
export type GatewayYoga = YogaServerInstance<ServerContext, GatewayContext>;

export const GRAPHQL_PATH = '/graphql';

export interface CreateYogaOptions {
  schema: GraphQLSchema;
  services: GatewayServices;
  graphiql: boolean;
  /** graphql-jit compiles each operation once; off only to compare (benchmarks) or debug. */
  jit?: boolean;
  /** Reuse serialized answers of cache-only node queries until the caches change. @default true */
  responseCache?: boolean;
}

export function createGatewayContext(
  services: GatewayServices,
  caller: Caller = ANONYMOUS_CALLER,
): GatewayContext {
  return { services, caller, scope: new RequestScope(), responseExtensions: {} };
}

export function createGatewayYoga(options: CreateYogaOptions): GatewayYoga {
  const { services } = options;
  const { limits, maxPageSize } = services.config;
  const plugins: Plugin<GatewayContext>[] = [
    ...operationLimitPlugins(limits, maxPageSize),
    useGatewayMetrics(services.metrics),
    useResponseExtensions(),
  ];
  if (options.jit !== false) plugins.push(useQueryJit());
  if (options.responseCache !== false) {
    plugins.push(
      useNodeResponseCache(nodeAnswerVersionOf(services), { registry: services.metrics.registry }),
    );
  }
  return createYoga<ServerContext, GatewayContext>({
    schema: options.schema,
    graphqlEndpoint: GRAPHQL_PATH,
    // Subscriptions in GraphiQL go over graphql-ws, which shares the /graphql path.
    graphiql: options.graphiql ? { subscriptionsProtocol: 'WS', title: 'kube-node-gateway' } : false,
    // Bundled GraphiQL: yoga's default loads it from a CDN, which clusters' networks often block.
    // Loaded on first use: the bundle costs ~40 MB of memory that API-only gateways never need.
    renderGraphiQL: async (graphiqlOptions) =>
      (await import('@graphql-yoga/render-graphiql')).renderGraphiQL(graphiqlOptions),
    landingPage: false,
    ...yogaLimitOptions(limits),
    logging: yogaLogger(services.logger.child({ component: 'graphql' })),
    context: ({ transport }) => ({
      ...createGatewayContext(services),
      transport: transport ?? 'http',
    }),
    plugins,
  });
}

/**
 * graphql-jit compiles each distinct operation once and serializes results with a generated
 * stringifier: most of the node-list latency. Its subscription support drops events, so
 * subscriptions keep graphql-js.
 */
function useQueryJit(): Plugin<GatewayContext> {
  return useGraphQlJit(
    {},
    {
      enableIf: (args) =>
        getOperationAST(args.document, args.operationName ?? undefined)?.operation !== 'subscription',
    },
  ) as Plugin<GatewayContext>;
}

function yogaLogger(logger: Logger) {
  return {
    debug: (...args: unknown[]) => logger.debug({ args }, 'yoga'),
    info: (...args: unknown[]) => logger.info({ args }, 'yoga'),
    warn: (...args: unknown[]) => logger.warn({ args }, 'yoga'),
    // Masked errors arrive here with their original: keep it in the log, never in the response.
    error: (...args: unknown[]) =>
      logger.error({ err: args.find((a) => a instanceof Error), args }, 'graphql error'),
  };
}
