import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GraphQLSchema } from 'graphql';
import { DEFAULT_CONFIG, type GatewayConfig } from '../../src/config/gateway-config.js';
import { createLogger } from '../../src/platform/logger.js';
import { GatewayMetrics } from '../../src/platform/metrics.js';
import { buildSchema } from '../../src/schema/index.js';
import { createGatewayRuntime, type GatewayRuntime } from '../../src/server/gateway-runtime.js';
import { createGatewayServer } from '../../src/server/gateway-server.js';
import {
  createWsClient,
  type GraphQLResponse,
  postGraphQL,
  subscribeSse,
  subscribeWs,
  type TestSubscription,
} from '../support/graphql-clients.js';

/** A temp directory removed by `cleanup`. */
export async function tempDir(prefix = 'kng-test-'): Promise<{ path: string; cleanup(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, cleanup: () => rm(path, { recursive: true, force: true }) };
}

export interface TestGateway {
  readonly baseUrl: string;
  readonly graphqlUrl: string;
  readonly wsUrl: string;
  readonly runtime: GatewayRuntime;
  query<TData = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<GraphQLResponse<TData>>;
  /** A subscription over graphql-ws (one WebSocket per gateway, opened lazily). */
  subscribe<TData = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
  ): TestSubscription<TData>;
  subscribeSse<TData = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
  ): TestSubscription<TData>;
  stop(): Promise<void>;
}

export interface StartGatewayOptions {
  kubeconfigPath: string;
  contexts?: string[];
  allContexts?: boolean;
  config?: Partial<GatewayConfig>;
  /** A schema built by the test (transport tests); default: the product schema. */
  schema?: GraphQLSchema;
}

/** An in-process gateway listening on a free port. LOG_LEVEL=debug shows its logs. */
export async function startGateway(options: StartGatewayOptions): Promise<TestGateway> {
  const config: GatewayConfig = {
    ...DEFAULT_CONFIG,
    port: 0,
    logLevel: (process.env.LOG_LEVEL as GatewayConfig['logLevel']) ?? 'silent',
    kubeconfigPaths: [options.kubeconfigPath],
    contexts: options.contexts ?? [],
    allContexts: options.allContexts ?? false,
    shutdownTimeoutMs: 2000,
    ...options.config,
  };
  const logger = createLogger(config.logLevel, process.stderr);
  const runtime = createGatewayRuntime(config, logger, new GatewayMetrics({ collectProcessMetrics: false }));
  await runtime.start();
  const server = createGatewayServer({ schema: options.schema ?? buildSchema(), services: runtime.services });
  const baseUrl = await server.listen();
  const graphqlUrl = `${baseUrl}/graphql`;
  const wsUrl = graphqlUrl.replace(/^http/, 'ws');
  let ws: ReturnType<typeof createWsClient> | undefined;
  return {
    baseUrl,
    graphqlUrl,
    wsUrl,
    runtime,
    query: (query, variables) => postGraphQL(graphqlUrl, query, variables),
    subscribe(query, variables) {
      ws ??= createWsClient(wsUrl);
      return subscribeWs(ws, query, variables);
    },
    subscribeSse: (query, variables) => subscribeSse(graphqlUrl, query, variables),
    async stop() {
      await ws?.dispose();
      await server.close();
      await runtime.stop();
    },
  };
}

export { type SpawnedGateway, spawnGateway } from '../support/spawn-gateway.js';
