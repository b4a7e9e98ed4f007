/**
 * The gateway process answering the full node list with `allocated` against `podCount` only, in
 * one run of one process: latency, peak RSS over idle (VmHWM, reset before each phase), and how
 * many pod LIST chains and LIST requests each request made (the simulator's audit log). Each
 * request is paired with a run of its floor (a bare client pulling the same paged LIST, in its
 * own process) just before or after it, so gateway and floor see the same load on a shared machine.
 */
import { readFile, writeFile } from 'node:fs/promises';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { NODE_ALLOCATED } from '../test/e2e/operations/node-resources.js';
import { NODE_POD_COUNTS } from '../test/e2e/operations/pods.js';
import { printDocument } from '../test/support/graphql-clients.js';
import { spawnGateway } from '../test/support/spawn-gateway.js';

export interface PhaseMeasurement {
  readonly label: string;
  readonly latenciesMs: number[];
  readonly peakOverIdleMb: number;
  /** Pod LIST chains (first pages) per request, and whether they were Tables. */
  readonly chainsPerRequest: number;
  readonly tableChains: number;
  readonly objectChains: number;
  /** Pod LIST requests (first pages and continues) per request. */
  readonly listRequestsPerRequest: number;
  /** The floor's run paired with each request but the first (cold), just before or after it. */
  readonly floors: FloorRun[];
}

export type FloorStrategy = 'floor-table' | 'floor-objects';

/** One run of a floor: a bare client pulling the same paged LIST and doing nothing with it. */
export interface FloorRun {
  readonly ms: number;
  readonly bytes: number;
  readonly pages: number;
}

export interface AllocatedMeasurement {
  readonly idleRssMb: number;
  readonly phases: PhaseMeasurement[];
  readonly error?: string;
}

export async function measureAllocated(
  kubeconfig: string,
  auditLogPath: string,
  runs: number,
  floor: (strategy: FloorStrategy) => Promise<FloorRun>,
): Promise<AllocatedMeasurement> {
  const gateway = await spawnGateway([
    '--kubeconfig',
    kubeconfig,
    '--max-page-size',
    '100000',
    '--max-cost',
    '100000000',
  ]);
  const pid = gateway.process.pid!;
  try {
    await untilSynced(gateway.graphqlUrl);
    const idleRssMb = await procStatusMb(pid, 'VmRSS');
    const phases: PhaseMeasurement[] = [];
    const queries: [string, TypedDocumentNode<unknown, unknown>, FloorStrategy][] = [
      ['{ nodes { name podCount } }', NODE_POD_COUNTS as TypedDocumentNode<unknown, unknown>, 'floor-table'],
      [
        '{ nodes { name podCount allocated {...} } }',
        NODE_ALLOCATED as TypedDocumentNode<unknown, unknown>,
        'floor-objects',
      ],
    ];
    for (const [label, document, floorStrategy] of queries) {
      const idle = await procStatusMb(pid, 'VmRSS');
      await writeFile(`/proc/${pid}/clear_refs`, '5').catch(() => undefined);
      const before = await podChains(auditLogPath);
      const floors: FloorRun[] = [];
      const latenciesMs: number[] = [];
      for (let run = 0; run < runs; run++) {
        // The first request is cold; each later one is paired with a run of its floor, the floor
        // first on odd runs and second on even ones, so neither always meets the other's wake.
        if (run % 2 === 1) floors.push(await floor(floorStrategy));
        const started = performance.now();
        const res = await fetch(gateway.graphqlUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: printDocument(document) }),
        });
        const body = (await res.json()) as { errors?: unknown[] };
        latenciesMs.push(performance.now() - started);
        if (body.errors) throw new Error(JSON.stringify(body.errors).slice(0, 300));
        if (run > 0 && run % 2 === 0) floors.push(await floor(floorStrategy));
      }
      const peak = await procStatusMb(pid, 'VmHWM');
      await new Promise((r) => setTimeout(r, 300)); // the audit log is appended asynchronously
      const after = await podChains(auditLogPath);
      phases.push({
        label,
        latenciesMs,
        peakOverIdleMb: peak - idle,
        chainsPerRequest: (after.table + after.object - before.table - before.object) / runs,
        tableChains: after.table - before.table,
        objectChains: after.object - before.object,
        listRequestsPerRequest: (after.requests - before.requests) / runs,
        floors,
      });
    }
    return { idleRssMb, phases };
  } catch (err) {
    return { idleRssMb: 0, phases: [], error: err instanceof Error ? err.message : String(err) };
  } finally {
    gateway.kill('SIGKILL');
  }
}

/**
 * The gateway's pod LISTs in the simulator's audit log: first pages (chains), Table or full
 * objects, and requests of any page.
 */
async function podChains(path: string): Promise<{ table: number; object: number; requests: number }> {
  const text = await readFile(path, 'utf8').catch(() => '');
  let table = 0;
  let object = 0;
  let requests = 0;
  for (const line of text.split('\n')) {
    if (!line.includes('"resource":"pods"') || !line.includes('"verb":"list"')) continue;
    const entry = JSON.parse(line) as { continue: boolean; table: boolean; userAgent?: string };
    if (!entry.userAgent?.startsWith('kube-node-gateway')) continue;
    requests++;
    if (entry.continue) continue;
    if (entry.table) table++;
    else object++;
  }
  return { table, object, requests };
}

async function untilSynced(url: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const probe = (await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ nodes(first: 1) { totalCount } }' }),
    }).then((r) => r.json())) as { errors?: unknown; extensions?: { degraded?: unknown } };
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
