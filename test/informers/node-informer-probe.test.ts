import { Registry } from 'prom-client';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { KubeHttpClient } from '../../src/clusters/kube-client.js';
import type { NodeChange } from '../../src/informers/node-cache.js';
import { NodeInformer } from '../../src/informers/node-informer.js';
import { NodeMetrics } from '../../src/informers/node-metrics.js';
import { NodeReader } from '../../src/informers/node-reader.js';
import { createLogger } from '../../src/platform/logger.js';
import type { SimulatorHandle } from '../../src/sim/index.js';
import { waitFor } from '../support/wait-for.js';
import { useSimulatorClient } from './simulator-client.js';

const PROBE_AFTER_MS = 150;
const PROBE_TIMEOUT_MS = 200;

/** A frozen API as the gateway sees it: open watches say nothing, new requests never answer. */
function freeze(sim: SimulatorHandle): void {
  sim.faults.stallWatches(true);
  sim.faults.failNext(100_000, 0);
}

describe('NodeInformer probing a silent watch (simulator without bookmarks)', () => {
  let sim: SimulatorHandle;
  let client: KubeHttpClient;
  let informer: NodeInformer;
  let reader: NodeReader;
  let metrics: NodeMetrics;
  let changes: NodeChange[];
  let answersChanged: number;

  // No bookmarks: a healthy watch on a quiet cluster says nothing at all, the hard case.
  const env = useSimulatorClient({
    nodes: 20,
    pods: 0,
    seed: 5,
    heartbeatIntervalMs: 0,
    bookmarkIntervalMs: 0,
  });
  beforeAll(() => {
    ({ sim, client } = env);
  });

  beforeEach(async () => {
    sim.faults.reset();
    sim.audit.clear();
    changes = [];
    answersChanged = 0;
    metrics = new NodeMetrics(new Registry());
    reader = new NodeReader({ metrics, apiTimeoutMs: 2000 });
    informer = new NodeInformer({
      connection: { name: 'sim', server: sim.url, client },
      logger: createLogger('silent'),
      metrics,
      reflector: {
        pageSize: 5,
        watchTimeoutSeconds: 60,
        inactivityMs: 60_000,
        probeAfterMs: PROBE_AFTER_MS,
        probeTimeoutMs: PROBE_TIMEOUT_MS,
        backoff: { initialMs: 50, maxMs: 200 },
      },
      onChange: (c) => changes.push(c),
      onAnswersChanged: (meaningful) => {
        if (meaningful) answersChanged++;
      },
    });
    informer.start();
    await waitFor(() => informer.clusterStatus === 'READY' && sim.openWatches('nodes') === 1, {
      what: 'initial sync and watch',
    });
  });

  afterEach(async () => {
    sim.faults.reset();
    await informer.stop();
  });

  const statuses = () => informer.state().statusHistory.map((c) => c.status);
  const changesOf = (name: string) => changes.filter((c) => c.node.name === name);
  const nodeNames = () => sim.cluster.listNodes().map((n) => n.metadata!.name!);
  const probes = () => sim.audit.count({ resource: 'nodes', verb: 'list' });

  it('a quiet healthy cluster stays READY, not stale, while its silent watch is probed', async () => {
    await waitFor(() => probes() >= 3, { what: 'three probes of the silent watch' });
    expect(statuses()).toEqual(['SYNCING', 'READY']);
    expect(informer.state()).toMatchObject({
      stale: false,
      staleSince: null,
      cacheAgeSeconds: 0,
      relist: null,
    });
    expect(informer.staleness()).toBeUndefined();
  });

  it('a frozen API: DEGRADED at the first failed probe, UNREACHABLE at the second, the cache answering marked stale', async () => {
    const frozenAt = Date.now();
    freeze(sim);
    await waitFor(() => informer.clusterStatus === 'DEGRADED', { what: 'first failed probe' });
    expect(Date.now() - frozenAt).toBeLessThan(PROBE_AFTER_MS + PROBE_TIMEOUT_MS + 500);
    await waitFor(() => informer.clusterStatus === 'UNREACHABLE', { what: 'second failed probe' });
    expect(statuses()).toEqual(['SYNCING', 'READY', 'DEGRADED', 'UNREACHABLE']);

    const state = informer.state();
    expect(state.stale).toBe(true);
    // Last known current at the last good probe or watch line, before the first failed probe.
    expect(state.staleSince!.getTime()).toBeLessThan(frozenAt + PROBE_TIMEOUT_MS);
    expect(state.cacheAgeSeconds).toBeGreaterThan(0);
    expect(state.error).toMatch(/nodes/);

    const started = Date.now();
    const answer = await reader.sorted(informer, 'NAME');
    const one = await reader.get(informer, nodeNames()[0]!);
    expect(Date.now() - started).toBeLessThan(50);
    expect(answer.view).toHaveLength(20);
    expect(answer.stale).toEqual({ cluster: 'sim', ageSeconds: expect.any(Number) });
    expect(answer.stale!.ageSeconds).toBeGreaterThan(0);
    expect(answer.degraded).toMatchObject({ cluster: 'sim', source: 'STALE_CACHE' });
    expect(one.node?.name).toBe(nodeNames()[0]);
    expect(one.stale?.cluster).toBe('sim');
    expect((await metrics.fallbackLists.get()).values).toEqual([]);
  });

  it('after the API comes back the silent watch is re-opened from its resourceVersion: the change it missed arrives once', async () => {
    const [missed, later] = nodeNames().slice(3);
    freeze(sim);
    await waitFor(() => informer.clusterStatus === 'UNREACHABLE', { what: 'outage noticed' });
    // Enters the simulator's history but not the stalled watch: only a resume can deliver it.
    sim.cluster.patchNode(missed!, (n) => {
      n.metadata!.labels!.duringFreeze = 'yes';
    });
    const watchesBefore = sim.audit.count({ resource: 'nodes', verb: 'watch' });
    sim.faults.reset();
    await waitFor(() => changesOf(missed!).length > 0, { timeoutMs: 3000, what: 'the missed change' });
    await waitFor(() => informer.clusterStatus === 'READY', { what: 'READY again' });
    expect(sim.audit.count({ resource: 'nodes', verb: 'watch' })).toBe(watchesBefore + 1);

    sim.cluster.patchNode(later!, (n) => {
      n.metadata!.labels!.afterFreeze = 'yes';
    });
    await waitFor(() => changesOf(later!).length > 0, { what: 'a change after the recovery' });
    // Anything delivered twice would have arrived before the later change.
    expect(changesOf(missed!).map((c) => c.changes)).toEqual([['LABELS']]);
    expect(changesOf(later!).map((c) => c.changes)).toEqual([['LABELS']]);
    expect(statuses().slice(-3)).toEqual(['DEGRADED', 'UNREACHABLE', 'READY']);
    expect(informer.state()).toMatchObject({ stale: false, cacheAgeSeconds: 0 });
  });

  it('a relist after 410 keeps the old cache answering, marked stale, and shows RELISTING with its progress', async () => {
    const [changed] = nodeNames().slice(6);
    sim.faults.stallWatches(true);
    sim.cluster.patchNode(changed!, (n) => {
      n.metadata!.labels!.beforeRelist = 'yes';
    });
    sim.faults.compactHistory();
    sim.faults.setLatency('nodes', 'list', 150);
    const before = answersChanged;
    sim.faults.dropWatches();
    await waitFor(() => informer.clusterStatus === 'RELISTING', { what: 'relist under way' });
    expect(answersChanged).toBeGreaterThan(before);
    const relist = informer.state().relist!;
    expect(relist.reason).toBe('expired');
    expect(relist.nodesSoFar).toBeLessThan(20);
    // Nothing was cleared: the old state answers, flagged.
    expect(informer.cache.size).toBe(20);
    const during = await reader.sorted(informer, 'NAME');
    expect(during.view).toHaveLength(20);
    expect(during.stale?.cluster).toBe('sim');
    expect(informer.cache.get(changed!)!.labels.beforeRelist).toBeUndefined();
    await waitFor(() => (informer.state().relist?.nodesSoFar ?? 0) > 0, { what: 'relist progress' });

    sim.faults.reset();
    await waitFor(() => informer.clusterStatus === 'READY', { timeoutMs: 5000, what: 'relist done' });
    expect(informer.state().relist).toBeNull();
    expect(changesOf(changed!).map((c) => c.changes)).toEqual([['LABELS']]);
    expect(statuses().slice(-2)).toEqual(['RELISTING', 'READY']);
  });
});
