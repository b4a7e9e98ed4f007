import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { authSettingsProblems } from '../auth/auth-settings-problems.js';
import { NoUsableKubeconfigError } from '../clusters/kubeconfig-lookup.js';
import type { GatewayConfig } from '../config/gateway-config.js';
import { parseServeConfig, SERVE_HELP } from '../config/parse-serve-config.js';
import { createLogger, type Logger } from '../platform/logger.js';
import { applyTracingDecision } from '../platform/tracing/apply-tracing-decision.js';
import { tracingDecisionFromEnv } from '../platform/tracing/tracing-settings.js';
import { UsageError } from '../platform/usage-error.js';
import { buildSchema } from '../schema/index.js';
import { createGatewayRuntime } from './gateway-runtime.js';
import { createGatewayServer } from './gateway-server.js';
import { loadTracingPlugin } from './use-tracing.js';

/** `kube-node-gateway serve`: runs until SIGTERM/SIGINT, then shuts down gracefully and exits 0. */
export async function runServeCommand(argv: readonly string[]): Promise<void> {
  const parsed = parseServeConfig(argv, process.env);
  if (parsed.kind === 'help') {
    process.stdout.write(SERVE_HELP);
    return;
  }
  if (parsed.kind === 'usage-error') throw new UsageError(parsed.problems);
  const authProblems = authSettingsProblems(parsed.config);
  if (authProblems.length > 0) throw new UsageError(authProblems);
  const tracingDecision = tracingDecisionFromEnv(process.env);
  const logger = createLogger(parsed.config.logLevel, undefined, { traceIds: tracingDecision.kind === 'on' });
  const tracing = await applyTracingDecision(tracingDecision, logger);
  if (tracing) await loadTracingPlugin();
  const simulated = parsed.config.simulate ? await startEmbeddedSimulator(parsed.config, logger) : undefined;
  const config = simulated?.config ?? parsed.config;

  const runtime = createGatewayRuntime(config, logger, undefined, tracing);
  await runtime.start().catch((err: unknown) => {
    // Nothing to serve is a setup mistake like a bad flag: one line naming it, exit 2.
    throw err instanceof NoUsableKubeconfigError ? new UsageError([err.message]) : err;
  });
  const server = createGatewayServer({ schema: buildSchema(), services: runtime.services });
  const url = await server.listen();
  logger.info(
    {
      url: `${url}/graphql`,
      auth: config.auth.mode,
      clusters: runtime.services.clusters.list().map((c) => c.name),
    },
    'gateway listening',
  );
  if (simulated) {
    const lines = [
      config.console ? `Console:  ${url}/console/` : undefined,
      config.graphiql ? `GraphiQL: ${url}/graphql` : undefined,
      `Simulated cluster: ${simulated.kubeconfigPath}`,
    ];
    process.stdout.write(`\n${lines.filter(Boolean).join('\n')}\n\n`);
  }

  let stopping = false;
  const shutdown = async (signal: 'SIGTERM' | 'SIGINT') => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    // SIGTERM is the kubelet (or a supervisor): keep serving while endpoints drop this replica.
    // SIGINT is a person at a terminal (Ctrl-C on the demo): no reason to wait.
    await server.close({ delayMs: signal === 'SIGTERM' ? config.shutdownDelayMs : 0 });
    await runtime.stop();
    await simulated?.stop();
    logger.info('stopped');
    logger.flush();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGHUP', () => {
    logger.info('SIGHUP: reloading kubeconfig');
    runtime.reloadClusters();
  });
}

async function startEmbeddedSimulator(config: GatewayConfig, logger: Logger) {
  const { startSimulator } = await import('../sim/index.js');
  const sim = await startSimulator({ nodes: config.simulateNodes, pods: config.simulatePods });
  const dir = await mkdtemp(join(tmpdir(), 'kube-node-gateway-sim-'));
  const kubeconfigPath = join(dir, 'kubeconfig');
  await sim.writeKubeconfig(kubeconfigPath);
  logger.info({ url: sim.url, kubeconfig: kubeconfigPath }, 'embedded simulated cluster started');
  return {
    kubeconfigPath,
    config: {
      ...config,
      kubeconfigPaths: [kubeconfigPath],
      contexts: [],
      allContexts: false,
    } satisfies GatewayConfig,
    async stop() {
      await sim.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
