/**
 * One pod-count strategy in a fresh process, so its peak RSS is its own:
 *   tsx bench/pods-bench-worker.ts <strategy> <kubeconfig> <runs>
 * Prints one JSON line: latencies, peak RSS (getrusage maxrss) and the counts' fingerprint.
 */
import { createHash } from 'node:crypto';
import { KubeConfig } from '@kubernetes/client-node';
import { KubeHttpClient, TABLE_ACCEPT } from '../src/clusters/kube-client.js';
import { streamPagedList } from '../src/clusters/paged-list.js';
import { type KubePod, NON_TERMINAL_FIELD_SELECTOR } from '../src/pods/kube-pod.js';
import { listPodAllocationsByNode } from '../src/pods/pod-allocation-lister.js';
import { listPodCountsByNode } from '../src/pods/pod-count-lister.js';

export const STRATEGIES = [
  'batched-table',
  'batched-objects',
  'batched-allocations',
  'floor-table',
  'floor-objects',
  'unpaged',
  'per-node',
] as const;
export type Strategy = (typeof STRATEGIES)[number];

export interface WorkerResult {
  strategy: Strategy;
  latenciesMs: number[];
  baseRssMb: number;
  peakRssMb: number;
  /** CPU time (user + system) of this process during the runs: the client's own cost. */
  cpuMs: number;
  pods: number;
  fingerprint: string;
  /** Body bytes pulled per run (the floors count them). */
  bytes?: number;
  /** Pages of the chain per run (the floors count them). */
  pages?: number;
  error?: string;
}

const TIMEOUT_MS = 300_000;
const PER_NODE_CONCURRENCY = 8;

type Counts = Map<string, number>;

async function countWith(strategy: Strategy, client: KubeHttpClient, nodes: string[]): Promise<Counts> {
  switch (strategy) {
    case 'batched-table':
      return new Map((await listPodCountsByNode(client, { timeoutMs: TIMEOUT_MS })).counts);
    case 'batched-objects': {
      // A server without Table support: same chain, full pods, parsed row by row.
      const objectsOnly = {
        cluster: client.cluster,
        stream: (req: Parameters<KubeHttpClient['stream']>[0]) =>
          client.stream({ ...req, accept: 'application/json' }),
      };
      return new Map((await listPodCountsByNode(objectsOnly, { timeoutMs: TIMEOUT_MS })).counts);
    }
    case 'unpaged': {
      const list = await client.json<{ items: KubePod[] }>({
        path: '/api/v1/pods',
        query: { fieldSelector: NON_TERMINAL_FIELD_SELECTOR },
        timeoutMs: TIMEOUT_MS,
      });
      const counts: Counts = new Map();
      for (const pod of list.items) {
        const node = pod.spec?.nodeName;
        if (node) counts.set(node, (counts.get(node) ?? 0) + 1);
      }
      return counts;
    }
    case 'batched-allocations':
      // What KubeNode.allocated reads: the same chain of full pods, requests summed per node.
      return new Map((await listPodAllocationsByNode(client, { timeoutMs: TIMEOUT_MS })).counts);
    case 'floor-table':
      pulled = await pullPages(client, TABLE_ACCEPT, { includeObject: 'None' });
      return new Map();
    case 'floor-objects':
      pulled = await pullPages(client, 'application/json', {});
      return new Map();
    case 'per-node':
      return countPerNode(client, nodes);
  }
}

let pulled = { bytes: 0, pages: 0 };

/**
 * The floor: a bare client pulling the same paged LIST (500 a page, non-terminal selector) and
 * doing nothing with it but find each page's continue token, which leads the body.
 */
async function pullPages(
  client: KubeHttpClient,
  accept: string,
  query: Record<string, string>,
): Promise<{ bytes: number; pages: number }> {
  let bytes = 0;
  let pages = 0;
  let token: string | undefined;
  do {
    pages++;
    const res = await client.stream({
      path: '/api/v1/pods',
      query: { ...query, fieldSelector: NON_TERMINAL_FIELD_SELECTOR, limit: 500, continue: token },
      accept,
      timeoutMs: TIMEOUT_MS,
    });
    let head = '';
    token = undefined;
    for await (const chunk of res.body as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      if (head.length < 4096) head += chunk.toString('latin1', 0, Math.min(chunk.length, 4096));
    }
    res.close();
    token = /"continue":"([^"]*)"/.exec(head)?.[1] || undefined;
  } while (token);
  return { bytes, pages };
}

/** The naive way: one LIST per node, a few at a time. */
async function countPerNode(client: KubeHttpClient, nodes: string[]): Promise<Counts> {
  const counts: Counts = new Map();
  let next = 0;
  const worker = async () => {
    while (next < nodes.length) {
      const node = nodes[next++]!;
      const list = await client.json<{ items: unknown[] }>({
        path: '/api/v1/pods',
        query: { fieldSelector: `spec.nodeName=${node},${NON_TERMINAL_FIELD_SELECTOR}` },
        timeoutMs: TIMEOUT_MS,
      });
      if (list.items.length > 0) counts.set(node, list.items.length);
    }
  };
  await Promise.all(Array.from({ length: PER_NODE_CONCURRENCY }, worker));
  return counts;
}

async function nodeNames(client: KubeHttpClient): Promise<string[]> {
  const names: string[] = [];
  const request = { path: '/api/v1/nodes', query: { includeObject: 'None' }, accept: TABLE_ACCEPT };
  await streamPagedList(
    client,
    { ...request, pageSize: 500, timeoutMs: TIMEOUT_MS },
    {
      onMember() {},
      onElement: (_key, row) => void names.push(String((row as { cells: unknown[] }).cells[0])),
    },
  );
  return names;
}

export function fingerprint(counts: Counts): { pods: number; fingerprint: string } {
  const sorted = [...counts].sort(([a], [b]) => (a < b ? -1 : 1));
  const pods = sorted.reduce((sum, [, n]) => sum + n, 0);
  return {
    pods,
    fingerprint: createHash('sha256').update(JSON.stringify(sorted)).digest('hex').slice(0, 12),
  };
}

async function main(): Promise<void> {
  const [strategy, kubeconfigPath, runsArg] = process.argv.slice(2) as [Strategy, string, string];
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(kubeconfigPath);
  const client = new KubeHttpClient({
    cluster: kubeConfig.currentContext,
    kubeConfig,
    apiTimeoutMs: TIMEOUT_MS,
    // Not the gateway's user agent: the bench tells the gateway's LISTs from these in the audit log.
    userAgent: 'pods-bench-worker',
  });
  // The gateway has node names in its cache; here they come as Table rows so the idle RSS stays small.
  const nodes = await nodeNames(client);
  globalThis.gc?.();
  const result: WorkerResult = {
    strategy,
    latenciesMs: [],
    baseRssMb: process.memoryUsage().rss / 2 ** 20,
    peakRssMb: 0,
    cpuMs: 0,
    pods: 0,
    fingerprint: '',
  };
  const cpuBefore = process.cpuUsage();
  try {
    for (let run = 0; run < Number(runsArg); run++) {
      const started = performance.now();
      const counts = await countWith(strategy, client, nodes);
      result.latenciesMs.push(performance.now() - started);
      Object.assign(result, fingerprint(counts));
      if (strategy.startsWith('floor-')) Object.assign(result, pulled);
    }
  } catch (err) {
    result.error = err instanceof Error ? err.message : String(err);
  }
  const cpu = process.cpuUsage(cpuBefore);
  result.cpuMs = (cpu.user + cpu.system) / 1000 / Math.max(1, result.latenciesMs.length);
  result.peakRssMb = process.resourceUsage().maxRSS / 1024;
  client.close();
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

if (process.argv[1]?.endsWith('pods-bench-worker.ts')) await main();
