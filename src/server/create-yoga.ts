import { useGraphQlJit } from '@envelop/graphql-jit';
import { type GraphQLSchema, getOperationAST } from 'graphql';
import { createYoga, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import { ANONYMOUS_CALLER, type Caller } from '../auth/caller.js';
import type { Logger } from '../platform/logger.js';
import { RequestScope } from '../platform/request-scope.js';
import type { AuthenticationHooks } from './authentication-hooks.js';
import { useResponseCompression } from './compression/use-response-compression.js';
import type { GatewayContext, Transport } from './context.js';
import { SubscriptionFanout } from './fanout/subscription-fanout.js';
import { renderGraphiqlPage } from './graphiql-assets.js';
import { JitAdmission } from './jit-admission.js';
import { operationLimitPlugins, yogaLimitOptions } from './limits/operation-limits.js';
import type { GatewayServices } from './services.js';
import { SubscriptionLimits } from './subscription-limits.js';
import { useAuthentication } from './use-authentication.js';
import { useBoundedErrorMessages } from './use-bounded-error-messages.js';
import { useCsrfGuard } from './use-csrf-guard.js';
import { useGatewayMetrics } from './use-gateway-metrics.js';
import { useJsonPostOnly } from './use-json-post-only.js';
import { useMutationRateLimit } from './use-mutation-rate-limit.js';
import { nodeAnswerVersionOf, useNodeResponseCache } from './use-node-response-cache.js';
import { useOriginAllowlist } from './use-origin-allowlist.js';
import { useResponseExtensions } from './use-response-extensions.js';
import { useSseFanout } from './use-sse-fanout.js';
import { useStreamedLists } from './use-streamed-lists.js';
import { useStripHttpExtensions } from './use-strip-http-extensions.js';
import { useSubscriptionLimits } from './use-subscription-limits.js';
import { tracingPlugins } from './use-tracing.js';
import { DOCUMENT_ID_PARAM, type TrustedDocuments } from './use-trusted-documents.js';

/** Set per request before the context is built; `caller` by authentication (HTTP) or the socket (graphql-ws). */
export type ServerContext = { transport?: Transport; caller?: Caller };
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
  /** Bearer-token authentication of every operation; undefined = `--auth none` (anonymous). */
  authentication?: AuthenticationHooks;
  /** Shared with the graphql-ws server, so both transports draw on one count. */
  subscriptionLimits?: SubscriptionLimits;
  /** Trusted documents and automatic persisted queries; absent = queries as sent only. */
  trustedDocuments?: TrustedDocuments;
  /** nodeChanged's fan-out, shared with the graphql-ws server; default: one of its own. */
  fanout?: SubscriptionFanout;
}

export function createGatewayContext(
  services: GatewayServices,
  caller: Caller = ANONYMOUS_CALLER,
): GatewayContext {
  return { services, caller, scope: new RequestScope(), responseExtensions: {} };
}

export function createGatewayYoga(options: CreateYogaOptions): GatewayYoga {
  const { services } = options;
  const { allowedOrigins, limits, maxPageSize } = services.config;
  const subscriptionLimits = options.subscriptionLimits ?? SubscriptionLimits.fromConfig(services.config);
  const plugins: Plugin<GatewayContext>[] = [
    // Body size and operation limits before anything reads the body or parses the whole document.
    ...operationLimitPlugins(limits, maxPageSize),
    // Then trusted documents: they set params.query, which the response cache keys on.
    ...(options.trustedDocuments?.plugins() ?? []),
    // Cross-site guards first, in this order: foreign Origin (403), non-JSON POST (415), CSRF header (403).
    useOriginAllowlist(allowedOrigins),
    useJsonPostOnly(),
    useCsrfGuard(allowedOrigins),
    // Then authentication, before anything (the response cache included) can answer.
    ...(options.authentication
      ? [useAuthentication({ ...options.authentication, graphiql: options.graphiql })]
      : []),
    // Per-caller budgets need the caller that authentication put in the context.
    useSubscriptionLimits(subscriptionLimits),
    useMutationRateLimit(services.mutationRateLimiter, services.config.limits.mutationBurst),
    useGatewayMetrics(services.metrics),
    useResponseExtensions(),
    useStripHttpExtensions(),
    useBoundedErrorMessages(),
    // Last: it compresses the response every other plugin has finished.
    useResponseCompression(),
  ];
  if (options.jit !== false) plugins.push(useQueryJit());
  // After the plugins that shape the result (errors, extensions): it takes over writing long answers.
  plugins.push(
    useStreamedLists({
      minItems: services.config.streamListsOver,
      jit: options.jit !== false,
      registry: services.metrics.registry,
      logger: services.logger.child({ component: 'streamed-lists' }),
    }),
  );
  if (options.responseCache !== false) {
    plugins.push(
      useNodeResponseCache(nodeAnswerVersionOf(services), {
        registry: services.metrics.registry,
        authzTtlMs: services.config.authz.cacheTtlMs,
      }),
    );
  }
  // Last: its execute wrapper (the operation span's context) must wrap graphql-jit's executor.
  plugins.push(...tracingPlugins(services.tracing));
  // After every plugin that may set the subscribe function: it replaces it with the fan-out's join.
  plugins.push(
    useSseFanout(
      options.fanout ??
        new SubscriptionFanout({
          onError: (err) => services.logger.error({ err }, 'nodeChanged fan-out failed'),
        }),
    ),
  );
  return createYoga<ServerContext, GatewayContext>({
    schema: options.schema,
    graphqlEndpoint: GRAPHQL_PATH,
    // yoga's CORS reflects any Origin with credentials; use-origin-allowlist.ts answers instead.
    cors: false,
    // Subscriptions in GraphiQL go over graphql-ws, which shares the /graphql path.
    graphiql: options.graphiql ? { subscriptionsProtocol: 'WS', title: 'kube-node-gateway' } : false,
    // Bundled GraphiQL: yoga's default loads it from a CDN, which clusters' networks often block.
    renderGraphiQL: renderGraphiqlPage,
    landingPage: false,
    extraParamNames: [DOCUMENT_ID_PARAM],
    ...yogaLimitOptions(limits),
    logging: yogaLogger(services.logger.child({ component: 'graphql' })),
    context: ({ transport, caller }) => ({
      ...createGatewayContext(services, caller),
      transport: transport ?? 'http',
    }),
    plugins,
  });
}

/**
 * graphql-jit compiles each distinct operation once and serializes results with a generated
 * stringifier: most of the node-list latency. Its subscription support drops events, so
 * subscriptions keep graphql-js. What it compiles is bounded (jit-admission.ts).
 */
function useQueryJit(): Plugin<GatewayContext> {
  const admission = new JitAdmission();
  return useGraphQlJit(
    {},
    {
      enableIf: (args) =>
        getOperationAST(args.document, args.operationName ?? undefined)?.operation !== 'subscription' &&
        admission.admits(args.document),
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
