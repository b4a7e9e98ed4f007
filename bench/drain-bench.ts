/**
 * Draining one node of 110 pods: the gateway (its own process, default timings: PDB retry 5 s,
 * deletion polls 100 ms doubling to 1 s) beside `kubectl drain` of the same node of an identical
 * simulator (same seed), measured in the same run. Both simulators run in this process; the
 * gateway and kubectl each run in their own. The gateway waits for deletions through one watch of
 * the node's pods; kubectl GETs each pod every second. Wall time counts from the request to the drained
 * node (the gateway: drainNode mutation until the job is SUCCEEDED, polled every 20 ms).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type SimulatorHandle, startSimulator } from '../src/sim/index.js';
import { kubectlDrainArgs } from '../test/support/kubectl-drain.js';
import { type SpawnedGateway, spawnGateway } from '../test/support/spawn-gateway.js';

const run = promisify(execFile);
const NODE_PODS = 110;

export interface DrainBenchOptions {
  /** Pods on the drained node. @default 110 */
  pods?: number;
  seed?: number;
}

export async function benchDrain(options: DrainBenchOptions = {}): Promise<void> {
  const target = options.pods ?? NODE_PODS;
  const seed = options.seed ?? 7;
  const dir = await mkdtemp(join(tmpdir(), 'kng-drain-bench-'));
  const sims: SimulatorHandle[] = [];
  let gateway: SpawnedGateway | undefined;
  try {
    const simOptions = { nodes: 20, pods: 400, seed, heartbeatIntervalMs: 0 };
    const [forKubectl, forGateway] = await Promise.all([
      startSimulator(simOptions),
      startSimulator(simOptions),
    ]);
    sims.push(forKubectl, forGateway);
    const node = forKubectl.cluster.findWorkerNode();
    const filled = [fillNode(forKubectl, node, target), fillNode(forGateway, node, target)];
    console.log(
      `\n## drain: one node of ${filled[0]} pods (${node}), gateway vs kubectl drain, identical simulators`,
    );

    const kubeconfigs = [join(dir, 'kubectl'), join(dir, 'gateway')];
    await forKubectl.writeKubeconfig(kubeconfigs[0]!, { contextName: 'bench' });
    await forGateway.writeKubeconfig(kubeconfigs[1]!, { contextName: 'bench' });

    const kubectlMs = await timeKubectl(node, kubeconfigs[0]!);
    gateway = await spawnGateway(['--kubeconfig', kubeconfigs[1]!], { NODE_ENV: 'production' });
    const gatewayMs = await timeGateway(gateway.graphqlUrl, node);

    const report = (label: string, ms: number, sim: SimulatorHandle): number => {
      const evictions = sim.audit.count({ verb: 'create', resource: 'pods' });
      const gets = sim.audit.entries().filter((e) => e.verb === 'get' && e.resource === 'pods').length;
      const requests = sim.audit.entries().length;
      const left = sim.cluster.listPods({ nodeName: node }).length;
      console.log(
        `  ${label.padEnd(26)} ${(ms / 1000).toFixed(2).padStart(6)} s   ${evictions} evictions, ${gets} pod GETs, ` +
          `${requests} requests (${((requests * 1000) / ms).toFixed(0)}/s), ${left} pods left`,
      );
      return requests;
    };
    const kubectlRequests = report('kubectl drain (baseline)', kubectlMs, forKubectl);
    const gatewayRequests = report('gateway drainNode', gatewayMs, forGateway);
    console.log(
      `  requests gateway / kubectl: ${gatewayRequests} / ${kubectlRequests} ` +
        `(${gatewayRequests <= kubectlRequests ? 'at most' : 'MORE than'} kubectl's; the gateway's count includes its node informer)`,
    );
    console.log(
      `  ratio gateway / kubectl: ${(gatewayMs / kubectlMs).toFixed(2)} (below 1 = the gateway is faster)`,
    );
    console.log(
      "  (kubectl is paced by client-go's client-side rate limiter; the gateway bounds concurrency to 64 requests " +
        "and waits for deletions through one watch of the node's pods)",
    );
  } finally {
    gateway?.kill('SIGTERM');
    await Promise.all(sims.map((s) => s.stop()));
    await rm(dir, { recursive: true, force: true });
  }
}

/** Tops the node up to `target` pods with bare pods (drained with force, like the rest). */
function fillNode(sim: SimulatorHandle, node: string, target: number): number {
  for (let i = sim.cluster.podCount(node); i < target; i++) {
    sim.cluster.createPod({
      metadata: { name: `filler-${i}`, namespace: 'default', labels: { app: 'filler' } },
      spec: { nodeName: node, containers: [{ name: 'main', image: 'busybox:1.36' }] },
    });
  }
  return sim.cluster.podCount(node);
}

async function timeKubectl(node: string, kubeconfig: string): Promise<number> {
  const started = performance.now();
  await run('kubectl', [...kubectlDrainArgs(node, '120s'), '--kubeconfig', kubeconfig], { timeout: 150_000 });
  return performance.now() - started;
}

async function timeGateway(url: string, node: string): Promise<number> {
  const started = performance.now();
  const drain = await graphql(
    url,
    'mutation($n: String!) { drainNode(name: $n, options: { deleteEmptyDirData: true, force: true }) { id } }',
    {
      n: node,
    },
  );
  const id = (drain as { drainNode: { id: string } }).drainNode.id;
  for (;;) {
    const job = (await graphql(url, 'query($id: ID!) { drainJob(id: $id) { state error } }', { id })) as {
      drainJob: { state: string; error: string | null };
    };
    if (job.drainJob.state === 'SUCCEEDED') return performance.now() - started;
    if (job.drainJob.state === 'FAILED' || job.drainJob.state === 'CANCELLED') {
      throw new Error(`gateway drain ended ${job.drainJob.state}: ${job.drainJob.error}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function graphql(url: string, query: string, variables: Record<string, unknown>): Promise<unknown> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: unknown; errors?: unknown };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}
