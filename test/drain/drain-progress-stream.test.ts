import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { DrainJobStore } from '../../src/drain/drain-job-store.js';
import { drainProgressStream } from '../../src/drain/drain-progress-stream.js';
import { nodeLeaseKey } from '../../src/drain/node-lock.js';
import { event, job } from './drain-job-store-contract.js';
import { collect, memoryBackend } from './drain-service-fixture.js';

async function runningJob() {
  const backend = memoryBackend();
  const j = job('n1');
  await backend.store.createUnlessActive(j);
  const lease = { key: nodeLeaseKey('c1', 'n1'), token: randomUUID() };
  await backend.lock.acquire(lease.key, lease.token, 10_000);
  j.state = 'RUNNING';
  await backend.store.commit(j, [event('JOB_STARTED'), event('NODE_CORDONED')], lease);
  return { ...backend, j, lease };
}

describe('drainProgressStream', () => {
  it('starts with a snapshot at the latest sequence, then only newer events', async () => {
    const { store, j, lease } = await runningJob();
    const stream = drainProgressStream(store, j.id, { queueLimit: 100 });
    const first = await stream.next();
    expect(first.value).toMatchObject({ kind: 'JOB_SNAPSHOT', sequence: 2, state: 'RUNNING' });
    expect(first.value?.snapshot?.id).toBe(j.id);
    await store.commit(j, [event('PODS_PLANNED')], lease);
    j.state = 'SUCCEEDED';
    await store.commit(j, [event('JOB_SUCCEEDED')], lease);
    const rest = await collect(stream);
    expect(rest.map((e) => [e.sequence, e.kind])).toEqual([
      [3, 'PODS_PLANNED'],
      [4, 'JOB_SUCCEEDED'],
    ]);
  });

  it('fills a gap in the live stream from the event log', async () => {
    const { store, j, lease } = await runningJob();
    // A transport that loses sequence 4 (as Redis pub/sub does across a reconnect).
    const lossy: DrainJobStore = Object.assign(Object.create(store) as DrainJobStore, {
      subscribeEvents: (id: string, handlers: Parameters<DrainJobStore['subscribeEvents']>[1]) =>
        store.subscribeEvents(id, { ...handlers, event: (e) => e.sequence !== 4 && handlers.event(e) }),
    });
    const stream = drainProgressStream(lossy, j.id, { queueLimit: 100 });
    await stream.next();
    await store.commit(j, [event('PODS_PLANNED'), event('POD_EVICTING'), event('POD_EVICTED')], lease);
    j.state = 'SUCCEEDED';
    await store.commit(j, [event('JOB_SUCCEEDED')], lease);
    expect((await collect(stream)).map((e) => e.sequence)).toEqual([3, 4, 5, 6]);
  });

  it('ends with the transport error when the live stream breaks', async () => {
    const { store, j } = await runningJob();
    let fail: (err: Error) => void = () => {};
    const broken: DrainJobStore = Object.assign(Object.create(store) as DrainJobStore, {
      subscribeEvents: async (_id: string, handlers: Parameters<DrainJobStore['subscribeEvents']>[1]) => {
        fail = handlers.error;
        return async () => {};
      },
    });
    const stream = drainProgressStream(broken, j.id, { queueLimit: 100 });
    await stream.next();
    const next = stream.next();
    fail(new Error('Redis is unreachable'));
    await expect(next).rejects.toThrow('Redis is unreachable');
  });
});
