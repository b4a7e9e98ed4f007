/**
 * One server under test of the node bench, in its own process:
 *   tsx bench/nodes-bench-server.ts gateway <kubeconfig>   the gateway, nodes from the informer cache
 *   tsx bench/nodes-bench-server.ts no-limits <kubeconfig> the gateway with every operation limit off
 *   tsx bench/nodes-bench-server.ts auth <kubeconfig>      the gateway with --auth kubernetes (TokenReview, SAR)
 *   tsx bench/nodes-bench-server.ts traced <kubeconfig> <otlp url>  the gateway exporting traces to an OTLP sink
 *   tsx bench/nodes-bench-server.ts otlp-sink               an OTLP/HTTP receiver: counts spans (GET /count)
 *   tsx bench/nodes-bench-server.ts direct <kubeconfig>    the gateway answering by a direct LIST per request
 *   tsx bench/nodes-bench-server.ts floor <body file>      node:http sending the same body, JSON.stringify per request
 *   tsx bench/nodes-bench-server.ts static <body file>     node:http sending the same body, pre-serialized bytes
 * Prints `URL <graphql url>` once it answers; stops on SIGTERM or when stdin closes.
 */
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEFAULT_CONFIG, type GatewayConfig } from '../src/config/gateway-config.js';
import { InformerManager } from '../src/informers/informer-manager.js';
import { NodeMetrics } from '../src/informers/node-metrics.js';
import { createLogger } from '../src/platform/logger.js';
import { GatewayMetrics } from '../src/platform/metrics.js';
import { applyTracingDecision } from '../src/platform/tracing/apply-tracing-decision.js';
import { tracingDecisionFromEnv } from '../src/platform/tracing/tracing-settings.js';
import { buildSchema } from '../src/schema/index.js';
import { createGatewayRuntime } from '../src/server/gateway-runtime.js';
import { createGatewayServer } from '../src/server/gateway-server.js';
import { NO_LIMITS } from '../src/server/limits/operation-limits.js';
import { loadTracingPlugin } from '../src/server/use-tracing.js';

const [mode, arg, otlpUrl] = process.argv.slice(2) as [string, string, string | undefined];

async function startGateway(
  kubeconfig: string,
  direct: boolean,
  limits = true,
  auth = false,
  traceTo?: string,
): Promise<string> {
  const config: GatewayConfig = {
    ...DEFAULT_CONFIG,
    port: 0,
    logLevel: 'error',
    kubeconfigPaths: [kubeconfig],
    graphiql: false,
    maxPageSize: 10_000,
    // The page size is 10x its default here (the whole list of 5000 nodes), so is the cost limit.
    limits: {
      ...(limits
        ? { ...DEFAULT_CONFIG.limits, maxCost: 10 * DEFAULT_CONFIG.limits.maxCost }
        : { ...DEFAULT_CONFIG.limits, ...NO_LIMITS }),
      // Every bench subscriber is the same anonymous caller (one address): lift the per-caller cap.
      subscriptionsPerUser: 100_000,
      subscriptions: 100_000,
    },
    auth: { ...DEFAULT_CONFIG.auth, mode: auth ? 'kubernetes' : 'none' },
  };
  const logger = createLogger(config.logLevel, process.stderr, { traceIds: traceTo !== undefined });
  const metrics = new GatewayMetrics({ collectProcessMetrics: false });
  // As the serve command does it, from the standard variable.
  const tracing = await applyTracingDecision(
    tracingDecisionFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: traceTo }),
    logger,
  );
  if (tracing) await loadTracingPlugin();
  const runtime = createGatewayRuntime(config, logger, metrics, tracing);
  await runtime.start();
  let services = runtime.services;
  if (direct) {
    const nodes = new InformerManager({
      clusters: services.clusters,
      readiness: services.readiness,
      logger,
      metrics: new NodeMetrics(new GatewayMetrics({ collectProcessMetrics: false }).registry),
      historyPerCluster: 10,
      subscriberQueueLimit: 10,
      apiTimeoutMs: 60_000,
      directOnly: true,
    });
    nodes.start();
    services = { ...services, nodes };
  }
  const server = createGatewayServer({ schema: buildSchema(), services });
  const base = await server.listen();
  // Serve only once the cache is in sync (the direct mode never syncs: it needs no cache).
  const deadline = Date.now() + 120_000;
  while (!direct && !runtime.services.nodes.states().every((s) => s.status === 'READY')) {
    if (Date.now() > deadline) throw new Error('node cache did not sync');
    await new Promise((r) => setTimeout(r, 50));
  }
  return `${base}/graphql`;
}

async function startFloor(bodyFile: string, prebuilt: boolean): Promise<string> {
  const text = await readFile(bodyFile, 'utf8');
  const object: unknown = JSON.parse(text);
  const bytes = Buffer.from(text);
  const server = createServer((req, res) => {
    // Read the request like any server must, then answer with the body.
    req.resume();
    req.on('end', () => {
      const body = prebuilt ? bytes : JSON.stringify(object);
      res.writeHead(200, { 'content-type': 'application/graphql-response+json; charset=utf-8' });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
}

/** Accepts OTLP/HTTP JSON exports like a collector and counts their spans; GET /count answers the count. */
async function startOtlpSink(): Promise<string> {
  let spans = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method === 'GET') return void res.end(String(spans));
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        resourceSpans?: { scopeSpans?: { spans?: unknown[] }[] }[];
      };
      for (const rs of body.resourceSpans ?? [])
        for (const ss of rs.scopeSpans ?? []) spans += ss.spans?.length ?? 0;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const url =
  mode === 'gateway' || mode === 'direct' || mode === 'no-limits' || mode === 'auth' || mode === 'traced'
    ? await startGateway(arg, mode === 'direct', mode !== 'no-limits', mode === 'auth', otlpUrl)
    : mode === 'otlp-sink'
      ? await startOtlpSink()
      : await startFloor(arg, mode === 'static');
process.stdout.write(`URL ${url}\n`);
process.once('SIGTERM', () => process.exit(0));
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
