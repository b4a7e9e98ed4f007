import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type SimCluster, startGateway, startSimCluster, type TestGateway } from './harness.js';
import { NODE_POD_COUNTS, NODE_PODS } from './operations/pods.js';

const API_TIMEOUT_MS = 400;
let cluster: SimCluster;
let gateway: TestGateway;

beforeAll(async () => {
  cluster = await startSimCluster({ nodes: 20, pods: 300, seed: 21, contextName: 'flaky' });
  gateway = await startGateway({
    kubeconfigPath: cluster.kubeconfigPath,
    config: { apiTimeoutMs: API_TIMEOUT_MS },
  });
});
afterAll(async () => {
  await gateway?.stop();
  await cluster?.stop();
});
afterEach(() => cluster.sim.faults.reset());

describe('pod count failure isolation', () => {
  const cases: [string, string, number][] = [
    ['403', 'FORBIDDEN', 403],
    ['404', 'NOT_FOUND', 404],
    ['500', 'UPSTREAM_UNAVAILABLE', 500],
    ['503', 'UPSTREAM_UNAVAILABLE', 503],
    ['no answer', 'UPSTREAM_TIMEOUT', 0],
  ];

  it.each(cases)(
    'a pod LIST answering %s gives null counts with one %s error per node; node fields answer',
    async (_name, code, status) => {
      cluster.sim.faults.failNext(1, status, { resource: 'pods', verb: 'list' });
      const res = await gateway.query(NODE_POD_COUNTS, {});
      const nodes = res.data!.nodes!.nodes;
      expect(nodes).toHaveLength(20);
      for (const node of nodes) {
        expect(node.podCount).toBeNull();
        expect(node.name).toMatch(/^node-/);
        expect(typeof node.ready).toBe('boolean');
      }
      expect(res.errors).toHaveLength(20);
      const paths = res.errors!.map((e) => e.path?.join('.'));
      expect(new Set(paths)).toEqual(new Set(nodes.map((_n, i) => `nodes.nodes.${i}.podCount`)));
      for (const err of res.errors!) {
        expect(err.extensions?.code).toBe(code);
        expect(err.message).toContain('counting pods in cluster flaky');
      }
    },
  );

  it('the next request after a failure counts again', async () => {
    cluster.sim.faults.failNext(1, 500, { resource: 'pods', verb: 'list' });
    const failed = await gateway.query(NODE_POD_COUNTS, {});
    expect(failed.errors?.length).toBe(20);
    const ok = await gateway.query(NODE_POD_COUNTS, {});
    expect(ok.errors).toBeUndefined();
    expect(ok.data!.nodes!.nodes.every((n) => typeof n.podCount === 'number')).toBe(true);
    // Read as an operator would: from /metrics.
    const lists = (outcome: string) => gateway.metricSum('gateway_pod_count_lists_total', { outcome });
    expect(await lists('SERVER_ERROR')).toBeGreaterThanOrEqual(1);
    expect(await lists('ok')).toBeGreaterThanOrEqual(1);
  });

  it('a slow API times out at --api-timeout', async () => {
    cluster.sim.faults.setLatency('pods', 'list', API_TIMEOUT_MS * 5);
    const started = Date.now();
    const res = await gateway.query(NODE_POD_COUNTS, {});
    expect(Date.now() - started).toBeLessThan(API_TIMEOUT_MS * 4);
    expect(res.errors?.[0]?.extensions?.code).toBe('UPSTREAM_TIMEOUT');
    expect(res.data!.nodes!.nodes.every((n) => n.podCount === null)).toBe(true);
  });

  it('a failing Node.pods LIST reports its code at node.pods', async () => {
    const node = cluster.sim.cluster.findWorkerNode({});
    cluster.sim.faults.failNext(1, 403, { resource: 'pods', verb: 'list' });
    const res = await gateway.query(NODE_PODS, { name: node });
    expect(res.errors).toHaveLength(1);
    expect(res.errors![0]).toMatchObject({ path: ['nodeByName', 'pods'], extensions: { code: 'FORBIDDEN' } });
    // Only the failed field is null: the node's own fields still answer from the cache.
    expect(res.data).toEqual({ nodeByName: { name: node, pods: null } });
  });
});
