import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { KubeHttpClient } from '../../src/clusters/kube-client.js';
import { NodeCache, type NodeChange } from '../../src/informers/node-cache.js';
import { NodeReflector } from '../../src/informers/node-reflector.js';
import { createLogger } from '../../src/platform/logger.js';
import type { SimulatorHandle } from '../../src/sim/index.js';
import { waitFor } from '../support/wait-for.js';
import { useSimulatorClient } from './simulator-client.js';

const INACTIVITY_MS = 800;

describe('NodeReflector against the simulator', () => {
  let sim: SimulatorHandle;
  let client: KubeHttpClient;
  let reflector: NodeReflector;
  let cache: NodeCache;
  let changes: NodeChange[];
  let heartbeats: number;
  let syncedLog: boolean[];

  const env = useSimulatorClient({
    nodes: 20,
    pods: 0,
    seed: 3,
    heartbeatIntervalMs: 0,
    bookmarkIntervalMs: 200,
  });
  beforeAll(() => {
    ({ sim, client } = env);
  });

  beforeEach(async () => {
    sim.faults.reset();
    sim.audit.clear();
    changes = [];
    heartbeats = 0;
    syncedLog = [];
    cache = new NodeCache({ onChange: (c) => changes.push(c), onUnchanged: () => heartbeats++ });
    reflector = new NodeReflector(
      client,
      cache,
      createLogger('silent'),
      {
        pageSize: 7,
        watchTimeoutSeconds: 30,
        inactivityMs: INACTIVITY_MS,
        backoff: { initialMs: 50, maxMs: 300 },
      },
      { onSyncedChange: (synced) => syncedLog.push(synced) },
    );
    reflector.start();
    await waitFor(() => reflector.isSynced && sim.openWatches('nodes') === 1, {
      what: 'initial sync and watch',
    });
  });

  afterEach(async () => {
    await reflector.stop();
  });

  const changeOf = (name: string) => changes.find((c) => c.node.name === name);

  it('lists page by page, then applies watch events; a heartbeat changes nothing', async () => {
    expect(cache.size).toBe(sim.cluster.listNodes().length);
    expect(sim.audit.count({ resource: 'nodes', verb: 'list' })).toBe(3); // 20 nodes, pages of 7
    expect(changes).toEqual([]);

    sim.cluster.heartbeat();
    const target = sim.cluster.listNodes()[5]!.metadata!.name!;
    sim.cluster.patchNode(target, (n) => {
      n.metadata!.labels!.team = 'payments';
    });
    await waitFor(() => changeOf(target), { what: 'label change' });
    expect(changes.map((c) => [c.type, c.node.name, c.changes])).toEqual([['MODIFIED', target, ['LABELS']]]);
    expect(heartbeats).toBe(20);

    const added = sim.cluster.addNode('node-extra');
    await waitFor(() => changeOf('node-extra'), { what: 'added node' });
    sim.cluster.deleteNode(added.metadata!.name!);
    await waitFor(() => changes.some((c) => c.type === 'DELETED'), { what: 'deleted node' });
    expect(changes.slice(1).map((c) => c.type)).toEqual(['ADDED', 'DELETED']);
    expect(cache.get('node-extra')).toBeUndefined();
  });

  it('resumes a dropped watch from its resourceVersion without relisting or missing a change', async () => {
    sim.faults.dropWatches();
    const target = sim.cluster.listNodes()[2]!.metadata!.name!;
    sim.cluster.patchNode(target, (n) => {
      n.spec!.unschedulable = true;
    });
    await waitFor(() => changeOf(target), { what: 'cordon after the drop' });
    expect(changeOf(target)!.changes).toEqual(['SCHEDULABLE']);
    expect(sim.audit.count({ resource: 'nodes', verb: 'list' })).toBe(3);
    expect(sim.audit.count({ resource: 'nodes', verb: 'watch' })).toBeGreaterThanOrEqual(2);
    expect(syncedLog).toEqual([true]);
  });

  it('relists after 410 and reports what changed meanwhile as ADDED / MODIFIED / DELETED', async () => {
    const [a, b] = sim.cluster.listNodes().map((n) => n.metadata!.name!);
    sim.faults.refuseConnections(400);
    sim.cluster.patchNode(a!, (n) => {
      n.spec!.taints = [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }];
    });
    sim.cluster.deleteNode(b!);
    sim.cluster.addNode('node-new');
    sim.faults.compactHistory();
    await waitFor(() => changes.length === 3, { timeoutMs: 5000, what: 'the relist difference' });
    expect(changes.map((c) => `${c.type} ${c.node.name} ${c.changes.length}`).sort()).toEqual(
      [`ADDED node-new 9`, `DELETED ${b} 9`, `MODIFIED ${a} 1`].sort(),
    );
    expect(changeOf(a!)!.changes).toEqual(['TAINTS']);
    expect(cache.size).toBe(sim.cluster.listNodes().length);
    await waitFor(() => reflector.isSynced, { what: 'in sync again' });
    // Out of sync while refused; the resumed watch opens (in sync), says 410, and the relist
    // marks the cache stale until it completes.
    expect(syncedLog).toEqual([true, false, true, false, true]);
  });

  it('restarts a watch that goes silent and catches up on what it missed', async () => {
    sim.faults.stallWatches(true);
    const target = sim.cluster.listNodes()[4]!.metadata!.name!;
    sim.cluster.setNodeReady(target, false);
    await waitFor(() => !reflector.isSynced, { timeoutMs: INACTIVITY_MS * 3, what: 'stall detected' });
    // The restarted watch replays history, which the stall does not block.
    await waitFor(() => changeOf(target), { timeoutMs: 3000, what: 'the NotReady change' });
    expect(changeOf(target)!.changes).toEqual(expect.arrayContaining(['READY', 'CONDITIONS']));
    sim.faults.stallWatches(false);
    await waitFor(() => reflector.isSynced, { timeoutMs: 3000, what: 'in sync again' });
  });

  it('retries with backoff while the API refuses connections, then resumes', async () => {
    sim.faults.refuseConnections(1000);
    const target = sim.cluster.listNodes()[6]!.metadata!.name!;
    sim.cluster.patchNode(target, (n) => {
      n.metadata!.annotations!.note = 'during the outage';
    });
    await waitFor(() => !reflector.isSynced, { what: 'outage noticed' });
    await waitFor(() => changeOf(target), { timeoutMs: 5000, what: 'the change made during the outage' });
    expect(changeOf(target)!.changes).toEqual(['ANNOTATIONS']);
    expect(reflector.isSynced).toBe(true);
    expect(sim.audit.count({ resource: 'nodes', verb: 'list' })).toBe(3);
  });

  it('stops without emitting anything', async () => {
    await reflector.stop();
    await waitFor(() => sim.openWatches('nodes') === 0, { what: 'watch closed' });
    sim.cluster.patchNode(sim.cluster.listNodes()[0]!.metadata!.name!, (n) => {
      n.metadata!.labels!.after = 'stop';
    });
    expect(changes).toEqual([]);
  });
});
