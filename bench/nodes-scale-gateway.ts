/**
 * The gateway of the nodes-scale bench, in its own process so its RSS is its own:
 *   node --expose-gc --import tsx bench/nodes-scale-gateway.ts <kubeconfig> <--stream-lists-over>
 * Prints `SYNC <ms> <heap bytes per cached node>` once the cache is in sync, then `URL <graphql url>`.
 * On stdin, `reset` starts a measurement window and `stats` prints `STATS <json>`: peak RSS
 * (sampled every 10 ms) and the worst event-loop delay (monitorEventLoopDelay) since `reset`.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { DEFAULT_CONFIG, type GatewayConfig } from '../src/config/gateway-config.js';
import { createLogger } from '../src/platform/logger.js';
import { GatewayMetrics } from '../src/platform/metrics.js';
import { buildSchema } from '../src/schema/index.js';
import { createGatewayRuntime } from '../src/server/gateway-runtime.js';
import { createGatewayServer } from '../src/server/gateway-server.js';

const [kubeconfig, streamListsOver] = process.argv.slice(2) as [string, string];
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const config: GatewayConfig = {
  ...DEFAULT_CONFIG,
  port: 0,
  logLevel: 'error',
  kubeconfigPaths: [kubeconfig],
  graphiql: false,
  streamListsOver: Number(streamListsOver),
};
const logger = createLogger(config.logLevel, process.stderr);
const runtime = createGatewayRuntime(config, logger, new GatewayMetrics({ collectProcessMetrics: false }));
const schema = buildSchema();
gc();
gc();
const heapBefore = process.memoryUsage().heapUsed;
const started = performance.now();
await runtime.start();
while (!runtime.services.nodes.states().every((s) => s.status === 'READY')) {
  if (performance.now() - started > 300_000) throw new Error('node cache did not sync');
  await new Promise((r) => setTimeout(r, 10));
}
const syncMs = performance.now() - started;
gc();
gc();
const nodes = runtime.services.nodes.states().reduce((sum, s) => sum + (s.nodeCount ?? 0), 0);
const perNode = (process.memoryUsage().heapUsed - heapBefore) / Math.max(1, nodes);
process.stdout.write(`SYNC ${syncMs.toFixed(0)} ${perNode.toFixed(0)} ${nodes}\n`);

const server = createGatewayServer({ schema, services: runtime.services });
const base = await server.listen();

const delay = monitorEventLoopDelay({ resolution: 1 });
delay.enable();
let peakRss = 0;
setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
}, 10).unref();
createInterface({ input: process.stdin }).on('line', (line) => {
  if (line === 'reset') {
    gc();
    delay.reset();
    peakRss = process.memoryUsage.rss();
    process.stdout.write('RESET\n');
  }
  if (line === 'stats') {
    const stats = { peakRss, maxStallMs: delay.max / 1e6, rss: process.memoryUsage.rss() };
    process.stdout.write(`STATS ${JSON.stringify(stats)}\n`);
  }
});
process.stdout.write(`URL ${base}/graphql\n`);
process.once('SIGTERM', () => process.exit(0));
process.stdin.on('end', () => process.exit(0));
