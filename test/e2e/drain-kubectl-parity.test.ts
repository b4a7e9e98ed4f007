import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimulatorHandle } from '../../src/sim/index.js';
import {
  addMirrorPod,
  evictedPods,
  keyOf,
  podsOn,
  startDrain,
  untilFinished,
} from '../drain/drain-e2e-support.js';
import { kubectlDrainArgs } from '../support/kubectl-drain.js';
import { waitFor } from '../support/wait-for.js';
import { type SimCluster, startGateway, startSimCluster, type TestGateway } from './harness.js';

const run = promisify(execFile);

/**
 * The same cluster twice (identical seeds): kubectl drains a node of one, the gateway the same
 * node of the other. What each evicts and what each leaves on the node must be the same.
 */
describe('drain parity with kubectl drain', () => {
  let forKubectl: SimCluster;
  let forGateway: SimCluster;
  let gateway: TestGateway;

  beforeAll(async () => {
    const options = { nodes: 12, pods: 260, seed: 56 };
    [forKubectl, forGateway] = await Promise.all([
      startSimCluster({ ...options, contextName: 'kubectl-sim' }),
      startSimCluster({ ...options, contextName: 'gateway-sim' }),
    ]);
    gateway = await startGateway({ kubeconfigPath: forGateway.kubeconfigPath });
  });
  afterAll(async () => {
    await gateway?.stop();
    await forKubectl?.stop();
    await forGateway?.stop();
  });

  it('evicts the same pods and leaves the same pods as kubectl drain --ignore-daemonsets --delete-emptydir-data --force', async () => {
    const node = forKubectl.sim.cluster.findWorkerNode();
    expect(forGateway.sim.cluster.findWorkerNode()).toBe(node);
    // Beside its ReplicaSet (some with emptyDir) and DaemonSet pods: every other kind a filter decides on.
    for (const { sim } of [forKubectl, forGateway]) await addFilterCases(sim, node);
    const before = podsOn(forKubectl.sim, node).map(keyOf).sort();
    expect(podsOn(forGateway.sim, node).map(keyOf).sort()).toEqual(before);

    const kubectl = await run(
      'kubectl',
      [...kubectlDrainArgs(node, '60s'), '--kubeconfig', forKubectl.kubeconfigPath],
      { timeout: 90_000 },
    );
    expect(kubectl.stdout).toContain(`node/${node} drained`);

    const job = await startDrain(gateway, node, { deleteEmptyDirData: true, force: true });
    expect((await untilFinished(gateway, job.id, 60_000)).state).toBe('SUCCEEDED');

    const evictedByKubectl = [...new Set(evictedPods(forKubectl.sim))];
    const evictedByGateway = [...new Set(evictedPods(forGateway.sim))];
    expect(evictedByKubectl).toEqual(expect.arrayContaining(['default/bare-scratch', 'default/report-done']));
    expect(evictedByGateway).toEqual(evictedByKubectl);
    const leftByKubectl = podsOn(forKubectl.sim, node).map(keyOf).sort();
    expect(leftByKubectl).toContain(`kube-system/static-web-${node}`);
    expect(podsOn(forGateway.sim, node).map(keyOf).sort()).toEqual(leftByKubectl);
    expect(forGateway.sim.cluster.getNode(node)?.spec?.unschedulable).toBe(true);
    expect(forKubectl.sim.cluster.getNode(node)?.spec?.unschedulable).toBe(true);
  }, 90_000);
});

/** A mirror pod, a bare pod with emptyDir, and a finished Job pod, identical in both clusters. */
async function addFilterCases(sim: SimulatorHandle, node: string): Promise<void> {
  addMirrorPod(sim, node);
  const containers = [{ name: 'main', image: 'busybox:1.36' }];
  sim.cluster.createPod({
    metadata: { name: 'bare-scratch', namespace: 'default' },
    spec: { nodeName: node, containers, volumes: [{ name: 'tmp', emptyDir: {} }] },
  });
  const job = { apiVersion: 'batch/v1', kind: 'Job', name: 'report', uid: 'job-uid', controller: true };
  sim.cluster.createPod({
    metadata: { name: 'report-done', namespace: 'default', ownerReferences: [job] },
    spec: { nodeName: node, containers, restartPolicy: 'Never' },
  });
  await waitFor(() => sim.cluster.getPod('default', 'report-done')?.status?.phase === 'Running', {
    what: 'the job pod to run',
  });
  sim.cluster.patchPod('default', 'report-done', (p) => {
    p.status = { ...p.status, phase: 'Succeeded' };
  });
}
