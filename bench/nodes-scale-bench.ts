/**
 * Query.nodes at GKE's limit, 65,000 nodes, against the simulator (each in its own process):
 *  - informer sync time of the gateway beside a bare paged LIST (limit 500) of the same nodes by a
 *    plain https client that parses each page (target <= 1.3x), and retained heap per cached node;
 *  - first: 100 over HTTP (10 connections) beside the plain node:http floor sending the same body;
 *  - whole-list queries (no `first`, ~67 MB each) on 10 concurrent connections: latency, the
 *    gateway's peak RSS (target <= 1 GB) and worst event-loop stall (monitorEventLoopDelay inside
 *    the gateway; target <= 100 ms), and a `{ __typename }` query's latency meanwhile; with the
 *    streamed lists (--stream-lists-over 5000) and without them (0, the old path), same run.
 * NODES_SCALE=<n> changes the cluster size; NODES_SCALE_ROUNDS the rounds of 10 concurrent whole-list queries.
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
  const rounds = Number(process.env.NODES_SCALE_ROUNDS ?? 2);
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
    const paths = [
      { label: 'streamed lists (--stream-lists-over 5000)', over: 5000 },
      { label: 'old path (--stream-lists-over 0)', over: 0 },
    ];
    const gateways: Gateway[] = [];
    try {
      for (const { label, over } of paths) {
        // One after the other: each sync has the simulator to itself.
        const gateway = await startGateway(kubeconfig, over);
        gateways.push(gateway);
        console.log(`\n${label}`);
        console.log(
          `  informer sync ${gateway.syncMs} ms = ${(gateway.syncMs / plain.ms).toFixed(2)}x the bare LIST (target <= 1.3x); ` +
            `heap ${(gateway.heapPerNode / 1024).toFixed(2)} KB per cached node (${gateway.nodes} nodes)`,
        );
        await firstHundred(gateway.url, dir);
      }
      // Alternating rounds, so that both paths see the same machine (it is shared).
      const runs: WholeListRun[][] = paths.map(() => []);
      for (let round = 0; round < rounds; round++) {
        for (const [i, gateway] of gateways.entries()) runs[i]!.push(await wholeLists(gateway));
      }
      console.log(
        `\nwhole list, 10 concurrent connections, ${rounds} alternating rounds of 10 queries per path:`,
      );
      for (const [i, { label }] of paths.entries()) console.log(`  ${label.padEnd(44)} ${summary(runs[i]!)}`);
    } finally {
      await Promise.all(gateways.map((g) => g.stop()));
    }
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

interface WholeListRun {
  latencies: number[];
  small: number[];
  bytes: number;
  elapsedMs: number;
  peakRss: number;
  maxStallMs: number;
  /** Requests that failed (reset, HTTP error): the bench reports them instead of dying. */
  failures: string[];
}

/** 10 connections, one whole-list query each, at once; a `{ __typename }` loop beside them. */
async function wholeLists(gateway: Gateway): Promise<WholeListRun> {
  const request = JSON.stringify({ query: printDocument(NODE_TABLE_QUERY), variables: {} });
  await post(gateway.url, request); // compiles the operation once
  await gateway.command('reset', 'RESET');
  const agent = new http.Agent({ keepAlive: true, maxSockets: 10 });
  const latencies: number[] = [];
  let bytes = 0;
  let running = true;
  const small: number[] = [];
  const failures: string[] = [];
  const started = performance.now();
  const typename = (async () => {
    const smallAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    while (running) {
      const t = performance.now();
      try {
        await postBody(smallAgent, gateway.url, '{"query":"{ __typename }"}');
        small.push(performance.now() - t);
      } catch (err) {
        failures.push(`{ __typename } after ${(performance.now() - started).toFixed(0)} ms: ${String(err)}`);
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    smallAgent.destroy();
  })();
  await Promise.all(
    Array.from({ length: 10 }, async () => {
      const t = performance.now();
      try {
        const size = await postBody(agent, gateway.url, request);
        bytes += size;
        latencies.push(performance.now() - t);
      } catch (err) {
        failures.push(`whole list after ${(performance.now() - t).toFixed(0)} ms: ${String(err)}`);
      }
    }),
  );
  const elapsedMs = performance.now() - started;
  running = false;
  await typename;
  agent.destroy();
  const stats = JSON.parse(await gateway.command('stats', 'STATS')) as {
    peakRss: number;
    maxStallMs: number;
  };
  return { latencies, small, bytes, elapsedMs, failures, ...stats };
}

function summary(runs: readonly WholeListRun[]): string {
  const all = (pick: (r: WholeListRun) => number[]) => runs.flatMap(pick).sort((a, b) => a - b);
  const pct = (list: number[], p: number) =>
    list[Math.min(list.length - 1, Math.floor(list.length * p))] ?? Number.NaN;
  const latencies = all((r) => r.latencies);
  const small = all((r) => r.small);
  const bytes = runs.reduce((sum, r) => sum + r.bytes, 0);
  const seconds = runs.reduce((sum, r) => sum + r.elapsedMs, 0) / 1000;
  const peakRss = Math.max(...runs.map((r) => r.peakRss));
  const stall = Math.max(...runs.map((r) => r.maxStallMs));
  const failures = runs.flatMap((r) => r.failures);
  const failed = failures.length > 0 ? `; FAILED ${failures.length}: ${failures.slice(0, 3).join('; ')}` : '';
  return (
    `p50 ${pct(latencies, 0.5).toFixed(0)} ms, p99 ${pct(latencies, 0.99).toFixed(0)} ms, ` +
    `${(bytes / 1e6 / seconds).toFixed(0)} MB/s, ${(bytes / latencies.length / 1e6).toFixed(1)} MB each; ` +
    `gateway peak RSS ${(peakRss / 1e6).toFixed(0)} MB (target <= 1000), worst stall ${stall.toFixed(0)} ms (target <= 100); ` +
    `{ __typename } meanwhile p99 ${pct(small, 0.99).toFixed(0)} ms, max ${pct(small, 1).toFixed(0)} ms${failed}`
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
  let stopping = false;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      if (!stopping)
        console.error(`gateway (--stream-lists-over ${streamListsOver}) exited: ${code ?? signal}`);
      resolve();
    }),
  );
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
      stopping = true;
      child.kill('SIGTERM');
      return exited;
    },
  };
}
