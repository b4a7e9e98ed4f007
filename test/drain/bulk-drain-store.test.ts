import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { BulkDrainEventRecord, BulkDrainJob } from '../../src/drain/bulk-drain-job.js';
import { bulkDrainProgressStream } from '../../src/drain/bulk-drain-progress-stream.js';
import type { BulkDrainStore } from '../../src/drain/bulk-drain-store.js';
import { DEFAULT_DRAIN_OPTIONS } from '../../src/drain/drain-options.js';
import { MemoryBulkDrainStore } from '../../src/drain/memory-bulk-drain-store.js';
import { MemoryNodeLock } from '../../src/drain/memory-node-lock.js';
import { bulkLeaseKey, type NodeLease, type NodeLock } from '../../src/drain/node-lock.js';
import { RedisBulkDrainStore } from '../../src/drain/redis-bulk-drain-store.js';
import { RedisNodeLock } from '../../src/drain/redis-node-lock.js';
import { MemoryPubSub } from '../../src/events/memory-pubsub.js';
import { RedisConnection } from '../../src/events/redis-connection.js';
import { RedisPubSub } from '../../src/events/redis-pubsub.js';
import { createLogger } from '../../src/platform/logger.js';
import { deleteKeys, REDIS_URL } from '../events/redis-test-keys.js';

const logger = createLogger('silent');
const LIMITS = { retentionMs: 60_000, maxEvents: 5, maxJobs: 3 };

function bulkJob(): BulkDrainJob {
  const at = new Date().toISOString();
  return {
    id: randomUUID(),
    cluster: 'sim',
    options: DEFAULT_DRAIN_OPTIONS,
    maxConcurrent: 2,
    stopOnFailure: true,
    state: 'PENDING',
    nodes: [{ name: 'node-1', state: 'QUEUED', jobId: null, errorCode: null, message: null, updatedAt: at }],
    requestedBy: null,
    runner: null,
    createdAt: at,
    startedAt: null,
    finishedAt: null,
    updatedAt: at,
    error: null,
  };
}

const record = (
  kind: BulkDrainEventRecord['kind'],
  state: BulkDrainJob['state'] = 'RUNNING',
): BulkDrainEventRecord => ({
  kind,
  at: new Date().toISOString(),
  node: null,
  nodeState: null,
  drainEvent: null,
  message: null,
  state,
});

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

interface Backend {
  store: BulkDrainStore;
  lock: NodeLock;
}

/** Creates the job and takes its coordinator lease, as BulkDrainService.start does. */
async function created(backend: Backend, job = bulkJob()): Promise<{ job: BulkDrainJob; lease: NodeLease }> {
  const lease = { key: bulkLeaseKey(job.id), token: randomUUID() };
  expect(await backend.lock.acquire(lease.key, lease.token, 60_000)).toBe(true);
  await backend.store.create(job);
  return { job, lease };
}

async function memoryStore(): Promise<Backend> {
  const lock = new MemoryNodeLock();
  return { store: new MemoryBulkDrainStore(lock, new MemoryPubSub(), LIMITS), lock };
}

async function redisStore(): Promise<Backend> {
  const keyPrefix = `kng-test-${randomUUID()}:`;
  const connection = new RedisConnection({ url: REDIS_URL, keyPrefix, logger });
  await connection.start();
  closers.push(async () => {
    await deleteKeys(connection.client, keyPrefix);
    await connection.close();
  });
  const lock = new RedisNodeLock(connection);
  return {
    store: new RedisBulkDrainStore(connection, new RedisPubSub(connection, logger), lock, LIMITS),
    lock,
  };
}

describe.each([
  ['memory', memoryStore],
  ['redis', redisStore],
])('%s BulkDrainStore', (_name, makeBackend) => {
  it('numbers events, trims the log to maxEvents, and streams a snapshot then the live events to the end', async () => {
    const backend = await makeBackend();
    const { store } = backend;
    const { job, lease } = await created(backend);
    job.state = 'RUNNING';
    expect(await store.commit(job, [record('BULK_STARTED'), record('NODE_STATE')], lease, 1)).toBe(2);
    const stream = bulkDrainProgressStream(store, job.id, 100);
    const first = await stream.next();
    expect(first.value).toMatchObject({ kind: 'BULK_SNAPSHOT', sequence: 2, snapshot: { state: 'RUNNING' } });
    const cancel = await store.requestCancel(job.id, record('CANCEL_REQUESTED'));
    expect(cancel?.cancelRequested).toBe(true);
    expect(await store.requestCancel(job.id, record('CANCEL_REQUESTED'))).toMatchObject({ lastSequence: 3 });
    job.state = 'CANCELLED';
    await store.commit(
      job,
      [record('NODE_STATE', 'CANCELLED'), record('BULK_CANCELLED', 'CANCELLED')],
      lease,
      3,
    );
    const rest = [];
    for await (const e of stream) rest.push([e.sequence, e.kind]);
    expect(rest).toEqual([
      [3, 'CANCEL_REQUESTED'],
      [4, 'NODE_STATE'],
      [5, 'BULK_CANCELLED'],
    ]);
    await store.commit(job, [record('NODE_STATE', 'CANCELLED')], lease, 5);
    expect((await store.readEvents(job.id, 0, 100)).map((e) => e.sequence)).toEqual([2, 3, 4, 5, 6]);
    // A finished job's late subscriber gets its snapshot, then how it ended.
    expect(await store.requestCancel(job.id, record('CANCEL_REQUESTED'))).toMatchObject({ lastSequence: 6 });
  });

  it('lists unfinished jobs as active until a terminal commit', async () => {
    const backend = await makeBackend();
    const { job, lease } = await created(backend);
    const other = await created(backend);
    expect((await backend.store.activeJobIds()).sort()).toEqual([job.id, other.job.id].sort());
    job.state = 'SUCCEEDED';
    await backend.store.commit(job, [record('BULK_SUCCEEDED', 'SUCCEEDED')], lease, 1);
    expect(await backend.store.activeJobIds()).toEqual([other.job.id]);
  });

  it('refuses a commit whose token does not hold the coordinator lease, writing nothing', async () => {
    const backend = await makeBackend();
    const { job, lease } = await created(backend);
    job.state = 'RUNNING';
    const stranger = { key: lease.key, token: 'not-the-holder' };
    expect(await backend.store.commit(job, [record('BULK_STARTED')], stranger, 1)).toBeUndefined();
    expect(await backend.store.get(job.id)).toMatchObject({ lastSequence: 0, job: { state: 'PENDING' } });
    await backend.lock.release(lease);
    expect(await backend.store.commit(job, [record('BULK_STARTED')], lease, 1)).toBeUndefined();
    expect(await backend.store.readEvents(job.id, 0, 10)).toEqual([]);
  });

  it('stores a retried commit once, and a new coordinator’s steps afresh', async () => {
    const backend = await makeBackend();
    const { job, lease } = await created(backend);
    job.state = 'RUNNING';
    const batch = [record('BULK_STARTED'), record('NODE_STATE')];
    expect(await backend.store.commit(job, batch, lease, 1)).toBe(2);
    // The first try ran, its answer timed out: the retry carries the same steps.
    expect(await backend.store.commit(job, batch, lease, 1)).toBe(2);
    // Overlapping: the known step is skipped, the new one appended.
    expect(
      await backend.store.commit(job, [record('NODE_STATE'), record('NODE_STATE', 'RUNNING')], lease, 2),
    ).toBe(3);
    // Steps given up on (a gap) do not hold the next batch back.
    expect(await backend.store.commit(job, [record('NODE_STATE')], lease, 9)).toBe(4);
    // Another coordinator (a takeover) numbers its own steps from 1.
    await backend.lock.release(lease);
    const next = { key: lease.key, token: randomUUID() };
    expect(await backend.lock.acquire(next.key, next.token, 60_000)).toBe(true);
    expect(await backend.store.commit(job, [record('BULK_TAKEN_OVER')], next, 1)).toBe(5);
    expect((await backend.store.readEvents(job.id, 0, 100)).map((e) => [e.sequence, e.kind])).toEqual([
      [1, 'BULK_STARTED'],
      [2, 'NODE_STATE'],
      [3, 'NODE_STATE'],
      [4, 'NODE_STATE'],
      [5, 'BULK_TAKEN_OVER'],
    ]);
  });

  it('is empty for an unknown id', async () => {
    const { store } = await makeBackend();
    expect(await store.get(randomUUID())).toBeUndefined();
    expect(await store.requestCancel(randomUUID(), record('CANCEL_REQUESTED'))).toBeUndefined();
    await expect(bulkDrainProgressStream(store, randomUUID(), 10).next()).rejects.toThrow(/no bulk drain/);
  });
});
