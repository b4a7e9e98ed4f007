import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { GraphQLSchema } from 'graphql';
import { DEFAULT_CONFIG, type GatewayConfig } from '../../src/config/gateway-config.js';
import { buildSchema } from '../../src/schema/index.js';
import { createGatewayRuntime, type GatewayRuntime } from '../../src/server/gateway-runtime.js';
import { createGatewayServer } from '../../src/server/gateway-server.js';
import { createLogger } from '../../src/server/logger.js';
import { GatewayMetrics } from '../../src/server/metrics.js';
import {
  createWsClient,
  type GraphQLResponse,
  postGraphQL,
  subscribeSse,
  subscribeWs,
  type TestSubscription,
} from '../support/graphql-clients.js';

const REPO_ROOT = new URL('../../', import.meta.url).pathname;

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

export interface SpawnedGateway {
  readonly baseUrl: string;
  readonly graphqlUrl: string;
  readonly wsUrl: string;
  readonly process: ChildProcess;
  /** Resolves with the exit code (or the signal name) once the process has exited. */
  readonly exited: Promise<number | string>;
  /** Every log line the process printed, parsed. */
  readonly logs: Record<string, unknown>[];
  kill(signal?: NodeJS.Signals): void;
}

/**
 * `kube-node-gateway serve` as its own OS process (for SIGTERM and kill -9 tests).
 * Resolves once it logs that it listens.
 */
export async function spawnGateway(
  args: readonly string[],
  env: Record<string, string> = {},
  { startTimeoutMs = 20_000 }: { startTimeoutMs?: number } = {},
): Promise<SpawnedGateway> {
  // Node itself with tsx as a loader (not the tsx launcher), so a signal reaches the gateway
  // process and not a wrapper that would leave it running.
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'serve', '--port', '0', ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Record<string, unknown>[] = [];
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')),
  );
  const baseUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`gateway did not start within ${startTimeoutMs} ms: ${stderr}`)),
      startTimeoutMs,
    );
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`gateway exited (${code}) before listening: ${stderr}`));
    });
    createInterface({ input: child.stdout! }).on('line', (line) => {
      let entry: Record<string, unknown>;
      try {
        entry = JSON.parse(line) as Record<string, unknown>;
      } catch {
        return;
      }
      logs.push(entry);
      if (entry.msg === 'gateway listening' && typeof entry.url === 'string') {
        clearTimeout(timer);
        resolve(entry.url.replace(/\/graphql$/, ''));
      }
    });
  });
  const graphqlUrl = `${baseUrl}/graphql`;
  return {
    baseUrl,
    graphqlUrl,
    wsUrl: graphqlUrl.replace(/^http/, 'ws'),
    process: child,
    exited,
    logs,
    kill: (signal = 'SIGTERM') => void child.kill(signal),
  };
}
