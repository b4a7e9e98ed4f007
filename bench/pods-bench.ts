/**
 * Pod counts for a whole node list at 2000 nodes / 100,000 pods: the gateway's one batched,
 * paged Table LIST beside one LIST per node and one unpaged LIST of full pods.
 *
 * Every strategy runs in its own fresh Node process (bench/pods-bench-worker.ts) against one
 * simulator in another process, so each peak RSS (getrusage maxrss, whole process, including
 * Node's own ~50 MB) belongs to that strategy alone, and the simulator's CPU is not counted.
 * The counts of all strategies must agree (same fingerprint), or the bench says so.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import {
  type AllocatedMeasurement,
  type FloorRun,
  type FloorStrategy,
  measureAllocated,
  type PhaseMeasurement,
} from './pods-bench-allocated.js';
import { type GatewayMeasurement, measureGateway } from './pods-bench-gateway.js';
import { STRATEGIES, type Strategy, type WorkerResult } from './pods-bench-worker.js';

const ROOT = new URL('../', import.meta.url).pathname;
/** Gateway requests (after the cold one) in the paired phase, each paired with a run of its floor. */
const PAIRED_RUNS = 5;
const TSX = ['--import', 'tsx'];

export interface PodsBenchOptions {
  nodes?: number;
  pods?: number;
  runs?: number;
}

export async function benchPods(options: PodsBenchOptions = {}): Promise<void> {
  const nodes = options.nodes ?? 2000;
  const pods = options.pods ?? 100_000;
  const runs = options.runs ?? 3;
  const dir = await mkdtemp(join(tmpdir(), 'kng-pods-bench-'));
  const kubeconfig = join(dir, 'kubeconfig');
  const auditLog = join(dir, 'audit.log');
  console.log(`\n## pods: podCount for every node, ${nodes} nodes / ${pods} pods, ${runs} runs each`);
  const started = performance.now();
  const sim = await startSimProcess(nodes, pods, kubeconfig, auditLog);
  console.log(`simulator ready in ${((performance.now() - started) / 1000).toFixed(1)} s (own process)`);
  try {
    const results: WorkerResult[] = [];
    for (const strategy of STRATEGIES) {
      const result = await runWorker(
        strategy,
        kubeconfig,
        strategy === 'per-node' || strategy === 'unpaged' ? 1 : runs,
      );
      results.push(result);
      console.log(`  ${describe(result)}`);
    }
    printRatios(results);
    const gateway = await measureGateway(kubeconfig, runs + 1);
    printGateway(gateway, results);
    const floor = async (strategy: FloorStrategy): Promise<FloorRun> => {
      const r = await runWorker(strategy, kubeconfig, 1);
      if (r.error) throw new Error(`${strategy}: ${r.error}`);
      return { ms: r.latenciesMs[0] ?? Number.NaN, bytes: r.bytes ?? 0, pages: r.pages ?? 0 };
    };
    printAllocated(await measureAllocated(kubeconfig, auditLog, PAIRED_RUNS + 1, floor));
  } finally {
    sim.kill('SIGTERM');
    await rm(dir, { recursive: true, force: true });
  }
}

const LABELS: Record<Strategy, string> = {
  'batched-table': 'gateway: one paged LIST, Table rows',
  'batched-objects': 'gateway fallback: one paged LIST, full pods row by row',
  'batched-allocations': 'allocated: one paged LIST, full pods, requests summed',
  'floor-table': 'floor: bare paged pull of the Table rows, unparsed',
  'floor-objects': 'floor: bare paged pull of the full pods, unparsed',
  unpaged: 'one unpaged LIST of full pods, JSON.parse',
  'per-node': 'one LIST per node (8 at a time)',
};

function describe(r: WorkerResult): string {
  const ms = median(r.latenciesMs);
  const what = r.error
    ? `FAILED: ${r.error}`
    : `${ms.toFixed(0)} ms, ${r.pods} pods counted, counts ${r.fingerprint}`;
  const rss = `peak RSS ${r.peakRssMb.toFixed(0)} MB (idle ${r.baseRssMb.toFixed(0)} MB)`;
  return `${LABELS[r.strategy].padEnd(56)} ${what}; client CPU ${r.cpuMs.toFixed(0)} ms/run; ${rss}`;
}

function printRatios(results: WorkerResult[]): void {
  const base = results.find((r) => r.strategy === 'batched-table');
  if (!base || base.error) return;
  const baseMs = median(base.latenciesMs);
  const baseGrowth = base.peakRssMb - base.baseRssMb;
  for (const r of results) {
    if (r === base || r.error) continue;
    const agree = r.strategy.startsWith('floor-')
      ? 'no counts (floor)'
      : r.fingerprint === base.fingerprint
        ? 'same counts'
        : 'COUNTS DIFFER';
    const growth = r.peakRssMb - r.baseRssMb;
    console.log(
      `  ${r.strategy} vs gateway: latency x${(median(r.latenciesMs) / baseMs).toFixed(1)}, ` +
        `client CPU x${(r.cpuMs / Math.max(1, base.cpuMs)).toFixed(1)}, ` +
        `peak RSS x${(r.peakRssMb / base.peakRssMb).toFixed(1)} ` +
        `(growth over idle x${(growth / Math.max(1, baseGrowth)).toFixed(1)}), ${agree}`,
    );
  }
}

function printGateway(g: GatewayMeasurement, results: WorkerResult[]): void {
  if (g.error) {
    console.log(`  gateway process, full node list with podCount: FAILED: ${g.error}`);
    return;
  }
  const [cold, ...warm] = g.latenciesMs;
  const ms = median(warm);
  const same = g.fingerprint === results.find((r) => r.strategy === 'batched-table')?.fingerprint;
  console.log(
    `  gateway process (serve), { nodes { name podCount } } over GraphQL, ${g.nodes} nodes: first ${cold?.toFixed(0)} ms, ` +
      `then ${ms.toFixed(0)} ms (median); peak RSS while answering ${g.peakRssMb.toFixed(0)} MB ` +
      `(idle, nodes cached: ${g.idleRssMb.toFixed(0)} MB), ${same ? 'same counts' : 'COUNTS DIFFER'}`,
  );
  for (const baseline of results.filter(
    (r) => (r.strategy === 'per-node' || r.strategy === 'unpaged') && !r.error,
  )) {
    const extra = baseline.peakRssMb - baseline.baseRssMb;
    const ours = g.peakRssMb - g.idleRssMb;
    console.log(
      `  ${baseline.strategy} (worker) vs gateway process: latency x${(median(baseline.latenciesMs) / ms).toFixed(1)}, ` +
        `memory growth while counting x${(extra / Math.max(1, ours)).toFixed(1)} (${extra.toFixed(0)} MB vs ${ours.toFixed(0)} MB)`,
    );
  }
}

/**
 * podCount and allocated in one gateway process, each request paired with a run of its floor
 * (a bare client pulling the same paged LIST) just before or after it, so both see the same machine;
 * the ratio that counts is the gateway's median over the floor's median of the same phase.
 */
function printAllocated(m: AllocatedMeasurement): void {
  if (m.error) {
    console.log(`  gateway process, allocated vs podCount: FAILED: ${m.error}`);
    return;
  }
  const [counts, allocated] = m.phases;
  if (!counts || !allocated) return;
  const warm = (p: PhaseMeasurement) => median(p.latenciesMs.slice(1));
  const floorMs = (p: PhaseMeasurement) => median(p.floors.map((f) => f.ms));
  console.log(
    `  gateway process, ${PAIRED_RUNS} requests each after a run of its floor (same LIST, bare client):`,
  );
  for (const phase of [counts, allocated]) {
    const ratios = phase.latenciesMs.slice(1).map((ms, i) => ms / (phase.floors[i]?.ms ?? Number.NaN));
    const floorPages = median(phase.floors.map((f) => f.pages));
    const oneChain = phase.chainsPerRequest === 1 && phase.listRequestsPerRequest === floorPages;
    console.log(
      `  ${phase.label}: ${warm(phase).toFixed(0)} ms (median; cold ${phase.latenciesMs[0]?.toFixed(0)} ms; ` +
        `${phase.latenciesMs
          .slice(1)
          .map((ms) => ms.toFixed(0))
          .join(' ')}), ` +
        `floor ${floorMs(phase).toFixed(0)} ms (${phase.floors.map((f) => f.ms.toFixed(0)).join(' ')}; ` +
        `${((phase.floors[0]?.bytes ?? 0) / 2 ** 20).toFixed(0)} MB) -> x${(warm(phase) / floorMs(phase)).toFixed(2)} the floor ` +
        `(pairs x${Math.min(...ratios).toFixed(2)}..x${Math.max(...ratios).toFixed(2)}); ` +
        `RSS delta ${phase.peakOverIdleMb.toFixed(0)} MB over idle ${m.idleRssMb.toFixed(0)} MB`,
    );
    console.log(
      `    LIST requests per query: ${phase.listRequestsPerRequest} in ${phase.chainsPerRequest} chain(s) ` +
        `(${phase.tableChains} Table, ${phase.objectChains} full-pod first pages over ${phase.latenciesMs.length} queries); ` +
        `the floor's chain: ${floorPages} pages -> ${oneChain ? 'one LIST chain, OK' : 'NOT ONE CHAIN OF THE SAME PAGES'}`,
    );
  }
  console.log(
    `  allocated vs podCount: latency x${(warm(allocated) / warm(counts)).toFixed(2)}, ` +
      `bytes x${((allocated.floors[0]?.bytes ?? 0) / Math.max(1, counts.floors[0]?.bytes ?? 0)).toFixed(1)}, ` +
      `RSS delta ${allocated.peakOverIdleMb.toFixed(0)} MB vs ${counts.peakOverIdleMb.toFixed(0)} MB (target <= 150 MB)`,
  );
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

async function startSimProcess(nodes: number, pods: number, kubeconfig: string, auditLog: string) {
  const child = spawn(
    process.execPath,
    [...TSX, 'bench/pods-bench-sim.ts', String(nodes), String(pods), kubeconfig, auditLog],
    {
      cwd: ROOT,
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`simulator exited (${code}) before it was ready`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line === 'READY') resolve();
    });
  });
  return child;
}

async function runWorker(strategy: Strategy, kubeconfig: string, runs: number): Promise<WorkerResult> {
  const child = spawn(
    process.execPath,
    ['--expose-gc', ...TSX, 'bench/pods-bench-worker.ts', strategy, kubeconfig, String(runs)],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  child.stdout!.on('data', (c: Buffer) => {
    out += c.toString();
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  const line = out.trim().split('\n').at(-1) ?? '';
  try {
    return JSON.parse(line) as WorkerResult;
  } catch {
    return {
      strategy,
      latenciesMs: [],
      baseRssMb: 0,
      peakRssMb: 0,
      cpuMs: 0,
      pods: 0,
      fingerprint: '',
      error: `exit ${code}`,
    };
  }
}

if (process.argv[1]?.endsWith('pods-bench.ts')) {
  const [nodes, pods] = process.argv.slice(2).map(Number);
  await benchPods({ nodes: nodes || undefined, pods: pods || undefined });
}
