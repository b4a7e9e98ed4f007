import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type BulkDrainEventRecord,
  type BulkDrainJob,
  type BulkDrainNode,
  isTerminalBulkState,
} from '../../src/drain/bulk-drain-job.js';
import { DEFAULT_DRAIN_OPTIONS } from '../../src/drain/drain-options.js';
import type { DrainService } from '../../src/drain/drain-service.js';
import { bulkLeaseKey } from '../../src/drain/node-lock.js';
import { waitFor } from '../support/wait-for.js';
import { peakDraining } from './bulk-drain-e2e-support.js';
import { drainService, memoryBackend } from './drain-service-fixture.js';
import { FakeDrainApi, pod, tooManyRequests } from './fake-drain-api.js';

const services: DrainService[] = [];
afterEach(async () => {
  await Promise.all(services.splice(0).map((s) => s.stop()));
});

type Backend = ReturnType<typeof memoryBackend>;

/**
 * A replica on the shared backend, not started: tests scan for orphans themselves unless told.
 * Its own leases last 2 s, so that on a loaded machine no live runner loses one (nobody would
 * take its node drain over); the dead coordinator's lease in orphanedBulk is short.
 */
function replica(backend: Backend, api: FakeDrainApi, replicaId: string, handOverOnShutdown = false) {
  const { service } = drainService(backend, api, { replicaId, handOverOnShutdown, leaseMs: 2000 });
  services.push(service);
  return service;
}

/**
 * A cluster of `count` nodes, one pod each; `web-1` (on node-1) is refused eviction (PDB) until
 * `release()`, so node-1's drain stays active as long as a test needs.
 */
function blockedCluster(count: number) {
  const names = Array.from({ length: count }, (_, i) => `node-${i + 1}`);
  const api = new FakeDrainApi(names);
  for (const [i, node] of names.entries()) api.addPods(pod(`web-${i + 1}`, { node }));
  let blocked = true;
  api.evictionRule = (p) => (blocked && p.metadata.name === 'web-1' ? tooManyRequests() : undefined);
  return { api, names, release: () => (blocked = false) };
}

const record = (
  kind: BulkDrainEventRecord['kind'],
  node: string | null = null,
  nodeState: BulkDrainNode['state'] | null = null,
): BulkDrainEventRecord => ({
  kind,
  at: new Date().toISOString(),
  node,
  nodeState,
  drainEvent: null,
  message: null,
  state: 'RUNNING',
});

/**
 * The stored state a coordinator leaves when it dies (kill -9) while `node-1` drains (its drain
 * job `nodeJobId`, `forwarded` of whose events are in the bulk log) and the rest wait: RUNNING,
 * its lease about to lapse unrenewed.
 */
async function orphanedBulk(
  backend: Backend,
  names: readonly string[],
  nodeJobId: string,
  {
    maxConcurrent = 1,
    forwarded = 0,
    unrecorded = false,
  }: { maxConcurrent?: number; forwarded?: number; unrecorded?: boolean } = {},
): Promise<BulkDrainJob> {
  const at = new Date().toISOString();
  // unrecorded: it died after starting node-1's drain, before storing that: node-1 is still QUEUED.
  const draining = (i: number) => i === 0 && !unrecorded;
  const nodes: BulkDrainNode[] = names.map((name, i) => ({
    name,
    state: draining(i) ? 'DRAINING' : 'QUEUED',
    jobId: draining(i) ? nodeJobId : null,
    errorCode: null,
    message: null,
    updatedAt: at,
    ...(i === 0 ? { forwardedSequence: forwarded } : {}),
  }));
  const job: BulkDrainJob = {
    id: randomUUID(),
    cluster: 'c1',
    options: DEFAULT_DRAIN_OPTIONS,
    maxConcurrent,
    stopOnFailure: true,
    state: 'RUNNING',
    nodes,
    requestedBy: null,
    runner: 'replica-dead',
    createdAt: at,
    startedAt: at,
    finishedAt: null,
    updatedAt: at,
    error: null,
  };
  const deadLease = { key: bulkLeaseKey(job.id), token: 'dead-token' };
  await backend.lock.acquire(deadLease.key, deadLease.token, 150);
  await backend.bulkStore.create(job);
  await backend.bulkStore.commit(
    job,
    [record('BULK_STARTED'), record('NODE_STATE', names[0] ?? null, 'DRAINING')],
    deadLease,
    1,
  );
  return job;
}

async function leaseLapsed(backend: Backend, id: string): Promise<void> {
  await waitFor(async () => (await backend.lock.holder(bulkLeaseKey(id))) === null, {
    what: 'the dead coordinator lease to lapse',
  });
}

async function bulkFinished(service: DrainService, id: string): Promise<BulkDrainJob> {
  return waitFor(
    async () => {
      const job = await service.bulk.get(id);
      return job && isTerminalBulkState(job.state) ? job : undefined;
    },
    { what: `bulk drain ${id} to finish` },
  );
}

/** The node drain job running node-1, on a live replica, blocked on web-1's budget. */
async function blockedNodeJob(runner: DrainService, api: FakeDrainApi): Promise<string> {
  const job = await runner.startDrain('c1', 'node-1', DEFAULT_DRAIN_OPTIONS);
  await waitFor(() => api.callsOf('evict default/web-1').length >= 1, { what: 'web-1 to be blocked' });
  return job.id;
}

/**
 * A coordinator died after node-1's drain (started for the bulk `bulkIdOf` names) began and
 * before it recorded it; that drain ends, then another replica takes the bulk over.
 */
async function takeoverAfterUnrecordedDrain(bulkIdOf: (orphan: BulkDrainJob) => string) {
  const backend = memoryBackend();
  const { api, names, release } = blockedCluster(2);
  const runner = replica(backend, api, 'runner');
  const orphan = await orphanedBulk(backend, names, '', { unrecorded: true });
  const started = await runner.startDrain('c1', 'node-1', DEFAULT_DRAIN_OPTIONS, null, bulkIdOf(orphan));
  release();
  await waitFor(async () => (await backend.store.get(started.id))?.job.state === 'SUCCEEDED', {
    what: "node-1's drain to end",
  });
  const b = replica(backend, api, 'replica-b');
  await leaseLapsed(backend, orphan.id);
  expect(await b.bulk.scanForOrphans()).toBe(1);
  return { backend, names, started, done: await bulkFinished(b, orphan.id) };
}

/** A bulk drain of `names` in c1, one node at a time, stopping at the first failure. */
function startBulk(service: DrainService, names: readonly string[]) {
  return service.bulk.start({
    cluster: 'c1',
    nodes: names.map((name) => ({ name })),
    options: DEFAULT_DRAIN_OPTIONS,
    maxConcurrent: 1,
    stopOnFailure: true,
    requestedBy: null,
  });
}

describe('bulk drain takeover', () => {
  it('resumes a dead coordinator: follows the DRAINING node’s job (no second drain), then the queued nodes', async () => {
    const backend = memoryBackend();
    const { api, names, release } = blockedCluster(3);
    const runner = replica(backend, api, 'runner');
    const nodeJobId = await blockedNodeJob(runner, api);
    const forwarded = 2;
    const orphan = await orphanedBulk(backend, names, nodeJobId, { forwarded });
    const { service: b, metrics } = drainService(backend, api, { replicaId: 'replica-b', leaseMs: 2000 });
    services.push(b);

    expect(await b.bulk.scanForOrphans()).toBe(0); // the dead coordinator's lease is still alive
    await leaseLapsed(backend, orphan.id);
    expect(await b.bulk.scanForOrphans()).toBe(1);
    await waitFor(
      async () =>
        (await backend.bulkStore.readEvents(orphan.id, 0, 100)).some((e) => e.kind === 'BULK_TAKEN_OVER'),
      { what: 'the takeover event' },
    );
    // node-1 holds the only slot: node-2 must not start while it drains.
    expect(api.callsOf('patch node-2')).toEqual([]);
    release();

    const done = await bulkFinished(b, orphan.id);
    expect(done).toMatchObject({ state: 'SUCCEEDED', runner: 'replica-b' });
    expect(done.nodes.map((n) => n.state)).toEqual(['DRAINED', 'DRAINED', 'DRAINED']);
    expect(done.nodes[0]?.jobId).toBe(nodeJobId);
    for (const node of names) expect(await backend.store.list({ node, limit: 10 })).toHaveLength(1);
    expect(api.pods.size).toBe(0);

    const events = await backend.bulkStore.readEvents(orphan.id, 0, 1000);
    expect(events.slice(0, 3).map((e) => e.kind)).toEqual(['BULK_STARTED', 'NODE_STATE', 'BULK_TAKEN_OVER']);
    expect(events[2]?.message).toMatch(/replica-b took over from replica-dead/);
    const counted = await metrics.registry.getSingleMetric('gateway_bulk_drain_takeovers_total')?.get();
    expect(counted?.values[0]?.value).toBe(1);
    expect(events.at(-1)?.kind).toBe('BULK_SUCCEEDED');
    expect(peakDraining(events, ['node-1'])).toBe(1);
    // node-1's drain events are copied on from where the dead coordinator left off, each once.
    const copied = events
      .filter((e) => e.node === 'node-1' && e.drainEvent)
      .map((e) => e.drainEvent!.sequence);
    const last = (await backend.store.get(nodeJobId))!.lastSequence;
    expect(copied).toEqual(Array.from({ length: last - forwarded }, (_, i) => forwarded + 1 + i));
  });

  it('settles a DRAINING node whose drain ended while nobody coordinated from that job, without draining it again', async () => {
    const backend = memoryBackend();
    const { api, names, release } = blockedCluster(2);
    const runner = replica(backend, api, 'runner');
    const nodeJobId = await blockedNodeJob(runner, api);
    const orphan = await orphanedBulk(backend, names, nodeJobId);
    release();
    await waitFor(async () => (await backend.store.get(nodeJobId))?.job.state === 'SUCCEEDED', {
      what: "node-1's drain to end",
    });
    const patchesBefore = api.callsOf('patch node-1').length;
    const b = replica(backend, api, 'replica-b');
    await leaseLapsed(backend, orphan.id);
    expect(await b.bulk.scanForOrphans()).toBe(1);

    const done = await bulkFinished(b, orphan.id);
    expect(done.state).toBe('SUCCEEDED');
    expect(done.nodes.map((n) => [n.state, n.jobId === nodeJobId])).toEqual([
      ['DRAINED', true],
      ['DRAINED', false],
    ]);
    expect(await backend.store.list({ node: 'node-1', limit: 10 })).toHaveLength(1);
    expect(api.callsOf('patch node-1')).toHaveLength(patchesBefore);
  });

  it('settles a node whose drain the dead coordinator started but never recorded, once that drain has ended', async () => {
    const { backend, names, started, done } = await takeoverAfterUnrecordedDrain((orphan) => orphan.id);
    expect(done.nodes.map((n) => [n.name, n.state])).toEqual([
      ['node-1', 'DRAINED'],
      ['node-2', 'DRAINED'],
    ]);
    expect(done.nodes[0]?.jobId).toBe(started.id);
    // One drain job per node: node-1's was not started a second time.
    for (const node of names) expect(await backend.store.list({ node, limit: 10 })).toHaveLength(1);
  });

  it('a drain of the node by anyone else is not taken for the bulk’s own', async () => {
    const { started, done } = await takeoverAfterUnrecordedDrain(() => randomUUID());
    expect(done.state).toBe('SUCCEEDED');
    expect(done.nodes[0]?.jobId).not.toBe(started.id);
  });

  it('keeps to maxConcurrent after a takeover: the resumed DRAINING node takes one of the slots', async () => {
    const backend = memoryBackend();
    const { api, names, release } = blockedCluster(5);
    api.terminationPolls = 2; // queued nodes' pods take a moment to go, so drains overlap
    const runner = replica(backend, api, 'runner');
    const nodeJobId = await blockedNodeJob(runner, api);
    const orphan = await orphanedBulk(backend, names, nodeJobId, { maxConcurrent: 2 });
    const b = replica(backend, api, 'replica-b');
    await leaseLapsed(backend, orphan.id);
    expect(await b.bulk.scanForOrphans()).toBe(1);

    // The four queued nodes drain one at a time beside node-1, which stays blocked.
    await waitFor(
      async () => {
        const job = await b.bulk.get(orphan.id);
        return job?.nodes.filter((n) => n.state === 'DRAINED').length === 4;
      },
      { what: 'the queued nodes to drain' },
    );
    release();
    const done = await bulkFinished(b, orphan.id);
    expect(done.state).toBe('SUCCEEDED');
    const events = await backend.bulkStore.readEvents(orphan.id, 0, 1000);
    expect(peakDraining(events, ['node-1'])).toBe(2);
    for (const node of names) expect(await backend.store.list({ node, limit: 10 })).toHaveLength(1);
  });

  it('honours a cancel stored before the takeover at once: the DRAINING node is cancelled, queued ones never start', async () => {
    const backend = memoryBackend();
    const { api, names } = blockedCluster(3);
    const runner = replica(backend, api, 'runner');
    const nodeJobId = await blockedNodeJob(runner, api);
    const orphan = await orphanedBulk(backend, names, nodeJobId);
    await backend.bulkStore.requestCancel(orphan.id, {
      ...record('CANCEL_REQUESTED'),
      message: 'cancel requested',
    });
    const b = replica(backend, api, 'replica-b');
    await leaseLapsed(backend, orphan.id);
    expect(await b.bulk.scanForOrphans()).toBe(1);

    const done = await bulkFinished(b, orphan.id);
    expect(done.state).toBe('CANCELLED');
    expect(done.nodes.map((n) => [n.name, n.state, n.jobId])).toEqual([
      ['node-1', 'CANCELLED', nodeJobId],
      ['node-2', 'CANCELLED', null],
      ['node-3', 'CANCELLED', null],
    ]);
    expect((await backend.store.get(nodeJobId))?.job.state).toBe('CANCELLED');
    expect(api.callsOf('patch node-2')).toEqual([]);
    expect(api.callsOf('patch node-3')).toEqual([]);
    const kinds = (await backend.bulkStore.readEvents(orphan.id, 0, 100)).map((e) => e.kind);
    expect(kinds.indexOf('BULK_TAKEN_OVER')).toBeGreaterThan(kinds.indexOf('CANCEL_REQUESTED'));
  });

  it('of two replicas scanning at once, one takes the bulk over', async () => {
    const backend = memoryBackend();
    const { api, names, release } = blockedCluster(2);
    const runner = replica(backend, api, 'runner');
    const nodeJobId = await blockedNodeJob(runner, api);
    const orphan = await orphanedBulk(backend, names, nodeJobId);
    const b = replica(backend, api, 'replica-b');
    const c = replica(backend, api, 'replica-c');
    await leaseLapsed(backend, orphan.id);

    const claims = await Promise.all([b.bulk.scanForOrphans(), c.bulk.scanForOrphans()]);
    expect([...claims].sort()).toEqual([0, 1]);
    // The loser finds it leased on its next scans, too.
    expect(await Promise.all([b.bulk.scanForOrphans(), c.bulk.scanForOrphans()])).toEqual([0, 0]);
    release();
    const done = await bulkFinished(b, orphan.id);
    expect(done.state).toBe('SUCCEEDED');
    expect(done.runner).toBe(claims[0] === 1 ? 'replica-b' : 'replica-c');
    const kinds = (await backend.bulkStore.readEvents(orphan.id, 0, 1000)).map((e) => e.kind);
    expect(kinds.filter((k) => k === 'BULK_TAKEN_OVER')).toHaveLength(1);
    expect(await backend.store.list({ node: 'node-2', limit: 10 })).toHaveLength(1);
  });

  it('a cancel sent to another replica when the coordinator is dead takes the bulk over and returns CANCELLED', async () => {
    const backend = memoryBackend();
    const { api, names } = blockedCluster(3);
    const runner = replica(backend, api, 'runner');
    const nodeJobId = await blockedNodeJob(runner, api);
    const orphan = await orphanedBulk(backend, names, nodeJobId);
    const b = replica(backend, api, 'replica-b');
    await leaseLapsed(backend, orphan.id);

    const cancelled = await b.bulk.cancel(orphan.id);
    expect(cancelled).toMatchObject({ state: 'CANCELLED', runner: 'replica-b' });
    expect(cancelled.nodes.map((n) => n.state)).toEqual(['CANCELLED', 'CANCELLED', 'CANCELLED']);
    expect((await backend.store.get(nodeJobId))?.job.state).toBe('CANCELLED');
    expect(api.callsOf('patch node-2')).toEqual([]);
  });

  it('a shutdown gives the coordinator lease up: another replica takes the bulk over at once', async () => {
    const backend = memoryBackend();
    const { api, names, release } = blockedCluster(2);
    const a = replica(backend, api, 'a', true);
    const b = replica(backend, api, 'b', true);
    const bulk = await startBulk(a, names);
    await waitFor(() => api.callsOf('evict default/web-1').length >= 1, { what: 'web-1 to be blocked' });
    const nodeJobId = (await a.bulk.get(bulk.id))?.nodes[0]?.jobId;
    await a.stop();
    expect(await backend.lock.holder(bulkLeaseKey(bulk.id))).toBeNull();
    expect((await b.bulk.get(bulk.id))?.state).toBe('RUNNING');

    expect(await b.bulk.scanForOrphans()).toBe(1);
    b.start(); // its node drain watcher takes node-1's drain over
    release();
    const done = await bulkFinished(b, bulk.id);
    expect(done).toMatchObject({ state: 'SUCCEEDED', runner: 'b' });
    expect(done.nodes[0]?.jobId).toBe(nodeJobId);
    for (const node of names) expect(await backend.store.list({ node, limit: 10 })).toHaveLength(1);
    const taken = (await backend.bulkStore.readEvents(bulk.id, 0, 1000)).find(
      (e) => e.kind === 'BULK_TAKEN_OVER',
    );
    expect(taken?.message).toMatch(/replica b took over from a/);
  });

  it('a coordinator whose lease was taken stops writing; the new holder finishes the bulk', async () => {
    const backend = memoryBackend();
    const { api, names, release } = blockedCluster(2);
    const a = replica(backend, api, 'a');
    const b = replica(backend, api, 'b');
    const bulk = await startBulk(a, names);
    await waitFor(() => api.callsOf('evict default/web-1').length >= 1, { what: 'web-1 to be blocked' });
    // As if A's renewals had stalled past the lease and B had claimed it meanwhile.
    const key = bulkLeaseKey(bulk.id);
    const token = (await backend.lock.holder(key))!;
    await backend.lock.release({ key, token });
    expect(await b.bulk.scanForOrphans()).toBe(1);
    release();
    const done = await bulkFinished(b, bulk.id);
    expect(done).toMatchObject({ state: 'SUCCEEDED', runner: 'b' });
    const events = await backend.bulkStore.readEvents(bulk.id, 0, 1000);
    const takenAt = events.findIndex((e) => e.kind === 'BULK_TAKEN_OVER');
    // After the takeover, node states are B's alone: one DRAINED per node, one terminal event.
    const after = events
      .slice(takenAt + 1)
      .filter((e) => e.kind === 'NODE_STATE' && e.nodeState === 'DRAINED');
    expect(after.map((e) => e.node).sort()).toEqual(names);
    expect(events.filter((e) => e.kind.startsWith('BULK_S'))).toHaveLength(2); // BULK_STARTED, BULK_SUCCEEDED
  });
});

describe('bulk drain commits', () => {
  it('a commit retried after a timeout although its first try ran records its events once', async () => {
    const backend = memoryBackend();
    const store = backend.bulkStore;
    const commit = store.commit.bind(store);
    let timeouts = 0;
    // As a Redis command that ran but whose answer did not come in time: written, then rejected.
    store.commit = async (...args) => {
      const written = await commit(...args);
      if (timeouts++ < 2) throw new Error('Command timed out');
      return written;
    };
    const { api, names, release } = blockedCluster(2);
    release();
    const service = replica(backend, api, 'a');
    const bulk = await startBulk(service, names);
    expect(await bulkFinished(service, bulk.id)).toMatchObject({ state: 'SUCCEEDED' });
    const events = await store.readEvents(bulk.id, 0, 1000);
    // Every event says something new: its kind, node, state, message or forwarded drain step.
    const seen = events.map((e) => JSON.stringify([e.kind, e.node, e.nodeState, e.message, e.drainEvent]));
    expect(events.filter((e) => e.kind === 'BULK_STARTED')).toHaveLength(1);
    expect(new Set(seen).size).toBe(seen.length);
    expect(events.filter((e) => e.nodeState === 'DRAINED').map((e) => e.node)).toEqual(names);
    expect(timeouts).toBeGreaterThan(2);
  });
});
