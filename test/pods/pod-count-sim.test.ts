import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { KubeHttpClient } from '../../src/clusters/kube-client.js';
import { NON_TERMINAL_FIELD_SELECTOR } from '../../src/pods/kube-pod.js';
import { listPodCountsByNode } from '../../src/pods/pod-count-lister.js';
import { listPodsOnNode } from '../../src/pods/pods-on-node.js';
import { type SimulatorHandle, startSimulator } from '../../src/sim/index.js';

let sim: SimulatorHandle;
let client: KubeHttpClient;

beforeAll(async () => {
  sim = await startSimulator({ nodes: 30, pods: 1200, seed: 3, heartbeatIntervalMs: 0 });
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromString(sim.kubeconfig());
  client = new KubeHttpClient({ cluster: 'sim', kubeConfig, apiTimeoutMs: 5000 });
});
afterAll(async () => {
  client.close();
  await sim.stop();
});
beforeEach(() => sim.audit.clear());

function simCounts(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const pod of sim.cluster.listPods()) {
    const node = pod.spec?.nodeName;
    const phase = pod.status?.phase;
    if (node && phase !== 'Succeeded' && phase !== 'Failed') counts[node] = (counts[node] ?? 0) + 1;
  }
  return counts;
}

describe('pod counts against the simulator', () => {
  it('one paged Table LIST chain counts every node as the cluster holds it', async () => {
    const result = await listPodCountsByNode(client, { timeoutMs: 5000, pageSize: 200 });
    expect(Object.fromEntries(result.counts)).toEqual(simCounts());
    expect(result.format).toBe('table');
    const lists = sim.audit.entries().filter((e) => e.resource === 'pods' && e.verb === 'list');
    expect(lists).toHaveLength(result.pages);
    expect(result.pages).toBeGreaterThan(1);
    expect(lists.filter((e) => !e.continue)).toHaveLength(1);
    for (const e of lists)
      expect(e).toMatchObject({
        table: true,
        limit: 200,
        fieldSelector: NON_TERMINAL_FIELD_SELECTOR,
        code: 200,
      });
  });

  it('lists the pods on a node as the cluster holds them', async () => {
    const node = sim.cluster.findWorkerNode({});
    const pods = await listPodsOnNode(client, { node }, { timeoutMs: 5000, pageSize: 7 });
    const expected = sim.cluster
      .listPods({ nodeName: node })
      .map((p) => `${p.metadata?.namespace}/${p.metadata?.name}`)
      .sort();
    expect(pods.map((p) => `${p.metadata.namespace}/${p.metadata.name}`)).toEqual(expected);
    expect(sim.audit.count({ resource: 'pods', verb: 'list', fieldSelector: `spec.nodeName=${node}` })).toBe(
      Math.ceil(expected.length / 7),
    );
  });
});
