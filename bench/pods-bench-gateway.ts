/**
 * The real gateway, as its own process (`kube-node-gateway serve`), answering a full node list with
 * podCount: latency per request and the process's peak RSS while it answers (VmHWM, reset after
 * start-up through /proc/<pid>/clear_refs so the informer's initial node LIST does not count).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { NODE_POD_COUNTS } from '../test/e2e/operations/pods.js';
import { printDocument } from '../test/support/graphql-clients.js';
import { spawnGateway } from '../test/support/spawn-gateway.js';
import { fingerprint } from './pods-bench-worker.js';

export interface GatewayMeasurement {
  latenciesMs: number[];
  idleRssMb: number;
  peakRssMb: number;
  nodes: number;
  pods: number;
  fingerprint: string;
  error?: string;
}

interface CountsResponse {
  data?: { nodes: { nodes: { name: string; podCount: number | null }[] } };
  errors?: unknown[];
  extensions?: { degraded?: unknown };
}

export async function measureGateway(kubeconfig: string, runs: number): Promise<GatewayMeasurement> {
  // The whole list of 2000 nodes in one page: 100x the default page size, so 100x the cost limit
  // (an omitted `first` is costed at the page size).
  const gateway = await spawnGateway([
    '--kubeconfig',
    kubeconfig,
    '--max-page-size',
    '100000',
    '--max-cost',
    '10000000',
  ]);
  const pid = gateway.process.pid!;
  try {
    const url = gateway.graphqlUrl;
    await untilSynced(url);
    const result: GatewayMeasurement = {
      latenciesMs: [],
      idleRssMb: 0,
      peakRssMb: 0,
      nodes: 0,
      pods: 0,
      fingerprint: '',
    };
    result.idleRssMb = await procStatusMb(pid, 'VmRSS');
    await writeFile(`/proc/${pid}/clear_refs`, '5').catch(() => undefined);
    for (let run = 0; run < runs; run++) {
      const started = performance.now();
      const res = await query(url);
      result.latenciesMs.push(performance.now() - started);
      if (res.errors) throw new Error(JSON.stringify(res.errors).slice(0, 300));
      const nodes = res.data!.nodes.nodes;
      const counts = new Map(nodes.filter((n) => (n.podCount ?? 0) > 0).map((n) => [n.name, n.podCount!]));
      Object.assign(result, { nodes: nodes.length, ...fingerprint(counts) });
    }
    result.peakRssMb = await procStatusMb(pid, 'VmHWM');
    return result;
  } catch (err) {
    const error = err instanceof Error ? err.message : String(err);
    return { latenciesMs: [], idleRssMb: 0, peakRssMb: 0, nodes: 0, pods: 0, fingerprint: '', error };
  } finally {
    gateway.kill('SIGKILL');
  }
}

async function query(url: string): Promise<CountsResponse> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: printDocument(NODE_POD_COUNTS) }),
  });
  return (await res.json()) as CountsResponse;
}

/** Until the node cache answers (no `degraded` extension), so the runs measure the steady state. */
async function untilSynced(url: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const probe = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ nodes(first: 1) { totalCount } }' }),
    }).then((r) => r.json() as Promise<CountsResponse>);
    if (!probe.errors && !probe.extensions?.degraded) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('the gateway did not sync its node cache within 60 s');
}

async function procStatusMb(pid: number, field: 'VmRSS' | 'VmHWM'): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
  return kb / 1024;
}
