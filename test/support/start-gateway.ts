import type { GraphQLSchema } from 'graphql';
import { DEFAULT_CONFIG, type GatewayConfig } from '../../src/config/gateway-config.js';
import { createLogger } from '../../src/platform/logger.js';
import { GatewayMetrics } from '../../src/platform/metrics.js';
import { buildSchema } from '../../src/schema/index.js';
import { createGatewayRuntime, type GatewayRuntime } from '../../src/server/gateway-runtime.js';
import { createGatewayServer } from '../../src/server/gateway-server.js';
import { type GatewayClient, gatewayClient } from './gateway-client.js';

export interface TestGateway extends GatewayClient {
  readonly runtime: GatewayRuntime;
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
  const client = gatewayClient(await server.listen());
  return {
    ...client,
    runtime,
    async stop() {
      await client.close();
      await server.close();
      await runtime.stop();
    },
  };
}
