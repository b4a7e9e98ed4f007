/**
 * Query.nodes over HTTP at 1000 and 5000 nodes (first: 100, and the whole list), the gateway
 * answering from its informer cache beside, measured in the same run:
 *  (a) the same query answered by a direct LIST per request (the gateway with informers off),
 *  (b) the floor: a plain node:http server sending the same JSON body (JSON.stringify of the
 *      pre-built object per request; also the pre-serialized bytes, the absolute ceiling).
 * Every server and the simulator run in their own process; this process only generates load
 * (10 keep-alive connections). Then: retained heap per cached node, and change-to-subscriber
 * latency with 1000 nodeChanged subscribers. The gateway runs with the default operation limits
 * (src/server/limits); the first: 100 row also runs it with every limit off, to price them.
 * NODES_BENCH_ONLY=limits runs just that comparison (1000 nodes, first: 100). The first: 100 row
 * also runs the gateway with tracing on, exporting to an OTLP sink in its own process
 * (NODES_BENCH_ONLY=tracing: just that comparison).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { KubeConfig } from '@kubernetes/client-node';
import { type Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { KubeHttpClient } from '../src/clusters/kube-client.js';
import type { RawNode } from '../src/informers/kube-node.js';
import { projectNode } from '../src/informers/node-projection.js';
import { StringPool } from '../src/informers/string-pool.js';
import { generateCluster } from '../src/sim/generate-cluster.js';
import { NODE_TABLE_QUERY } from '../test/e2e/operations/nodes.js';
import { printDocument } from '../test/support/graphql-clients.js';
import { retainedBytesPerItem } from '../test/support/retained-heap.js';
import { BENCH_TOKEN } from './bench-token.js';

const ROOT = new URL('../', import.meta.url).pathname;
const TSX = ['--import', 'tsx'];

export interface NodesBenchOptions {
  /** Cluster sizes. @default [1000, 5000] */
  sizes?: number[];
  /** Seconds of measured load per server and query. @default 3 */
  seconds?: number;
  connections?: number;
  subscribers?: number;
}

export interface LoadResult {
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  bytes: number;
  errors: number;
}

type Target = 'gateway' | 'noLimits' | 'auth' | 'traced' | 'direct' | 'floor' | 'static';

const LABELS: Record<Target, string> = {
  gateway: 'gateway, informer cache',
  noLimits: '    gateway, every limit off',
  auth: '    gateway, --auth kubernetes',
  traced: '    gateway, tracing on (OTLP sink)',
  direct: '(a) gateway, direct LIST per request',
  floor: '(b) floor: node:http, JSON.stringify',
  static: '    floor: node:http, pre-serialized',
};

export async function benchNodes(options: NodesBenchOptions = {}): Promise<void> {
  const only = process.env.NODES_BENCH_ONLY;
  const onlyLimits = only === 'limits' || only === 'tracing';
  const sizes = options.sizes ?? (onlyLimits ? [1000] : [1000, 5000]);
  const seconds = options.seconds ?? 3;
  const connections = options.connections ?? 10;
  console.log(
    `\n## nodes: Query.nodes over HTTP, ${connections} connections, ${seconds} s per row, ` +
      `NODE_ENV=${process.env.NODE_ENV ?? 'development'}; each server in its own process`,
  );
  if (!onlyLimits) printRetainedHeap(5000);
  const dir = await mkdtemp(join(tmpdir(), 'kng-nodes-bench-'));
  try {
    for (const size of sizes) {
      const kubeconfig = join(dir, `kubeconfig-${size}`);
      const sim = await startChild(['bench/nodes-bench-sim.ts', String(size), kubeconfig], 'READY');
      try {
        await benchQueries(size, kubeconfig, dir, seconds, connections, onlyLimits);
        if (size === sizes[0] && !onlyLimits) await benchSubscribers(kubeconfig, options.subscribers ?? 1000);
      } finally {
        await sim.stop();
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function benchQueries(
  size: number,
  kubeconfig: string,
  dir: string,
  seconds: number,
  connections: number,
  onlyLimits: boolean,
) {
  const gateway = await startChild(['bench/nodes-bench-server.ts', 'gateway', kubeconfig], 'URL');
  const noLimits = await startChild(['bench/nodes-bench-server.ts', 'no-limits', kubeconfig], 'URL');
  const auth = await startChild(['bench/nodes-bench-server.ts', 'auth', kubeconfig], 'URL');
  const direct = await startChild(['bench/nodes-bench-server.ts', 'direct', kubeconfig], 'URL');
  const sink = await startChild(['bench/nodes-bench-server.ts', 'otlp-sink'], 'URL');
  const traced = await startChild(['bench/nodes-bench-server.ts', 'traced', kubeconfig, sink.url], 'URL');
  // Which rows beside the gateway's a NODES_BENCH_ONLY run keeps.
  const only = process.env.NODES_BENCH_ONLY;
  const compared: ReadonlySet<Target> = new Set<Target>(
    only === 'tracing' ? ['traced'] : only === 'limits' ? ['noLimits'] : ['noLimits', 'traced'],
  );
  const queries: [string, { first?: number }][] = [
    ['first: 100', { first: 100 }],
    ['whole list', {}],
  ];
  try {
    for (const [what, variables] of onlyLimits ? queries.slice(0, 1) : queries) {
      const request = JSON.stringify({ query: printDocument(NODE_TABLE_QUERY), variables });
      const reference = await post(gateway.url, request);
      const bodyFile = join(dir, `body-${size}-${variables.first ?? 'all'}.json`);
      await writeFile(bodyFile, reference);
      const floor = await startChild(['bench/nodes-bench-server.ts', 'floor', bodyFile], 'URL');
      const fixed = await startChild(['bench/nodes-bench-server.ts', 'static', bodyFile], 'URL');
      console.log(`\n${size} nodes, ${what} (response ${(reference.length / 1024).toFixed(0)} KB)`);
      const urls: Record<Target, string> = {
        gateway: gateway.url,
        noLimits: noLimits.url,
        auth: auth.url,
        traced: traced.url,
        direct: direct.url,
        floor: floor.url,
        static: fixed.url,
      };
      const results = {} as Record<Target, LoadResult>;
      const targets = (
        ['gateway', 'noLimits', 'auth', 'traced', 'direct', 'floor', 'static'] as const
      ).filter(
        (t) =>
          ((t !== 'noLimits' && t !== 'auth' && t !== 'traced') || what === 'first: 100') &&
          (!onlyLimits || t === 'gateway' || compared.has(t)),
      );
      for (const target of targets) {
        const headers: Record<string, string> =
          target === 'auth' ? { authorization: `Bearer ${BENCH_TOKEN}` } : {};
        if (target !== 'direct') await load(urls[target], request, connections, 1000, headers); // warm-up
        const reviewsBefore = target === 'auth' ? await reviewCalls(auth.url) : 0;
        results[target] = await load(urls[target], request, connections, seconds * 1000, headers);
        console.log(`  ${row(LABELS[target], results[target], results.floor)}`);
        if (target === 'auth') {
          const reviews = (await reviewCalls(auth.url)) - reviewsBefore;
          console.log(
            `  --auth kubernetes / none: ${(results.auth.rps / results.gateway.rps).toFixed(2)} of its req/s (target >= 0.9); ` +
              `${((reviews / Math.max(results.auth.requests, 1)) * 1000).toFixed(2)} TokenReview + SubjectAccessReview calls per 1000 requests of one person (warm caches)`,
          );
        }
      }
      const g = results.gateway;
      if (results.traced) {
        let on = 0;
        let off = 0;
        const spansBefore = Number(await (await fetch(`${sink.url}/count`)).text());
        for (let round = 0; round < 5; round++) {
          off += (await load(urls.gateway, request, connections, 1000)).requests;
          on += (await load(urls.traced, request, connections, 1000)).requests;
        }
        // The batch processor exports every 5 s: what the rounds made arrives by then.
        await new Promise((r) => setTimeout(r, 5500));
        const spans = Number(await (await fetch(`${sink.url}/count`)).text()) - spansBefore;
        console.log(
          `  tracing on / off: ${(results.traced.rps / g.rps).toFixed(2)} of its req/s in the rows above, ` +
            `${(on / off).toFixed(2)} over 5 alternating 1 s rounds each; ` +
            `${(spans / Math.max(on, 1)).toFixed(2)} spans exported per traced request (answers from the node response cache run no operation, so make none)`,
        );
      }
      if (results.noLimits) {
        // Alternating rounds as well: on a shared machine one 3 s row can land in a load spike.
        let on = 0;
        let off = 0;
        for (let round = 0; round < 5; round++) {
          on += (await load(urls.gateway, request, connections, 1000)).requests;
          off += (await load(urls.noLimits, request, connections, 1000)).requests;
        }
        console.log(
          `  limits on / off: ${(g.rps / results.noLimits.rps).toFixed(2)} of its req/s in the rows above, ` +
            `${(on / off).toFixed(2)} over 5 alternating 1 s rounds each (target >= 0.95)`,
        );
      }
      if (onlyLimits) continue;
      console.log(
        `  gateway / floor: ${(g.rps / results.floor.rps).toFixed(2)} of its req/s ` +
          `(${(g.rps / results.static.rps).toFixed(2)} of pre-serialized); ` +
          `gateway vs direct LIST: ${(g.rps / Math.max(results.direct.rps, 1e-9)).toFixed(0)}x req/s, ` +
          `p50 ${(results.direct.p50 / g.p50).toFixed(0)}x lower`,
      );
      await Promise.all([floor.stop(), fixed.stop()]);
    }
  } finally {
    await Promise.all([
      gateway.stop(),
      noLimits.stop(),
      auth.stop(),
      traced.stop(),
      direct.stop(),
      sink.stop(),
    ]);
  }
}

function row(label: string, r: LoadResult, floor: LoadResult | undefined): string {
  const ratio = floor ? ` = ${(r.rps / floor.rps).toFixed(2)} of floor` : '';
  const errors = r.errors > 0 ? ` ${r.errors} ERRORS` : '';
  return (
    `${label.padEnd(40)} p50 ${r.p50.toFixed(1).padStart(7)} ms  p99 ${r.p99.toFixed(1).padStart(7)} ms  ` +
    `${r.rps.toFixed(1).padStart(8)} req/s (${r.requests} requests)${ratio}${errors}`
  );
}

/** Retained heap of the cache's projection vs a parsed node, in this process. */
function printRetainedHeap(count: number): void {
  const json = generateCluster({ nodes: count, pods: 0, seed: 13 }).nodes.map((n) => JSON.stringify(n));
  const avgJson = json.reduce((sum, s) => sum + s.length, 0) / count;
  const retained = (build: () => unknown[]) => retainedBytesPerItem(build).bytesPerItem / 1024;
  const parsed = retained(() => json.map((s) => JSON.parse(s) as RawNode));
  const pool = new StringPool();
  const projected = retained(() => json.map((s) => projectNode(JSON.parse(s) as RawNode, 'bench', pool)));
  console.log(
    `retained heap per node at ${count} nodes (${(avgJson / 1024).toFixed(1)} KB JSON each): ` +
      `cached projection ${projected.toFixed(2)} KB, full parsed node ${parsed.toFixed(1)} KB ` +
      `(${(parsed / projected).toFixed(1)}x); target <= 4 KB`,
  );
}

/** `connections` loops posting `body` for `ms`; latency of every completed request. */
export async function load(
  url: string,
  body: string,
  connections: number,
  ms: number,
  headers: Readonly<Record<string, string>> = {},
): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const latencies: number[] = [];
  let bytes = 0;
  let errors = 0;
  const started = performance.now();
  const deadline = started + ms;
  const worker = async () => {
    while (performance.now() < deadline) {
      const t0 = performance.now();
      try {
        bytes += await postWith(agent, url, body, headers);
        latencies.push(performance.now() - t0);
      } catch {
        errors++;
      }
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const pct = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? Number.NaN;
  return {
    requests: latencies.length,
    rps: latencies.length / elapsed,
    p50: pct(0.5),
    p99: pct(0.99),
    bytes,
    errors,
  };
}

function postWith(
  agent: http.Agent,
  url: string,
  body: string,
  headers: Readonly<Record<string, string>> = {},
): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, {
      method: 'POST',
      agent,
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json',
        ...headers,
      },
    });
    req.on('error', reject);
    req.on('response', (res) => {
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
      });
      res.on('end', () =>
        res.statusCode === 200 ? resolve(size) : reject(new Error(`HTTP ${res.statusCode}`)),
      );
      res.on('error', reject);
    });
    req.end(body);
  });
}

export async function post(url: string, body: string): Promise<string> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
    body,
  });
  const text = await res.text();
  if (!res.ok || text.includes('"errors"')) throw new Error(`reference query failed: ${text.slice(0, 300)}`);
  return text;
}

/** Change-to-subscriber latency: `count` nodeChanged subscriptions over 20 WebSockets. */
async function benchSubscribers(kubeconfig: string, count: number): Promise<void> {
  const gateway = await startChild(['bench/nodes-bench-server.ts', 'gateway', kubeconfig], 'URL');
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
  const api = new KubeHttpClient({ cluster: 'bench', kubeConfig: kc, apiTimeoutMs: 10_000 });
  const sockets = 20;
  const clients: Client[] = Array.from({ length: sockets }, () =>
    createClient({
      url: gateway.url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      lazy: false,
      retryAttempts: 0,
    }),
  );
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  const target = 'node-0500';
  const query = `subscription { nodeChanged(names: ["${target}"]) { name changes node { label(key: "bench-seq") } } }`;
  const disposers = Array.from({ length: count }, (_, i) =>
    clients[i % sockets]!.subscribe<{ nodeChanged: { node: { label: string | null } } }>(
      { query },
      {
        next: (result) => {
          const seq = result.data?.nodeChanged.node.label;
          const t0 = seq ? sentAt.get(seq) : undefined;
          if (t0 !== undefined) latencies.push(performance.now() - t0);
        },
        error: () => {},
        complete: () => {},
      },
    ),
  );
  try {
    await new Promise((r) => setTimeout(r, 2000)); // every subscription registered
    const changes = 30;
    for (let seq = 0; seq < changes; seq++) {
      sentAt.set(String(seq), performance.now());
      await api.json({
        method: 'PATCH',
        path: `/api/v1/nodes/${target}`,
        contentType: 'application/merge-patch+json',
        body: { metadata: { labels: { 'bench-seq': String(seq) } } },
      });
      await new Promise((r) => setTimeout(r, 100));
    }
    await new Promise((r) => setTimeout(r, 1000));
    latencies.sort((a, b) => a - b);
    const pct = (p: number) =>
      latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? Number.NaN;
    console.log(
      `\nchange-to-subscriber latency, ${count} nodeChanged subscribers over ${sockets} WebSockets, ${changes} changes ` +
        `(PATCH sent -> event received): p50 ${pct(0.5).toFixed(1)} ms, p99 ${pct(0.99).toFixed(1)} ms, ` +
        `max ${pct(1).toFixed(1)} ms; ${latencies.length}/${changes * count} events delivered`,
    );
  } finally {
    for (const dispose of disposers) dispose();
    await Promise.all(clients.map((c) => c.dispose()));
    api.close();
    await gateway.stop();
  }
}

export interface Child {
  readonly child: ChildProcess;
  readonly url: string;
  /** SIGTERM, resolved once the process has exited. */
  stop(): Promise<void>;
}

/** Spawns a bench child process and waits for its ready line (`READY`, or `URL <url>`). */
export async function startChild(
  args: string[],
  ready: 'READY' | 'URL',
  nodeArgs: string[] = [],
): Promise<Child> {
  const child = spawn(process.execPath, [...nodeArgs, ...TSX, ...args], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited (${code}) before it was ready`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (ready === 'READY' && line === 'READY') resolve('');
      if (ready === 'URL' && line.startsWith('URL ')) resolve(line.slice(4));
    });
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    url,
    stop() {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

if (process.argv[1]?.endsWith('nodes-bench.ts')) {
  process.env.NODE_ENV ??= 'production';
  const sizes = process.argv.slice(2).map(Number).filter(Boolean);
  await benchNodes({ sizes: sizes.length > 0 ? sizes : undefined });
  process.exit(0);
}

/** TokenReviews and SubjectAccessReviews the gateway has sent so far (its own /metrics). */
async function reviewCalls(graphqlUrl: string): Promise<number> {
  const text = await (await fetch(graphqlUrl.replace(/\/graphql$/, '/metrics'))).text();
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith('gateway_kube_api_calls_total{')) continue;
    if (/resource="(tokenreviews|subjectaccessreviews)"/.test(line)) sum += Number(line.split(' ').pop());
  }
  return sum;
}
