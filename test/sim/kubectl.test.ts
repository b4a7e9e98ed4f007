import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SimulatorHandle, startSimulator } from '../../src/sim/index.js';
import { kubectlDrainArgs } from '../support/kubectl-drain.js';
import { waitFor } from '../support/wait-for.js';
import { KUBECTL_MISSING, type Kubectl, kubectlAvailable, kubectlFor } from './kubectl-helpers.js';

const available = kubectlAvailable();
const suite = available || process.env.CI ? describe : describe.skip;

let sim: SimulatorHandle;
let kubectl: Kubectl;

suite('kubectl against the simulator', () => {
  beforeAll(async () => {
    if (!available) throw new Error(KUBECTL_MISSING);
    sim = await startSimulator({ nodes: 20, pods: 200, heartbeatIntervalMs: 0, controllerDelayMs: 50 });
    kubectl = await kubectlFor(sim);
  });
  afterAll(async () => {
    kubectl?.dispose();
    await sim?.stop();
  });

  it('get nodes prints NAME STATUS ROLES AGE VERSION for every node', async () => {
    const out = await kubectl.ok(['get', 'nodes']);
    const lines = out.trim().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION$/);
    expect(lines).toHaveLength(21);
    expect(lines[1]).toMatch(/^node-0001\s+Ready\s+control-plane\s+120d\s+v1\.32\.4$/);
    const names = lines.slice(1).map((l) => l.split(/\s+/)[0]);
    expect(names).toEqual(sim.cluster.listNodes().map((n) => n.metadata?.name));
  });

  it('get pods -A --field-selector spec.nodeName=X -o json equals the simulator state', async () => {
    const node = sim.cluster.findWorkerNode();
    const out = JSON.parse(
      await kubectl.ok(['get', 'pods', '-A', '--field-selector', `spec.nodeName=${node}`, '-o', 'json']),
    ) as {
      items: Array<Record<string, unknown>>;
    };
    const state = sim.cluster.listPods({ nodeName: node });
    expect(out.items.length).toBeGreaterThan(3);
    expect(out.items).toEqual(state);
  });

  it('get pods -A --chunk-size=7 returns every pod, paging with continue', async () => {
    sim.audit.clear();
    const out = await kubectl.ok(['get', 'pods', '-A', '--chunk-size=7', '--no-headers']);
    const names = out
      .trim()
      .split('\n')
      .map((l) => l.split(/\s+/).slice(0, 2).join('/'));
    const expected = sim.cluster.listPods().map((p) => `${p.metadata?.namespace}/${p.metadata?.name}`);
    expect(names).toEqual(expected);
    expect(sim.audit.count({ resource: 'pods', verb: 'list', limit: 7, continue: true })).toBe(
      Math.ceil(expected.length / 7) - 1,
    );
  });

  it('label, taint, cordon and uncordon change what a following GET returns', async () => {
    const node = 'node-0010';
    await kubectl.ok(['label', 'node', node, 'team=storage']);
    expect(sim.cluster.getNode(node)?.metadata?.labels?.team).toBe('storage');
    expect(await kubectl.ok(['get', 'node', node, '-o', 'jsonpath={.metadata.labels.team}'])).toBe('storage');

    await kubectl.ok(['taint', 'node', node, 'dedicated=db:NoSchedule']);
    expect(sim.cluster.getNode(node)?.spec?.taints).toEqual([
      { key: 'dedicated', value: 'db', effect: 'NoSchedule' },
    ]);
    await kubectl.ok(['taint', 'node', node, 'dedicated=db:NoSchedule-']);
    expect(sim.cluster.getNode(node)?.spec?.taints ?? []).toEqual([]);

    await kubectl.ok(['cordon', node]);
    expect(sim.cluster.getNode(node)?.spec?.unschedulable).toBe(true);
    expect(sim.cluster.getNode(node)?.spec?.taints).toEqual([
      expect.objectContaining({ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }),
    ]);
    expect(await kubectl.ok(['get', 'node', node, '--no-headers'])).toMatch(/Ready,SchedulingDisabled/);
    await kubectl.ok(['uncordon', node]);
    expect(sim.cluster.getNode(node)?.spec?.unschedulable).toBeFalsy();

    await kubectl.ok(['label', 'node', node, 'team-']);
    expect(sim.cluster.getNode(node)?.metadata?.labels?.team).toBeUndefined();
  });

  it('create -f and apply -f work (the server validates fields, as kubectl finds in /openapi/v3)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sim-manifest-'));
    const manifest = join(dir, 'pod.yaml');
    const write = (label: string): void =>
      writeFileSync(
        manifest,
        `apiVersion: v1\nkind: Pod\nmetadata:\n  name: applied\n  namespace: default\n  labels: {stage: ${label}}\nspec:\n  containers:\n  - name: c\n    image: nginx:1.27\n`,
      );
    write('one');
    expect(await kubectl.ok(['create', '-f', manifest])).toContain('pod/applied created');
    write('two');
    expect((await kubectl.run(['apply', '-f', manifest])).stdout).toContain('pod/applied configured');
    expect(sim.cluster.getPod('default', 'applied')?.metadata?.labels?.stage).toBe('two');
    sim.cluster.deletePod('default', 'applied', { force: true });
  });

  it('get nodes --watch -o name prints a line after a label change', async () => {
    const child = kubectl.spawn(['get', 'nodes', '--watch', '-o', 'name']);
    try {
      const lines: string[] = [];
      createInterface({ input: child.stdout! }).on('line', (l) => lines.push(l));
      await waitFor(() => lines.length >= 20, { timeoutMs: 15_000, what: 'the initial node list' });
      const before = lines.length;
      sim.cluster.patchNode('node-0011', (n) => {
        n.metadata!.labels = { ...n.metadata!.labels, watched: 'yes' };
      });
      await waitFor(() => lines.length > before, { timeoutMs: 10_000, what: 'a watch line' });
      expect(lines[before]).toBe('node/node-0011');
    } finally {
      child.kill();
    }
  });

  it('drain --ignore-daemonsets --delete-emptydir-data --force leaves only DaemonSet pods; ReplicaSet pods reappear elsewhere', async () => {
    const node = sim.cluster.findWorkerNode({ exclude: ['node-0010', 'node-0011'] });
    const before = sim.cluster.listPods({ nodeName: node });
    const rsPods = before.filter((p) => p.metadata?.ownerReferences?.[0]?.kind === 'ReplicaSet');
    expect(rsPods.length).toBeGreaterThan(0);
    const res = await kubectl.run(kubectlDrainArgs(node, '60s'));
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain(`node/${node} drained`);
    const after = sim.cluster.listPods({ nodeName: node });
    expect(after.every((p) => p.metadata?.ownerReferences?.[0]?.kind === 'DaemonSet')).toBe(true);
    expect(after).toHaveLength(
      before.filter((p) => p.metadata?.ownerReferences?.[0]?.kind === 'DaemonSet').length,
    );
    for (const p of rsPods) {
      const owner = p.metadata!.ownerReferences![0]!.uid;
      const replacements = await waitFor(() => {
        const running = sim.cluster
          .listPods({ namespace: p.metadata!.namespace! })
          .filter((x) => x.metadata?.ownerReferences?.[0]?.uid === owner && x.status?.phase === 'Running');
        const rs = sim.cluster
          .listReplicaSets(p.metadata!.namespace!)
          .find((r) => r.metadata?.uid === owner)!;
        return running.length === rs.spec?.replicas ? running : undefined;
      });
      expect(replacements.every((x) => x.spec?.nodeName !== node)).toBe(true);
    }
    await kubectl.ok(['uncordon', node]);
  });

  it('drain of a control-plane node leaves its DaemonSet and mirror pods', async () => {
    const res = await kubectl.run(kubectlDrainArgs('node-0002', '60s'));
    expect(res.code, res.stderr).toBe(0);
    const left = sim.cluster.listPods({ nodeName: 'node-0002' });
    expect(left.filter((p) => p.metadata?.annotations?.['kubernetes.io/config.mirror'])).toHaveLength(4);
    expect(
      left.every(
        (p) =>
          p.metadata?.annotations?.['kubernetes.io/config.mirror'] ||
          p.metadata?.ownerReferences?.[0]?.kind === 'DaemonSet',
      ),
    ).toBe(true);
  });

  it('drain fails with a PDB that allows no disruption, printing the retry and budget messages', async () => {
    const node = sim.cluster.findWorkerNode({ exclude: ['node-0010', 'node-0011'] });
    const victim = sim.cluster
      .listPods({ nodeName: node })
      .find((p) => p.metadata?.ownerReferences?.[0]?.kind === 'ReplicaSet')!;
    const ns = victim.metadata!.namespace!;
    const labels = {
      app: victim.metadata!.labels!.app!,
      'pod-template-hash': victim.metadata!.labels!['pod-template-hash']!,
    };
    for (const pdb of sim.cluster.listPodDisruptionBudgets(ns))
      sim.cluster.deletePodDisruptionBudget(ns, pdb.metadata!.name!);
    const replicas = sim.cluster
      .listPods({ namespace: ns })
      .filter((p) => p.metadata?.labels?.['pod-template-hash'] === labels['pod-template-hash']).length;
    sim.cluster.createPodDisruptionBudget({
      metadata: { name: 'no-disruption', namespace: ns },
      spec: { minAvailable: replicas, selector: { matchLabels: labels } },
    });
    await waitFor(() =>
      sim.cluster.listPodDisruptionBudgets(ns).find((p) => p.status?.observedGeneration === 1),
    );
    const res = await kubectl.run(kubectlDrainArgs(node, '5s'));
    expect(res.code).not.toBe(0);
    const output = res.stdout + res.stderr;
    expect(output).toContain(
      `error when evicting pods/"${victim.metadata!.name}" -n "${ns}" (will retry after 5s): Cannot evict pod as it would violate the pod's disruption budget.`,
    );
    expect(output).toMatch(/global timeout reached: 5s/);
    expect(sim.cluster.getPod(ns, victim.metadata!.name!)).toBeDefined();
  }, 40_000);
});
