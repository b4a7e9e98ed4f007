/**
 * Query.nodes at GKE's limit, 65,000 nodes, against the simulator (each in its own process):
 *  - informer sync time of the gateway beside a bare paged LIST (limit 500) of the same nodes by a
 *    plain https client that parses each page (target <= 1.3x), and retained heap per cached node;
 *  - first: 100 over HTTP (10 connections) beside the plain node:http floor sending the same body;
 *  - whole-list queries (no `first`, ~67 MB each) on 10 concurrent connections: latency, the
 *    gateway's peak RSS (target <= 1 GB) and worst event-loop stall (monitorEventLoopDelay inside
 *    the gateway; target <= 100 ms), and a `{ __typename }` query's latency meanwhile; with the
 *    streamed lists (--stream-lists-over 5000) and without them (0, the old path), same run.
 * NODES_SCALE=<n> changes the cluster size; NODES_SCALE_ROUNDS the whole-list queries per connection.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { KubeConfig } from '@kubernetes/client-node';
import { NODE_TABLE_QUERY } from '../test/e2e/operations/nodes.js';
import { printDocument } from '../test/support/graphql-clients.js';
import { load, post, startChild } from './nodes-bench.js';

const ROOT = new URL('../', import.meta.url).pathname;

export async function benchNodesScale(): Promise<void> {
  const size = Number(process.env.NODES_SCALE ?? 65_000);
  const rounds = Number(process.env.NODES_SCALE_ROUNDS ?? 1);
  console.log(`\n## nodes-scale: ${size} nodes, NODE_ENV=${process.env.NODE_ENV ?? 'development'}`);
  const dir = await mkdtemp(join(tmpdir(), 'kng-nodes-scale-'));
  const kubeconfig = join(dir, 'kubeconfig');
  const t0 = performance.now();
  const sim = await startChild(['bench/nodes-bench-sim.ts', String(size), kubeconfig], 'READY');
  console.log(`simulator up in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  try {
    const plain = await plainPagedList(kubeconfig);
    console.log(
      `bare paged LIST (limit 500, https + JSON.parse per page): ${plain.items} nodes in ${plain.ms.toFixed(0)} ms`,
    );
    const rows: string[] = [];
    for (const [label, over] of [
      ['streamed lists (--stream-lists-over 5000)', 5000],
      ['old path (--stream-lists-over 0)', 0],
    ] as const) {
      const gateway = await startGateway(kubeconfig, over);
      try {
        console.log(`\n${label}`);
        console.log(
          `  informer sync ${gateway.syncMs} ms = ${(gateway.syncMs / plain.ms).toFixed(2)}x the bare LIST (target <= 1.3x); ` +
            `heap ${(gateway.heapPerNode / 1024).toFixed(2)} KB per cached node (${gateway.nodes} nodes)`,
        );
        await firstHundred(gateway.url, dir);
        rows.push(`${label.padEnd(44)} ${await wholeLists(gateway, rounds)}`);
        console.log(`  ${rows[rows.length - 1]}`);
      } finally {
        await gateway.stop();
      }
    }
    console.log(`\nwhole list, 10 concurrent connections x ${rounds} queries each:`);
    for (const row of rows) console.log(`  ${row}`);
  } finally {
    await sim.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

/** LISTs every node as a plain client would: pages of 500, each body parsed whole. */
async function plainPagedList(kubeconfig: string): Promise<{ ms: number; items: number }> {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
  const cluster = kc.getCurrentCluster()!;
  const user = kc.getCurrentUser()!;
  const ca = Buffer.from(cluster.caData!, 'base64');
  const agent = new https.Agent({ keepAlive: true, ca });
  const started = performance.now();
  let items = 0;
  let cont: string | undefined;
  do {
    const url = new URL('/api/v1/nodes', cluster.server);
    url.searchParams.set('limit', '500');
    if (cont) url.searchParams.set('continue', cont);
    const page = await new Promise<{ items: unknown[]; metadata: { continue?: string } }>(
      (resolve, reject) => {
        https
          .get(
            url,
            { agent, headers: { authorization: `Bearer ${user.token}`, accept: 'application/json' } },
            (res) => {
              const chunks: Buffer[] = [];
              res.on('data', (c: Buffer) => chunks.push(c));
              res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
              res.on('error', reject);
            },
          )
          .on('error', reject);
      },
    );
    items += page.items.length;
    cont = page.metadata.continue || undefined;
  } while (cont);
  agent.destroy();
  return { ms: performance.now() - started, items };
}

async function firstHundred(url: string, dir: string): Promise<void> {
  const request = JSON.stringify({ query: printDocument(NODE_TABLE_QUERY), variables: { first: 100 } });
  const bodyFile = join(dir, 'first-100.json');
  await writeFile(bodyFile, await post(url, request));
  const floor = await startChild(['bench/nodes-bench-server.ts', 'floor', bodyFile], 'URL');
  try {
    await load(url, request, 10, 1000);
    const g = await load(url, request, 10, 3000);
    await load(floor.url, request, 10, 1000);
    const f = await load(floor.url, request, 10, 3000);
    console.log(
      `  first: 100, 10 connections: gateway ${g.rps.toFixed(0)} req/s (p99 ${g.p99.toFixed(1)} ms), ` +
        `floor ${f.rps.toFixed(0)} req/s (p99 ${f.p99.toFixed(1)} ms): floor / gateway ${(f.rps / g.rps).toFixed(2)}x`,
    );
  } finally {
    await floor.stop();
  }
}

/** 10 connections, `rounds` whole-list queries each; a `{ __typename }` loop beside them. */
async function wholeLists(gateway: Gateway, rounds: number): Promise<string> {
  const request = JSON.stringify({ query: printDocument(NODE_TABLE_QUERY), variables: {} });
  await post(gateway.url, request); // compiles the operation once
  await gateway.command('reset', 'RESET');
  const agent = new http.Agent({ keepAlive: true, maxSockets: 10 });
  const latencies: number[] = [];
  let bytes = 0;
  let running = true;
  const small: number[] = [];
  const typename = (async () => {
    const smallAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    while (running) {
      const t = performance.now();
      await postBody(smallAgent, gateway.url, '{"query":"{ __typename }"}');
      small.push(performance.now() - t);
      await new Promise((r) => setTimeout(r, 20));
    }
    smallAgent.destroy();
  })();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: 10 }, async () => {
      for (let i = 0; i < rounds; i++) {
        const t = performance.now();
        bytes += await postBody(agent, gateway.url, request);
        latencies.push(performance.now() - t);
      }
    }),
  );
  const elapsed = performance.now() - started;
  running = false;
  await typename;
  agent.destroy();
  const stats = JSON.parse(await gateway.command('stats', 'STATS')) as {
    peakRss: number;
    maxStallMs: number;
  };
  const pct = (list: number[], p: number) => {
    const sorted = [...list].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? Number.NaN;
  };
  return (
    `p50 ${pct(latencies, 0.5).toFixed(0)} ms, p99 ${pct(latencies, 0.99).toFixed(0)} ms, ` +
    `${((bytes / 1e6 / elapsed) * 1000).toFixed(0)} MB/s, ${(bytes / latencies.length / 1e6).toFixed(1)} MB each; ` +
    `gateway peak RSS ${(stats.peakRss / 1e6).toFixed(0)} MB, worst stall ${stats.maxStallMs.toFixed(0)} ms; ` +
    `{ __typename } meanwhile p99 ${pct(small, 0.99).toFixed(0)} ms, max ${pct(small, 1).toFixed(0)} ms`
  );
}

function postBody(agent: http.Agent, url: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, {
      method: 'POST',
      agent,
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
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

interface Gateway {
  readonly url: string;
  readonly syncMs: number;
  readonly heapPerNode: number;
  readonly nodes: number;
  /** Writes `command` on its stdin; resolves with the rest of the first line starting with `reply`. */
  command(command: string, reply: string): Promise<string>;
  stop(): Promise<void>;
}

async function startGateway(kubeconfig: string, streamListsOver: number): Promise<Gateway> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', 'bench/nodes-scale-gateway.ts', kubeconfig, String(streamListsOver)],
    { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const waiting: { prefix: string; resolve: (rest: string) => void }[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const index = waiting.findIndex((w) => line.startsWith(`${w.prefix} `) || line === w.prefix);
    if (index >= 0)
      waiting.splice(index, 1)[0]!.resolve(line.slice(waiting.length >= 0 ? line.indexOf(' ') + 1 : 0));
  });
  const next = (prefix: string) =>
    new Promise<string>((resolve, reject) => {
      waiting.push({ prefix, resolve });
      child.once('exit', (code) => reject(new Error(`gateway exited (${code})`)));
    });
  const sync = next('SYNC');
  const url = next('URL');
  const [syncMs, heapPerNode, nodes] = (await sync).split(' ').map(Number) as [number, number, number];
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    url: await url,
    syncMs,
    heapPerNode,
    nodes,
    command(command, reply) {
      const answer = next(reply);
      child.stdin!.write(`${command}\n`);
      return answer;
    },
    stop() {
      child.kill('SIGTERM');
      return exited;
    },
  };
}
