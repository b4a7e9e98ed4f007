import {
  ApiException,
  CoreV1Api,
  KubeConfig,
  ListWatch,
  makeInformer,
  type ObjectCache,
  type V1Node,
  type V1Pod,
  Watch,
} from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SimulatorHandle, startSimulator } from '../../src/sim/index.js';
import { waitFor } from '../support/wait-for.js';

let sim: SimulatorHandle;
let kc: KubeConfig;
let core: CoreV1Api;

beforeAll(async () => {
  sim = await startSimulator({ nodes: 15, pods: 200, heartbeatIntervalMs: 0, controllerDelayMs: 20 });
  kc = new KubeConfig();
  kc.loadFromString(sim.kubeconfig());
  core = kc.makeApiClient(CoreV1Api);
});
afterAll(() => sim.stop());

function nodeNames(informer: ObjectCache<V1Node>): string[] {
  return informer
    .list()
    .map((n) => n.metadata?.name ?? '')
    .sort();
}

describe('@kubernetes/client-node against the simulator', () => {
  it('reads nodes and pages pods through the typed client over TLS', async () => {
    const nodes = await core.listNode();
    expect(nodes.items).toHaveLength(15);
    expect(nodes.items[0]!.metadata?.creationTimestamp).toBeInstanceOf(Date);
    const page = await core.listPodForAllNamespaces({ limit: 50 });
    expect(page.items).toHaveLength(50);
    expect(page.metadata?.remainingItemCount).toBe(150);
    const rest = await core.listPodForAllNamespaces({ limit: 500, _continue: page.metadata!._continue! });
    expect(rest.items).toHaveLength(150);
  });

  it('gets 401 with a bad token', async () => {
    const bad = new KubeConfig();
    bad.loadFromString(sim.kubeconfig({ token: 'not-the-token' }));
    const err = await bad
      .makeApiClient(CoreV1Api)
      .listNode()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiException);
    expect((err as ApiException<unknown>).code).toBe(401);
  });

  it('informer syncs, sees changes, and after a forced 410 relists and converges', async () => {
    const informer = makeInformer(kc, '/api/v1/nodes', () => core.listNode());
    const updates: string[] = [];
    informer.on('update', (n) => updates.push(n.metadata?.name ?? ''));
    const errors: unknown[] = [];
    informer.on('error', (e) => errors.push(e));
    await informer.start();
    try {
      expect(nodeNames(informer)).toEqual(sim.cluster.listNodes().map((n) => n.metadata?.name));

      sim.cluster.patchNode('node-0004', (n) => {
        n.metadata!.labels = { ...n.metadata!.labels, seen: 'yes' };
      });
      await waitFor(() => informer.get('node-0004')?.metadata?.labels?.seen === 'yes', {
        timeoutMs: 5_000,
        what: 'the informer to see a label',
      });
      expect(updates).toContain('node-0004');

      // Changes the open watch never delivers, then history that no longer reaches the informer's RV.
      const listsBefore = sim.audit.count({ resource: 'nodes', verb: 'list' });
      sim.faults.stallWatches(true);
      sim.cluster.deleteNode('node-0015');
      sim.cluster.addNode('node-0100');
      sim.cluster.patchNode('node-0005', (n) => {
        n.metadata!.labels = { ...n.metadata!.labels, missed: 'then-relisted' };
      });
      sim.faults.compactHistory();
      sim.faults.stallWatches(false);
      sim.faults.dropWatches();

      await waitFor(() => informer.get('node-0005')?.metadata?.labels?.missed === 'then-relisted', {
        timeoutMs: 10_000,
        what: 'the informer to relist',
      });
      expect(nodeNames(informer)).toEqual(
        sim.cluster
          .listNodes()
          .map((n) => n.metadata?.name ?? '')
          .sort(),
      );
      expect(sim.audit.count({ resource: 'nodes', verb: 'list' })).toBeGreaterThan(listsBefore);
      expect(errors).toEqual([]);
    } finally {
      await informer.stop();
    }
  });

  it('a namespaced pod informer with a field selector follows one node', async () => {
    const node = sim.cluster.findWorkerNode();
    const selector = `spec.nodeName=${node}`;
    // makeInformer() has no fieldSelector parameter; ListWatch does (and passes it to the watch).
    const informer = new ListWatch<V1Pod>(
      '/api/v1/pods',
      new Watch(kc),
      () => core.listPodForAllNamespaces({ fieldSelector: selector }),
      false,
      undefined,
      selector,
    );
    await informer.start();
    try {
      const expected = (): string[] =>
        sim.cluster
          .listPods({ nodeName: node })
          .map((p) => `${p.metadata?.namespace}/${p.metadata?.name}`)
          .sort();
      const actual = (): string[] =>
        informer
          .list()
          .map((p: V1Pod) => `${p.metadata?.namespace}/${p.metadata?.name}`)
          .sort();
      expect(actual()).toEqual(expected());
      const victim = sim.cluster
        .listPods({ nodeName: node })
        .find((p) => p.metadata?.ownerReferences?.[0]?.kind === 'ReplicaSet')!;
      sim.cluster.deletePod(victim.metadata!.namespace!, victim.metadata!.name!, { force: true });
      const gone = `${victim.metadata!.namespace}/${victim.metadata!.name}`;
      // Its ReplicaSet replaces it on the node at once: the informer must also see the new pod,
      // whose ADDED event may come a moment after the DELETED one.
      await waitFor(() => !actual().includes(gone) && sameList(actual(), expected()), {
        timeoutMs: 5_000,
        what: 'the pod to leave the informer and its replacement to arrive',
      });
      expect(actual()).not.toContain(gone);
      expect(actual()).toEqual(expected());
    } finally {
      await informer.stop();
    }
  });
});

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
