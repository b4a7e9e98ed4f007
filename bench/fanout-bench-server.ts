/**
 * The servers of the fan-out bench, each in its own process:
 *   tsx bench/fanout-bench-server.ts gateway <kubeconfig>  the gateway (subscription caps lifted)
 *   tsx bench/fanout-bench-server.ts floor                 a bare `ws` server speaking just enough
 *     graphql-transport-ws (ack, remember subscribe ids) to broadcast one pre-serialized payload
 *     to every subscription id on its sockets, and to every SSE stream (a POST with Accept:
 *     text/event-stream is kept open, yoga's headers and first ping, then one frame per change)
 *   tsx bench/fanout-bench-server.ts sim <kubeconfig>      the simulator, 500 nodes
 * Prints `URL <graphql url>` (or `READY` for the simulator). Commands on stdin, one a line:
 *   reset              restarts the CPU and event-loop-delay measurement
 *   stats              prints `STATS {"cpuPercent", "lagMaxMs", "subscribers"}`
 *   change <node>      sim: sets the node's label bench-t to now (epoch ms); floor: broadcasts it
 */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { WebSocketServer } from 'ws';
import { DEFAULT_CONFIG, type GatewayConfig } from '../src/config/gateway-config.js';
import { createLogger } from '../src/platform/logger.js';
import { GatewayMetrics } from '../src/platform/metrics.js';
import { buildSchema } from '../src/schema/index.js';
import { createGatewayRuntime } from '../src/server/gateway-runtime.js';
import { createGatewayServer } from '../src/server/gateway-server.js';
import { startSimulator } from '../src/sim/index.js';

const [mode, arg] = process.argv.slice(2) as [string, string | undefined];

const lag = monitorEventLoopDelay({ resolution: 5 });
lag.enable();
let cpuStart = process.cpuUsage();
let wallStart = performance.now();
let subscribers: () => number = () => 0;
/** Events merged for readers that fell behind (the gateway's gateway_node_subscriber_events_total). */
let merged: () => Promise<number> = async () => 0;
let change: (node: string) => void = () => {};

/** Epoch milliseconds with sub-millisecond precision, comparable across processes. */
export function epochMs(): number {
  return performance.timeOrigin + performance.now();
}

async function startGateway(kubeconfig: string): Promise<string> {
  const config: GatewayConfig = {
    ...DEFAULT_CONFIG,
    port: 0,
    logLevel: 'error',
    kubeconfigPaths: [kubeconfig],
    graphiql: false,
    limits: {
      ...DEFAULT_CONFIG.limits,
      // Every bench subscriber is the same anonymous caller (one address): lift the caps.
      subscriptionsPerUser: 100_000,
      subscriptions: 100_000,
      subscriptionsPerConnection: 1_000,
      sseStreams: 100_000,
    },
  };
  const logger = createLogger(config.logLevel, process.stderr);
  const metrics = new GatewayMetrics({ collectProcessMetrics: false });
  const runtime = createGatewayRuntime(config, logger, metrics);
  await runtime.start();
  const server = createGatewayServer({ schema: buildSchema(), services: runtime.services });
  const base = await server.listen();
  const deadline = Date.now() + 120_000;
  while (!runtime.services.nodes.states().every((s) => s.status === 'READY')) {
    if (Date.now() > deadline) throw new Error('node cache did not sync');
    await new Promise((r) => setTimeout(r, 50));
  }
  subscribers = () => runtime.services.nodes.feed.size;
  merged = async () => {
    const metric = await metrics.registry.getSingleMetric('gateway_node_subscriber_events_total')?.get();
    return metric?.values.find((v) => v.labels.outcome === 'merged')?.value ?? 0;
  };
  return `${base}/graphql`;
}

async function startFloor(): Promise<string> {
  const streams = new Set<ServerResponse>();
  const http = createServer((req, res) => {
    if (req.method !== 'POST' || !req.headers.accept?.includes('text/event-stream')) {
      res.writeHead(404).end();
      return;
    }
    req.resume();
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      connection: 'keep-alive',
      'cache-control': 'no-cache',
      'content-encoding': 'none',
    });
    res.write(':\n\n');
    streams.add(res);
    res.once('close', () => streams.delete(res));
  });
  const wss = new WebSocketServer({ server: http });
  const sockets = new Map<import('ws').WebSocket, Buffer[]>();
  wss.on('connection', (socket) => {
    const prefixes: Buffer[] = [];
    sockets.set(socket, prefixes);
    socket.on('close', () => sockets.delete(socket));
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as { type: string; id?: string };
      if (message.type === 'connection_init') socket.send('{"type":"connection_ack"}');
      if (message.type === 'subscribe') {
        prefixes.push(Buffer.from(`{"id":${JSON.stringify(message.id)},"type":"next","payload":`));
      }
    });
  });
  const end = Buffer.from('}');
  subscribers = () => [...sockets.values()].reduce((n, p) => n + p.length, streams.size);
  change = (node) => {
    // The payload the gateway sends for this change, serialized once.
    const payload = Buffer.from(
      JSON.stringify({
        data: {
          nodeChanged: {
            type: 'MODIFIED',
            cluster: 'bench',
            name: node,
            changes: ['LABELS'],
            cursor: 'bench:0000000000000001',
            at: new Date().toISOString(),
            node: { name: node, ready: true, schedulable: true, roles: ['worker'], t: String(epochMs()) },
          },
        },
      }),
    );
    for (const [socket, prefixes] of sockets) {
      for (const prefix of prefixes) socket.send(Buffer.concat([prefix, payload, end]), { binary: false });
    }
    if (streams.size > 0) {
      const frame = Buffer.concat([Buffer.from('event: next\ndata: '), payload, Buffer.from('\n\n')]);
      for (const res of streams) res.write(frame);
    }
  };
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(http.address() as AddressInfo).port}/graphql`;
}

async function startSim(kubeconfig: string): Promise<void> {
  const sim = await startSimulator({ nodes: 500, pods: 0, seed: 13, heartbeatIntervalMs: 0 });
  await sim.writeKubeconfig(kubeconfig, { contextName: 'bench' });
  change = (node) =>
    void sim.cluster.patchNode(node, (n) => {
      n.metadata!.labels = { ...n.metadata!.labels, 'bench-t': String(epochMs()) };
    });
}

if (mode === 'gateway') process.stdout.write(`URL ${await startGateway(arg!)}\n`);
else if (mode === 'floor') process.stdout.write(`URL ${await startFloor()}\n`);
else {
  await startSim(arg!);
  process.stdout.write('READY\n');
}

createInterface({ input: process.stdin }).on('line', async (line) => {
  const [command, value] = line.split(' ');
  if (command === 'reset') {
    lag.reset();
    cpuStart = process.cpuUsage();
    wallStart = performance.now();
  } else if (command === 'stats') {
    const cpu = process.cpuUsage(cpuStart);
    const wallUs = (performance.now() - wallStart) * 1000;
    const stats = {
      cpuPercent: ((cpu.user + cpu.system) / wallUs) * 100,
      lagMaxMs: lag.max / 1e6,
      subscribers: subscribers(),
      merged: await merged(),
    };
    process.stdout.write(`STATS ${JSON.stringify(stats)}\n`);
  } else if (command === 'change' && value) change(value);
});
process.once('SIGTERM', () => process.exit(0));
process.stdin.on('end', () => process.exit(0));
