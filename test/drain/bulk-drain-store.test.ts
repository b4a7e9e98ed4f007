import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { BulkDrainEventRecord, BulkDrainJob } from '../../src/drain/bulk-drain-job.js';
import { bulkDrainProgressStream } from '../../src/drain/bulk-drain-progress-stream.js';
import type { BulkDrainStore } from '../../src/drain/bulk-drain-store.js';
import { DEFAULT_DRAIN_OPTIONS } from '../../src/drain/drain-options.js';
import { MemoryBulkDrainStore } from '../../src/drain/memory-bulk-drain-store.js';
import { RedisBulkDrainStore } from '../../src/drain/redis-bulk-drain-store.js';
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

async function redisStore(): Promise<BulkDrainStore> {
  const keyPrefix = `kng-test-${randomUUID()}:`;
  const connection = new RedisConnection({ url: REDIS_URL, keyPrefix, logger });
  await connection.start();
  closers.push(async () => {
    await deleteKeys(connection.client, keyPrefix);
    await connection.close();
  });
  return new RedisBulkDrainStore(connection, new RedisPubSub(connection, logger), LIMITS);
}

describe.each([
  ['memory', async (): Promise<BulkDrainStore> => new MemoryBulkDrainStore(new MemoryPubSub(), LIMITS)],
  ['redis', redisStore],
])('%s BulkDrainStore', (_name, makeStore) => {
  it('numbers events, trims the log to maxEvents, and streams a snapshot then the live events to the end', async () => {
    const store = await makeStore();
    const job = bulkJob();
    await store.create(job);
    job.state = 'RUNNING';
    expect(await store.commit(job, [record('BULK_STARTED'), record('NODE_STATE')])).toBe(2);
    const stream = bulkDrainProgressStream(store, job.id, 100);
    const first = await stream.next();
    expect(first.value).toMatchObject({ kind: 'BULK_SNAPSHOT', sequence: 2, snapshot: { state: 'RUNNING' } });
    const cancel = await store.requestCancel(job.id, record('CANCEL_REQUESTED'));
    expect(cancel?.cancelRequested).toBe(true);
    expect(await store.requestCancel(job.id, record('CANCEL_REQUESTED'))).toMatchObject({ lastSequence: 3 });
    job.state = 'CANCELLED';
    await store.commit(job, [record('NODE_STATE', 'CANCELLED'), record('BULK_CANCELLED', 'CANCELLED')]);
    const rest = [];
    for await (const e of stream) rest.push([e.sequence, e.kind]);
    expect(rest).toEqual([
      [3, 'CANCEL_REQUESTED'],
      [4, 'NODE_STATE'],
      [5, 'BULK_CANCELLED'],
    ]);
    await store.commit(job, [record('NODE_STATE', 'CANCELLED')]);
    expect((await store.readEvents(job.id, 0, 100)).map((e) => e.sequence)).toEqual([2, 3, 4, 5, 6]);
    // A finished job's late subscriber gets its snapshot, then how it ended.
    expect(await store.requestCancel(job.id, record('CANCEL_REQUESTED'))).toMatchObject({ lastSequence: 6 });
  });

  it('is empty for an unknown id', async () => {
    const store = await makeStore();
    expect(await store.get(randomUUID())).toBeUndefined();
    expect(await store.requestCancel(randomUUID(), record('CANCEL_REQUESTED'))).toBeUndefined();
    await expect(bulkDrainProgressStream(store, randomUUID(), 10).next()).rejects.toThrow(/no bulk drain/);
  });
});
