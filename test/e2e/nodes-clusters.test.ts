import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config/gateway-config.js';
import { waitFor } from '../support/wait-for.js';
import {
  type SimCluster,
  startGateway,
  startSimCluster,
  type TestGateway,
  tempDir,
  writeMergedKubeconfig,
} from './harness.js';
import { allNodeNames, clusterRows, waitForClusterStatus, waitForNodeSubscribers } from './nodes-helpers.js';
import { NODE_CHANGED_SUBSCRIPTION, NODE_NAMES_QUERY } from './operations/nodes.js';

/** Adds a context whose server refuses connections. */
async function addUnreachableContext(path: string): Promise<void> {
  const kc = new KubeConfig();
  kc.loadFromFile(path);
  kc.addCluster({ name: 'nowhere', server: 'https://127.0.0.1:9', skipTLSVerify: true });
  kc.addUser({ name: 'nobody', token: 'x' });
  kc.addContext({ name: 'nowhere', cluster: 'nowhere', user: 'nobody' });
  await writeFile(path, kc.exportConfig());
}

describe('clusters from kubeconfig contexts', () => {
  let east: SimCluster;
  let west: SimCluster;
  let gateway: TestGateway;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let kubeconfigPath: string;

  beforeAll(async () => {
    [east, west] = await Promise.all([
      startSimCluster({ nodes: 8, pods: 0, seed: 41, contextName: 'east' }),
      startSimCluster({ nodes: 6, pods: 0, seed: 42, contextName: 'west' }),
    ]);
    dir = await tempDir();
    kubeconfigPath = join(dir.path, 'kubeconfig');
    await writeMergedKubeconfig(kubeconfigPath, [east, west]);
    await addUnreachableContext(kubeconfigPath);
    gateway = await startGateway({
      kubeconfigPath,
      allContexts: true,
      config: {
        apiTimeoutMs: 1000,
        nodeWatch: {
          ...DEFAULT_CONFIG.nodeWatch,
          timeoutSeconds: 60,
          inactivityMs: 5000,
          retryInitialMs: 100,
          retryMaxMs: 500,
        },
      },
    });
    await waitForClusterStatus(gateway, 'READY', ['east', 'west']);
  });

  afterAll(async () => {
    await gateway?.stop();
    await Promise.all([east?.stop(), west?.stop()]);
    await dir?.cleanup();
  });

  it('serves the reachable clusters while one cannot be reached, and stays ready', async () => {
    await waitForClusterStatus(gateway, 'UNREACHABLE', ['nowhere']);
    const rows = await clusterRows(gateway);
    expect(rows.find((r) => r.name === 'nowhere')?.error).toMatch(/127\.0\.0\.1:9/);
    expect(await allNodeNames(gateway, { cluster: 'west' })).toHaveLength(6);
    const res = await gateway.query(NODE_NAMES_QUERY, { cluster: 'nowhere' });
    expect(res.errors?.[0]?.extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(res.errors?.[0]?.message).toMatch(/cluster nowhere/);
    expect((await fetch(`${gateway.baseUrl}/readyz`)).status).toBe(200);
  });

  it('stops the informer of a context removed from the file; its subscribers get a last event', async () => {
    const westOnly = gateway.subscribe(NODE_CHANGED_SUBSCRIPTION, { cluster: 'west' });
    const both = gateway.subscribe(NODE_CHANGED_SUBSCRIPTION, { clusters: ['east', 'west'] });
    await waitForNodeSubscribers(gateway, 2);
    expect(west.sim.openWatches('nodes')).toBe(1);

    await writeMergedKubeconfig(kubeconfigPath, [east]);

    expect((await westOnly.next(5000)).data).toMatchObject({
      nodeChanged: { type: 'CLUSTER_REMOVED', cluster: 'west', name: null },
    });
    await westOnly.done;
    expect((await both.next(1000)).data).toMatchObject({
      nodeChanged: { type: 'CLUSTER_REMOVED', cluster: 'west' },
    });
    const eastNode = east.sim.cluster.listNodes()[0]!.metadata!.name!;
    east.sim.cluster.patchNode(eastNode, (n) => {
      n.metadata!.labels!.still = 'here';
    });
    expect((await both.next(2000)).data).toMatchObject({ nodeChanged: { cluster: 'east', name: eastNode } });
    both.close();

    expect((await clusterRows(gateway)).map((r) => r.name)).toEqual(['east']);
    const res = await gateway.query(NODE_NAMES_QUERY, { cluster: 'west' });
    expect(res.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    await waitFor(() => west.sim.openWatches('nodes') === 0, { what: 'the west watch to close' });
    const metrics = await (await fetch(`${gateway.baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/gateway_node_cache_size\{cluster="east"\}/);
    expect(metrics).not.toMatch(/gateway_node_cache_size\{cluster="west"\}/);
  });

  it('starts an informer for a context added to the file', async () => {
    await writeMergedKubeconfig(kubeconfigPath, [east, west]);
    await waitForClusterStatus(gateway, 'READY', ['west']);
    expect(await allNodeNames(gateway, { cluster: 'west' })).toHaveLength(6);
  });
});
