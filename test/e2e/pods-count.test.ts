import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { NON_TERMINAL_FIELD_SELECTOR } from '../../src/pods/kube-pod.js';
import type { NodePodCountsQuery } from '../gql/graphql.js';
import {
  type SimCluster,
  startGateway,
  startSimCluster,
  type TestGateway,
  tempDir,
  writeMergedKubeconfig,
} from './harness.js';
import { NODE_POD_COUNTS, TWO_CLUSTER_POD_COUNTS } from './operations/pods.js';

const run = promisify(execFile);

let big: SimCluster;
let small: SimCluster;
let kubeconfigPath: string;
let cleanupDir: () => Promise<void>;
let gateway: TestGateway;

beforeAll(async () => {
  [big, small] = await Promise.all([
    startSimCluster({ nodes: 200, pods: 1500, seed: 11, contextName: 'big' }),
    startSimCluster({ nodes: 20, pods: 300, seed: 12, contextName: 'small' }),
  ]);
  const dir = await tempDir();
  cleanupDir = dir.cleanup;
  kubeconfigPath = join(dir.path, 'kubeconfig');
  await writeMergedKubeconfig(kubeconfigPath, [big, small]);
  gateway = await startGateway({ kubeconfigPath, allContexts: true });
});

afterAll(async () => {
  await gateway?.stop();
  await Promise.all([big?.stop(), small?.stop()]);
  await cleanupDir?.();
});

beforeEach(() => {
  big.sim.audit.clear();
  small.sim.audit.clear();
});

/** LIST chains of the pod count: first pages (no continue token) with the non-terminal selector. */
function countChains(cluster: SimCluster): number {
  return cluster.sim.audit
    .entries()
    .filter((e) => e.resource === 'pods' && e.verb === 'list' && !e.continue)
    .filter((e) => e.fieldSelector === NON_TERMINAL_FIELD_SELECTOR).length;
}

/** What kubectl reports: non-terminal pods per node, from the same cluster. */
async function kubectlCounts(cluster: SimCluster): Promise<Map<string, number>> {
  const { stdout } = await run('kubectl', [
    '--kubeconfig',
    cluster.kubeconfigPath,
    'get',
    'pods',
    '-A',
    `--field-selector=${NON_TERMINAL_FIELD_SELECTOR}`,
    '-o',
    'jsonpath={range .items[*]}{.spec.nodeName}{"\\n"}{end}',
  ]);
  const counts = new Map<string, number>();
  for (const node of stdout.split('\n').filter(Boolean)) counts.set(node, (counts.get(node) ?? 0) + 1);
  return counts;
}

async function queryCounts(cluster: string): Promise<NonNullable<NodePodCountsQuery['nodes']>['nodes']> {
  const res = await gateway.query(NODE_POD_COUNTS, { cluster });
  expect(res.errors).toBeUndefined();
  return res.data!.nodes!.nodes;
}

describe('Node.podCount', () => {
  it('a query of 200 nodes causes exactly one pod LIST chain, and every count equals kubectl', async () => {
    const nodes = await queryCounts('big');
    expect(nodes).toHaveLength(200);
    expect(countChains(big)).toBe(1);
    const pages = big.sim.audit.count({ resource: 'pods', verb: 'list' });
    expect(big.sim.audit.count({ resource: 'pods', verb: 'list', table: true })).toBe(pages);
    expect(countChains(small)).toBe(0);

    const expected = await kubectlCounts(big);
    for (const node of nodes)
      expect({ node: node.name, count: node.podCount }).toEqual({
        node: node.name,
        count: expected.get(node.name) ?? 0,
      });
    expect(nodes.reduce((sum, n) => sum + (n.podCount ?? 0), 0)).toBeGreaterThan(1000);
  });

  it('two clusters in one request cause one chain each', async () => {
    const res = await gateway.query(TWO_CLUSTER_POD_COUNTS, { a: 'big', b: 'small' });
    expect(res.errors).toBeUndefined();
    expect(res.data!.a!.nodes).toHaveLength(200);
    expect(res.data!.b!.nodes).toHaveLength(20);
    expect([countChains(big), countChains(small)]).toEqual([1, 1]);
    const expected = await kubectlCounts(small);
    for (const node of res.data!.b!.nodes) expect(node.podCount).toBe(expected.get(node.name) ?? 0);
  });

  it('20 concurrent requests cause at most 20 chains (they share chains that overlap)', async () => {
    big.sim.faults.setLatency('pods', 'list', 30);
    try {
      const results = await Promise.all(Array.from({ length: 20 }, () => queryCounts('big')));
      for (const nodes of results) expect(nodes.every((n) => typeof n.podCount === 'number')).toBe(true);
      const chains = countChains(big);
      console.log(`20 concurrent node lists with podCount caused ${chains} pod LIST chain(s)`);
      expect(chains).toBeGreaterThanOrEqual(1);
      expect(chains).toBeLessThanOrEqual(20);
    } finally {
      big.sim.faults.reset();
    }
  });

  it('counts change with the cluster when results are not shared (max age 0)', async () => {
    const node = big.sim.cluster.findWorkerNode({});
    const before = (await queryCounts('big')).find((n) => n.name === node)!.podCount!;
    const victim = big.sim.cluster.listPods({ nodeName: node }).find((p) => p.status?.phase === 'Running')!;
    big.sim.cluster.patchPod(victim.metadata!.namespace!, victim.metadata!.name!, (pod) => {
      pod.status = { ...pod.status, phase: 'Succeeded' };
    });
    const after = (await queryCounts('big')).find((n) => n.name === node)!.podCount!;
    expect(after).toBe(before - 1);
    expect(countChains(big)).toBe(2);
  });
});

describe('Node.podCount with --pod-count-max-age', () => {
  it('requests within the max age reuse one chain', async () => {
    const shared = await startGateway({
      kubeconfigPath,
      allContexts: true,
      config: { podCountMaxAgeMs: 60_000 },
    });
    try {
      const first = await shared.query(NODE_POD_COUNTS, { cluster: 'small' });
      const second = await shared.query(NODE_POD_COUNTS, { cluster: 'small' });
      expect(second.data).toEqual(first.data);
      expect(countChains(small)).toBe(1);
    } finally {
      await shared.stop();
    }
  });
});
