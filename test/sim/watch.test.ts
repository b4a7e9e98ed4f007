import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SimulatorHandle, startSimulator } from '../../src/sim/index.js';
import { api, type ListBody, watch } from './helpers.js';

let sim: SimulatorHandle;

beforeAll(async () => {
  sim = await startSimulator({
    nodes: 12,
    pods: 150,
    heartbeatIntervalMs: 0,
    bookmarkIntervalMs: 100,
    watchHistorySize: 50,
    controllerDelayMs: 20,
  });
});
afterAll(() => sim.stop());

const label = (node: string, value: string): void => {
  sim.cluster.patchNode(node, (n) => {
    n.metadata!.labels = { ...n.metadata!.labels, watched: value };
  });
};

describe('watch', () => {
  it('starts with synthetic ADDED events when resourceVersion is unset or 0, then streams changes', async () => {
    for (const rv of ['', '&resourceVersion=0']) {
      const w = await watch(sim, `/api/v1/nodes?watch=true${rv}`);
      expect(w.status).toBe(200);
      const initial = [];
      for (let i = 0; i < 12; i++) initial.push(await w.next());
      expect(initial.every((e) => e.type === 'ADDED' && e.object.kind === 'Node')).toBe(true);
      label('node-0004', `v${rv.length}`);
      const e = await w.next();
      expect(e.type).toBe('MODIFIED');
      expect(e.object.metadata?.name).toBe('node-0004');
      expect(Number(e.object.metadata?.resourceVersion)).toBe(Number(sim.cluster.resourceVersion));
      w.close();
    }
  });

  it('resumes from a resourceVersion, replaying only later events', async () => {
    const rv = sim.cluster.resourceVersion;
    label('node-0005', 'a');
    label('node-0006', 'b');
    const w = await watch(sim, `/api/v1/nodes?watch=1&resourceVersion=${rv}`);
    expect((await w.next()).object.metadata?.name).toBe('node-0005');
    expect((await w.next()).object.metadata?.name).toBe('node-0006');
    w.close();
  });

  it('sends ERROR 410 Expired for a resourceVersion older than the history window, and ends', async () => {
    const old = sim.cluster.resourceVersion;
    for (let i = 0; i < 60; i++) label('node-0007', `x${i}`);
    const w = await watch(sim, `/api/v1/nodes?watch=true&resourceVersion=${old}`);
    const e = await w.next();
    expect(e.type).toBe('ERROR');
    expect(e.object).toMatchObject({ kind: 'Status', code: 410, reason: 'Expired' });
    expect(e.object.message).toMatch(/^too old resource version: \d+ \(\d+\)$/);
    await w.ended;
  });

  it('gets 410 after compactHistory for any older resourceVersion', async () => {
    const rv = sim.cluster.resourceVersion;
    label('node-0008', 'c');
    sim.faults.compactHistory();
    const w = await watch(sim, `/api/v1/nodes?watch=true&resourceVersion=${rv}`);
    expect((await w.next()).object.code).toBe(410);
    const fresh = await watch(sim, `/api/v1/nodes?watch=true&resourceVersion=${sim.cluster.resourceVersion}`);
    label('node-0008', 'd');
    expect((await fresh.next()).type).toBe('MODIFIED');
    fresh.close();
  });

  it('sends periodic BOOKMARKs when allowWatchBookmarks=true', async () => {
    const w = await watch(
      sim,
      `/api/v1/nodes?watch=true&allowWatchBookmarks=true&resourceVersion=${sim.cluster.resourceVersion}`,
    );
    const e = await w.next(2_000);
    expect(e.type).toBe('BOOKMARK');
    expect(e.object).toMatchObject({
      kind: 'Node',
      apiVersion: 'v1',
      metadata: { resourceVersion: sim.cluster.resourceVersion },
    });
    w.close();
  });

  it('ends the stream after timeoutSeconds', async () => {
    const w = await watch(
      sim,
      `/api/v1/nodes?watch=true&timeoutSeconds=1&resourceVersion=${sim.cluster.resourceVersion}`,
    );
    const start = Date.now();
    await w.ended;
    expect(Date.now() - start).toBeGreaterThan(800);
  });

  it('supports sendInitialEvents with the initial-events-end bookmark', async () => {
    const w = await watch(
      sim,
      '/api/v1/namespaces/kube-system/pods?watch=true&sendInitialEvents=true&allowWatchBookmarks=true&resourceVersionMatch=NotOlderThan&resourceVersion=',
    );
    const events = await w.until((e) => e.type === 'BOOKMARK');
    const bookmark = events.at(-1)!;
    expect(bookmark.object.metadata?.annotations).toEqual({ 'k8s.io/initial-events-end': 'true' });
    expect(events.length - 1).toBe(sim.cluster.listPods({ namespace: 'kube-system' }).length);
    w.close();
    const invalid = await api(
      sim,
      '/api/v1/pods?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan',
    );
    expect(invalid.status).toBe(422);
  });

  it('turns selector transitions into ADDED and DELETED', async () => {
    const w = await watch(
      sim,
      `/api/v1/nodes?watch=true&labelSelector=team%3Dblue&resourceVersion=${sim.cluster.resourceVersion}`,
    );
    sim.cluster.patchNode('node-0009', (n) => {
      n.metadata!.labels = { ...n.metadata!.labels, team: 'blue' };
    });
    expect(await w.next()).toMatchObject({ type: 'ADDED', object: { metadata: { name: 'node-0009' } } });
    sim.cluster.patchNode('node-0009', (n) => {
      n.metadata!.labels = { ...n.metadata!.labels, extra: '1' };
    });
    expect((await w.next()).type).toBe('MODIFIED');
    sim.cluster.patchNode('node-0009', (n) => {
      n.metadata!.labels = { ...n.metadata!.labels, team: 'red' };
    });
    expect((await w.next()).type).toBe('DELETED');
    w.close();
  });

  it('watches pods on one node with a field selector and sees graceful deletion', async () => {
    const node = sim.cluster.findWorkerNode();
    const pod = sim.cluster
      .listPods({ nodeName: node })
      .find((p) => p.metadata?.ownerReferences?.[0]?.kind === 'ReplicaSet')!;
    const w = await watch(
      sim,
      `/api/v1/pods?watch=true&fieldSelector=spec.nodeName%3D${node}&resourceVersion=${sim.cluster.resourceVersion}`,
    );
    sim.cluster.deletePod(pod.metadata!.namespace!, pod.metadata!.name!);
    const modified = await w.next();
    expect(modified.type).toBe('MODIFIED');
    expect(modified.object.metadata?.deletionTimestamp).toBeTruthy();
    const deleted = await w.until((e) => e.type === 'DELETED');
    expect(deleted.at(-1)!.object.metadata?.name).toBe(pod.metadata!.name);
    w.close();
  });

  it('watches a single object by name, including the legacy /watch/ path', async () => {
    const w = await watch(
      sim,
      `/api/v1/watch/nodes/node-0010?resourceVersion=${sim.cluster.resourceVersion}`,
    );
    label('node-0011', 'other');
    label('node-0010', 'mine');
    expect((await w.next()).object.metadata?.name).toBe('node-0010');
    w.close();
  });

  it('drops, stalls and keeps recording history under faults', async () => {
    const w = await watch(
      sim,
      `/api/v1/nodes?watch=true&allowWatchBookmarks=true&resourceVersion=${sim.cluster.resourceVersion}`,
    );
    await w.until((e) => e.type === 'BOOKMARK');
    sim.faults.stallWatches(true);
    const stalledAt = sim.cluster.resourceVersion;
    label('node-0012', 'stalled');
    await expect(w.next(400)).rejects.toThrow('no watch event');
    sim.faults.stallWatches(false);
    // The missed event is still in history for a resume.
    const resumed = await watch(sim, `/api/v1/nodes?watch=true&resourceVersion=${stalledAt}`);
    expect((await resumed.next()).object.metadata?.name).toBe('node-0012');
    expect(sim.openWatches('nodes')).toBeGreaterThanOrEqual(2);
    sim.faults.dropWatches();
    await Promise.all([w.ended, resumed.ended]);
    expect(sim.openWatches()).toBe(0);
  });

  it('streams Table rows when kubectl get --watch asks for them', async () => {
    const w = await watch(sim, `/api/v1/nodes?watch=true&resourceVersion=${sim.cluster.resourceVersion}`, {
      accept: 'application/json;as=Table;v=v1;g=meta.k8s.io',
    });
    label('node-0003', 'table');
    const e = await w.next();
    expect(e.object.kind).toBe('Table');
    expect((e.object.rows as Array<{ cells: unknown[] }>)[0]!.cells[0]).toBe('node-0003');
    w.close();
  });

  it('list resourceVersion + watch sees every later change exactly once', async () => {
    const list = await api<ListBody>(sim, '/api/v1/namespaces/search/pods');
    const w = await watch(
      sim,
      `/api/v1/namespaces/search/pods?watch=true&resourceVersion=${list.body.metadata.resourceVersion}`,
    );
    sim.cluster.createPod({
      metadata: { name: 'watch-me', namespace: 'search' },
      spec: { containers: [{ name: 'c', image: 'busybox:1' }] },
    });
    const added = await w.next();
    expect(added).toMatchObject({ type: 'ADDED', object: { metadata: { name: 'watch-me' } } });
    w.close();
    sim.cluster.deletePod('search', 'watch-me', { force: true });
  });
});
