import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SimulatorHandle, startSimulator } from '../../src/sim/index.js';
import { KUBECTL_MISSING, type Kubectl, kubectlAvailable, kubectlFor } from './kubectl-helpers.js';

/** kubectl as the referee of the simulator's Events and metrics.k8s.io. */
describe.runIf(kubectlAvailable() || process.env.CI)('simulator events and metrics (kubectl)', () => {
  let sim: SimulatorHandle;
  let kubectl: Kubectl;

  beforeAll(async () => {
    if (!kubectlAvailable()) throw new Error(KUBECTL_MISSING);
    sim = await startSimulator({ nodes: 12, pods: 200, seed: 31, heartbeatIntervalMs: 0, eventLimit: 5 });
    kubectl = await kubectlFor(sim);
  });
  afterAll(async () => {
    kubectl?.dispose();
    await sim?.stop();
  });

  it('kubectl top nodes and top pods read metrics.k8s.io; NotReady nodes have no sample', async () => {
    sim.cluster.setNodeReady('node-0012', false);
    const nodes = await kubectl.ok(['top', 'nodes', '--no-headers']);
    const rows = nodes
      .trim()
      .split('\n')
      .map((l) => l.trim().split(/\s+/));
    expect(rows).toHaveLength(12);
    for (const row of rows.filter((r) => r[0] !== 'node-0012')) {
      expect(row[1]).toMatch(/^\d+m$/);
      expect(row[3]).toMatch(/^\d+Mi$/);
    }
    expect(rows.find((r) => r[0] === 'node-0012')?.[1]).toBe('<unknown>');
    const pods = await kubectl.ok(['top', 'pods', '-A', '--no-headers']);
    expect(pods.trim().split('\n').length).toBeGreaterThan(100);
    // A second read in the same 30 s sample interval sees the same numbers.
    const again = await kubectl.ok(['get', '--raw', '/apis/metrics.k8s.io/v1beta1/nodes/node-0001']);
    expect(JSON.parse(again)).toMatchObject({ kind: 'NodeMetrics', window: '30s' });
    sim.cluster.setNodeReady('node-0012', true);
  });

  it('records cordon, uncordon and readiness as the kubelet and node controller do, bounded', async () => {
    await kubectl.ok(['cordon', 'node-0005']);
    await kubectl.ok(['uncordon', 'node-0005']);
    await kubectl.ok(['cordon', 'node-0005']);
    const table = await kubectl.ok(['get', 'events', '--field-selector', 'involvedObject.name=node-0005']);
    expect(table).toContain('NodeNotSchedulable');
    expect(table).toContain('NodeSchedulable');
    const json = JSON.parse(
      await kubectl.ok(['get', 'events', '--field-selector', 'involvedObject.name=node-0005', '-o', 'json']),
    ) as { items: { reason: string; count: number; source: { component: string } }[] };
    expect(json.items.find((e) => e.reason === 'NodeNotSchedulable')).toMatchObject({
      count: 2,
      source: { component: 'kubelet' },
    });
    const described = await kubectl.ok(['describe', 'node', 'node-0005']);
    expect(described).toMatch(/Normal\s+NodeNotSchedulable\s+.*\s+kubelet\s+Node node-0005 status is now/);
    // At most eventLimit (5) are kept: older ones go first.
    for (const node of ['node-0006', 'node-0007', 'node-0008', 'node-0009'])
      await kubectl.ok(['cordon', node]);
    const all = JSON.parse(await kubectl.ok(['get', 'events', '-A', '-o', 'json'])) as { items: unknown[] };
    expect(all.items).toHaveLength(5);
    await kubectl.ok(['uncordon', 'node-0005', 'node-0006', 'node-0007', 'node-0008', 'node-0009']);
  });
});
