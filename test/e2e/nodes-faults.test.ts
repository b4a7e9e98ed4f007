import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config/gateway-config.js';
import type { NodeChangedSubscription } from '../gql/graphql.js';
import type { TestSubscription } from '../support/graphql-clients.js';
import { type SimCluster, startGateway, startSimCluster, type TestGateway } from './harness.js';
import {
  simFacts,
  statusChangesSince,
  waitForClusterStatus,
  waitForNodeSubscribers,
} from './nodes-helpers.js';
import { NODE_CHANGED_SUBSCRIPTION, NODE_NAMES_QUERY, NODES_QUERY } from './operations/nodes.js';

type Event = NodeChangedSubscription['nodeChanged'];

const INACTIVITY_MS = 1000;

describe('node informer faults, through the gateway', () => {
  let sim: SimCluster;
  let gateway: TestGateway;
  let workers: string[];
  let sub: TestSubscription<NodeChangedSubscription>;
  let startedAt: Date;

  beforeAll(async () => {
    sim = await startSimCluster({ nodes: 20, pods: 0, seed: 31, bookmarkIntervalMs: 250 });
    gateway = await startGateway({
      kubeconfigPath: sim.kubeconfigPath,
      config: {
        apiTimeoutMs: 1500,
        nodeWatch: {
          ...DEFAULT_CONFIG.nodeWatch,
          timeoutSeconds: 60,
          inactivityMs: INACTIVITY_MS,
          retryInitialMs: 100,
          retryMaxMs: 1000,
        },
      },
    });
    workers = sim.sim.cluster
      .listNodes()
      .map((n) => n.metadata!.name!)
      .slice(3);
  });

  afterAll(async () => {
    await gateway?.stop();
    await sim?.stop();
  });

  beforeEach(async () => {
    sim.sim.faults.reset();
    await waitForClusterStatus(gateway, 'READY');
    sim.sim.audit.clear();
    startedAt = new Date();
    sub = gateway.subscribe(NODE_CHANGED_SUBSCRIPTION, {});
    await waitForNodeSubscribers(gateway, 1);
  });

  afterEach(async () => {
    sub.close();
    // Gone before the next test counts its own subscription.
    await waitForNodeSubscribers(gateway, 0);
  });

  /** Events until every `name` was seen (or the deadline passes). */
  async function eventsFor(names: string[], timeoutMs: number): Promise<Event[]> {
    const events: Event[] = [];
    const deadline = Date.now() + timeoutMs;
    while (!names.every((n) => events.some((e) => e.name === n))) {
      const res = await sub.next(Math.max(1, deadline - Date.now()));
      events.push(res.data!.nodeChanged);
    }
    return events;
  }

  /** The gateway's node list equals the simulator's, field by field that matter here. */
  async function expectCacheMatchesSim(): Promise<void> {
    const res = await gateway.query(NODES_QUERY, {});
    const fromGateway = res.data!.nodes!.edges.map(({ node }) => ({
      name: node.name,
      schedulable: node.schedulable,
      ready: node.ready,
      labels: Object.fromEntries(node.labels.map((l) => [l.key, l.value])),
    }));
    const fromSim = sim.sim.cluster
      .listNodes()
      .map(simFacts)
      .map(({ name, schedulable, ready, labels }) => ({ name, schedulable, ready, labels }))
      .sort((a, b) => (a.name < b.name ? -1 : 1));
    expect(fromGateway).toEqual(fromSim);
  }

  it('a dropped watch resumes from its resourceVersion: nothing missed, no relist, still READY', async () => {
    sim.sim.faults.dropWatches();
    sim.sim.cluster.patchNode(workers[0]!, (n) => {
      n.metadata!.labels!.afterDrop = 'yes';
    });
    const events = await eventsFor([workers[0]!], 2000);
    expect(events.find((e) => e.name === workers[0])!.changes).toEqual(['LABELS']);
    expect(await statusChangesSince(gateway, startedAt)).toEqual([]);
    expect(sim.sim.audit.count({ resource: 'nodes', verb: 'list' })).toBe(0);
    await expectCacheMatchesSim();
  });

  it('a forced 410 relists and reports the difference as ADDED / MODIFIED / DELETED', async () => {
    // Stall so the changes miss the open watch, then compact so its resume gets 410.
    sim.sim.faults.stallWatches(true);
    sim.sim.cluster.patchNode(workers[1]!, (n) => {
      n.spec!.taints = [{ key: 'gone', effect: 'NoSchedule' }];
    });
    sim.sim.cluster.deleteNode(workers[2]!);
    sim.sim.cluster.addNode('node-0410');
    sim.sim.faults.compactHistory();
    const events = await eventsFor([workers[1]!, workers[2]!, 'node-0410'], INACTIVITY_MS + 4000);
    expect(events.map((e) => `${e.type} ${e.name}`).sort()).toEqual(
      [`MODIFIED ${workers[1]}`, `DELETED ${workers[2]}`, 'ADDED node-0410'].sort(),
    );
    expect(events.find((e) => e.name === workers[1])!.changes).toEqual(['TAINTS']);
    sim.sim.faults.stallWatches(false);
    await waitForClusterStatus(gateway, 'READY');
    const changes = await statusChangesSince(gateway, startedAt);
    expect(changes.slice(0, 3)).toEqual(['DEGRADED', 'RELISTING', 'READY']);
    expect(changes[changes.length - 1]).toBe('READY');
    expect(sim.sim.audit.count({ resource: 'nodes', verb: 'list' })).toBeGreaterThanOrEqual(1);
    await expectCacheMatchesSim();
  });

  it('a stalled watch is detected by its deadline, restarted, and catches up', async () => {
    sim.sim.faults.stallWatches(true);
    // Silent past the deadline: no longer trusted.
    await waitForClusterStatus(gateway, 'DEGRADED', undefined, INACTIVITY_MS * 3);
    sim.sim.cluster.setNodeReady(workers[3]!, false);
    // The next restart replays what the stalled watch never sent.
    const events = await eventsFor([workers[3]!], INACTIVITY_MS * 3);
    expect(events.find((e) => e.name === workers[3])!.changes).toEqual(expect.arrayContaining(['READY']));
    sim.sim.faults.stallWatches(false);
    await waitForClusterStatus(gateway, 'READY');
    const changes = await statusChangesSince(gateway, startedAt);
    expect(changes[0]).toBe('DEGRADED');
    expect(changes[changes.length - 1]).toBe('READY');
    await expectCacheMatchesSim();
  });

  it('an API refusing connections for 10 s: stale answers flagged, UNREACHABLE, then every change arrives', async () => {
    sim.sim.faults.refuseConnections(10_000);
    sim.sim.cluster.patchNode(workers[4]!, (n) => {
      n.spec!.unschedulable = true;
    });
    await waitForClusterStatus(gateway, 'UNREACHABLE', undefined, 5000);
    const during = await gateway.query(NODE_NAMES_QUERY, {});
    expect(during.data!.nodes!.totalCount).toBeGreaterThan(0);
    expect(during.extensions?.degraded).toEqual([
      expect.objectContaining({ cluster: 'sim', source: 'STALE_CACHE' }),
    ]);
    sim.sim.cluster.patchNode(workers[5]!, (n) => {
      n.metadata!.labels!.duringOutage = 'yes';
    });
    const events = await eventsFor([workers[4]!, workers[5]!], 16_000);
    expect(events.find((e) => e.name === workers[4])!.changes).toEqual(['SCHEDULABLE']);
    expect(events.find((e) => e.name === workers[5])!.changes).toEqual(['LABELS']);
    await waitForClusterStatus(gateway, 'READY');
    expect(await statusChangesSince(gateway, startedAt)).toEqual(['UNREACHABLE', 'READY']);
    await expectCacheMatchesSim();
  }, 30_000);

  it('while the watch fails, Query.nodes answers from the last cache, flagged stale, without a LIST', async () => {
    sim.sim.faults.failNext(1000, 500, { resource: 'nodes', verb: 'watch' });
    sim.sim.faults.dropWatches();
    await waitForClusterStatus(gateway, 'DEGRADED', undefined, 5000);
    sim.sim.cluster.patchNode(workers[6]!, (n) => {
      n.metadata!.labels!.fresh = 'missed';
    });
    const before = sim.sim.audit.count({ resource: 'nodes', verb: 'list' });
    const res = await gateway.query(NODE_NAMES_QUERY, {
      filter: { labelSelector: 'fresh=missed' },
    });
    // The change the failing watch missed is not there: the answer is the last known state.
    expect(res.data!.nodes!.nodes).toEqual([]);
    expect(res.extensions?.stale).toEqual([{ cluster: 'sim', ageSeconds: expect.any(Number) }]);
    expect(res.extensions?.degraded).toEqual([
      expect.objectContaining({ cluster: 'sim', source: 'STALE_CACHE' }),
    ]);
    expect(sim.sim.audit.count({ resource: 'nodes', verb: 'list' })).toBe(before);
    sim.sim.faults.reset();
  });
});
