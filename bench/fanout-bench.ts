/**
 * nodeChanged fan-out: 1,000, 3,000 and 10,000 subscribers (in 4 child processes, over 50-200
 * WebSockets), 5 label changes a second on one node of a 500-node simulator, measured from the
 * simulator's change (the label carries its time) to each subscriber. Per row: p50/p99/max
 * latency, events delivered against expected, the server's CPU and its worst event-loop delay
 * (monitorEventLoopDelay inside the server), beside the floor measured in the same run: a bare
 * `ws` server writing one pre-serialized payload to the same sockets and subscription ids.
 * The gateway runs under tsx (src/, NODE_ENV=production); every process is its own.
 * FANOUT_BENCH_TRANSPORT=sse measures SSE instead: one stream per subscriber, each on its own
 * HTTP connection (the sockets column is then the subscriber count), beside the same floor
 * writing one pre-serialized `event: next` frame to every stream.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface, type Interface } from 'node:readline';

const ROOT = new URL('../', import.meta.url).pathname;
const TSX = ['--import', 'tsx'];
const TARGET = 'node-0250';
const CLIENT_PROCESSES = 4;

export interface FanoutBenchOptions {
  /** [subscribers, sockets] per row. */
  rows?: [number, number][];
  /** Changes per row (5 a second). @default 20 */
  changes?: number;
  /** @default FANOUT_BENCH_TRANSPORT, else ws */
  transport?: 'ws' | 'sse';
}

interface Stats {
  cpuPercent: number;
  lagMaxMs: number;
  subscribers: number;
  merged: number;
}

interface RowResult {
  p50: number;
  p99: number;
  max: number;
  delivered: number;
  expected: number;
  errors: number;
  cpuPercent: number;
  lagMaxMs: number;
  perSecond: number;
  merged: number;
}

export async function benchFanout(options: FanoutBenchOptions = {}): Promise<void> {
  // FANOUT_BENCH_ROWS=1000:50,3000:100 picks rows (subscribers:sockets).
  const fromEnv = process.env.FANOUT_BENCH_ROWS?.split(',').map(
    (r) => r.split(':').map(Number) as [number, number],
  );
  const transport = options.transport ?? (process.env.FANOUT_BENCH_TRANSPORT === 'sse' ? 'sse' : 'ws');
  const rows =
    options.rows ??
    fromEnv ??
    (transport === 'sse'
      ? [
          [1000, 1000],
          [3000, 3000],
        ]
      : [
          [1000, 50],
          [3000, 100],
          [10_000, 200],
        ]);
  const changes = options.changes ?? (Number(process.env.FANOUT_BENCH_CHANGES) || 20);
  console.log(
    `\n## fanout (${transport}): nodeChanged, ${changes} label changes at 5/s on ${TARGET}, subscribers in ${CLIENT_PROCESSES} ` +
      `processes; NODE_ENV=${process.env.NODE_ENV ?? 'development'}`,
  );
  const dir = await mkdtemp(join(tmpdir(), 'kng-fanout-bench-'));
  const kubeconfig = join(dir, 'kubeconfig');
  const sim = await startChild(['bench/fanout-bench-server.ts', 'sim', kubeconfig], 'READY');
  const gateway = await startChild(['bench/fanout-bench-server.ts', 'gateway', kubeconfig], 'URL');
  const floor = await startChild(['bench/fanout-bench-server.ts', 'floor'], 'URL');
  try {
    console.log(
      '\nsubscribers/sockets  server   p50 ms   p99 ms   max ms  delivered/expected  CPU %  worst lag ms  deliveries/s',
    );
    for (const [subscribers, sockets] of rows) {
      const ours = await runRow(gateway, transport, subscribers, sockets, changes, (node) =>
        sim.command(`change ${node}`),
      );
      const base = await runRow(floor, transport, subscribers, sockets, changes, (node) =>
        floor.command(`change ${node}`),
      );
      for (const [label, r] of [
        ['gateway', ours],
        ['floor  ', base],
      ] as const) {
        console.log(
          `${`${subscribers}/${sockets}`.padEnd(20)} ${label}  ${r.p50.toFixed(1).padStart(7)}  ${r.p99
            .toFixed(1)
            .padStart(
              7,
            )}  ${r.max.toFixed(1).padStart(7)}  ${`${r.delivered}/${r.expected}`.padStart(18)}  ${r.cpuPercent
            .toFixed(0)
            .padStart(5)}  ${r.lagMaxMs.toFixed(1).padStart(12)}  ${r.perSecond.toFixed(0).padStart(12)}` +
            (r.errors > 0 ? `  (${r.errors} other messages)` : '') +
            (r.merged > 0 ? `  (${r.merged} events merged for readers behind)` : ''),
        );
      }
      console.log(
        `${''.padEnd(20)} gateway/floor deliveries per second: ${(ours.perSecond / base.perSecond).toFixed(2)}`,
      );
    }
  } finally {
    await Promise.all([gateway.stop(), floor.stop(), sim.stop()]);
    await rm(dir, { recursive: true, force: true });
  }
}

async function runRow(
  server: Child,
  transport: 'ws' | 'sse',
  subscribers: number,
  sockets: number,
  changes: number,
  makeChange: (node: string) => void,
): Promise<RowResult> {
  const clients: Child[] = [];
  for (let p = 0; p < CLIENT_PROCESSES; p++) {
    const mine = Math.floor(sockets / CLIENT_PROCESSES) + (p < sockets % CLIENT_PROCESSES ? 1 : 0);
    clients.push(
      await startChild(
        [
          'bench/fanout-bench-client.ts',
          server.url,
          String(mine),
          String(subscribers / sockets),
          TARGET,
          transport,
        ],
        'READY',
      ),
    );
  }
  try {
    const deadline = Date.now() + 60_000;
    while ((await stats(server)).subscribers < subscribers) {
      if (Date.now() > deadline) throw new Error(`${subscribers} subscriptions did not register`);
      await sleep(100);
    }
    await sleep(300);
    server.command('reset');
    const mergedBefore = (await stats(server)).merged;
    const started = performance.now();
    for (let i = 0; i < changes; i++) {
      makeChange(TARGET);
      await sleep(200);
    }
    // Wait for the last deliveries (at most 10 s).
    const expected = subscribers * changes;
    let reports = await collect(clients);
    let delivered = reports.latencies.length;
    const tail = Date.now() + 10_000;
    while (delivered < expected && Date.now() < tail) {
      await sleep(250);
      const more = await collect(clients);
      reports = { latencies: reports.latencies.concat(more.latencies), errors: reports.errors + more.errors };
      delivered = reports.latencies.length;
    }
    const elapsedS = (performance.now() - started) / 1000;
    const s = await stats(server);
    const sorted = reports.latencies.sort((a, b) => a - b);
    const pct = (p: number) =>
      sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? Number.NaN;
    return {
      p50: pct(0.5),
      p99: pct(0.99),
      max: pct(1),
      delivered,
      expected,
      errors: reports.errors,
      cpuPercent: s.cpuPercent,
      lagMaxMs: s.lagMaxMs,
      perSecond: delivered / elapsedS,
      merged: s.merged - mergedBefore,
    };
  } finally {
    await Promise.all(clients.map((c) => c.stop()));
    const deadline = Date.now() + 30_000;
    while ((await stats(server)).subscribers > 0 && Date.now() < deadline) await sleep(100);
  }
}

async function collect(clients: Child[]): Promise<{ latencies: number[]; errors: number }> {
  const reports = await Promise.all(
    clients.map(
      async (c) => JSON.parse(await c.ask('report', 'REPORT ')) as { latencies: number[]; errors: number },
    ),
  );
  return {
    latencies: reports.flatMap((r) => r.latencies),
    errors: reports.reduce((n, r) => n + r.errors, 0),
  };
}

async function stats(server: Child): Promise<Stats> {
  return JSON.parse(await server.ask('stats', 'STATS ')) as Stats;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Child {
  readonly url: string;
  command(line: string): void;
  /** Sends `line`, resolves with the rest of the next output line starting with `prefix`. */
  ask(line: string, prefix: string): Promise<string>;
  stop(): Promise<void>;
}

async function startChild(args: string[], ready: 'READY' | 'URL'): Promise<Child> {
  // FANOUT_BENCH_PROF=<dir>: the gateway writes its CPU profile there when it exits.
  const profile = process.env.FANOUT_BENCH_PROF && args.includes('gateway');
  const cpuProf = profile ? ['--cpu-prof', `--cpu-prof-dir=${process.env.FANOUT_BENCH_PROF}`] : [];
  const child: ChildProcess = spawn(process.execPath, [...cpuProf, ...TSX, ...args], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines: Interface = createInterface({ input: child.stdout! });
  const waiting: { prefix: string; resolve: (rest: string) => void }[] = [];
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited (${code}) before it was ready`)));
    lines.on('line', (line) => {
      if (ready === 'READY' && line === 'READY') resolve('');
      if (ready === 'URL' && line.startsWith('URL ')) resolve(line.slice(4));
      const i = waiting.findIndex((w) => line.startsWith(w.prefix));
      if (i < 0) return;
      const [asked] = waiting.splice(i, 1);
      asked!.resolve(line.slice(asked!.prefix.length));
    });
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    url,
    command: (line) => child.stdin!.write(`${line}\n`),
    ask(line, prefix) {
      return new Promise((resolve) => {
        waiting.push({ prefix, resolve: (rest) => resolve(rest) });
        child.stdin!.write(`${line}\n`);
      });
    },
    stop() {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

if (process.argv[1]?.endsWith('fanout-bench.ts')) {
  process.env.NODE_ENV ??= 'production';
  await benchFanout();
  process.exit(0);
}
