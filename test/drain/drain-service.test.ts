import { afterEach, describe, expect, it } from 'vitest';
import { DrainRequestError } from '../../src/drain/drain-errors.js';
import { countPods, type DrainJob } from '../../src/drain/drain-job.js';
import { DEFAULT_DRAIN_OPTIONS, type DrainOptions } from '../../src/drain/drain-options.js';
import type { DrainService } from '../../src/drain/drain-service.js';
import { nodeLeaseKey } from '../../src/drain/node-lock.js';
import { waitFor } from '../support/wait-for.js';
import { event, job } from './drain-job-store-contract.js';
import { collect, drainService, memoryBackend } from './drain-service-fixture.js';
import { FakeDrainApi, pod, tooManyRequests } from './fake-drain-api.js';

const services: DrainService[] = [];
afterEach(async () => {
  await Promise.all(services.splice(0).map((s) => s.stop()));
});

function setup(api = new FakeDrainApi()) {
  const backend = memoryBackend();
  const { service, metrics } = drainService(backend, api);
  services.push(service);
  service.start();
  return { api, backend, service, metrics };
}

const options = (o: Partial<DrainOptions> = {}): DrainOptions => ({ ...DEFAULT_DRAIN_OPTIONS, ...o });

async function finished(service: DrainService, id: string): Promise<DrainJob> {
  return waitFor(
    async () => {
      const j = await service.get(id);
      return j && ['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(j.state) ? j : undefined;
    },
    { what: `job ${id} to finish` },
  );
}

describe('DrainService', () => {
  it('returns a PENDING job at once and streams every step in sequence until it ends', async () => {
    const { api, service, metrics } = setup();
    api.daemonSets.add('default/ds');
    api.addPods(pod('web-1'), pod('web-2'), pod('ds-pod', { owner: 'DaemonSet', ownerName: 'ds' }));
    const started = await service.startDrain('c1', 'node-1', options());
    expect(started.state).toBe('PENDING');
    const events = await collect(service.progress(started.id));
    expect(events[0]?.kind).toBe('JOB_SNAPSHOT');
    const sequences = events.slice(1).map((e) => e.sequence);
    expect(sequences).toEqual(sequences.map((_, i) => (events[0]?.sequence ?? 0) + i + 1));
    const kinds = events.map((e) => e.kind);
    expect(kinds.at(-1)).toBe('JOB_SUCCEEDED');
    expect(kinds.filter((k) => k === 'POD_DELETED')).toHaveLength(2);
    expect(kinds).toContain('POD_SKIPPED');
    const done = await service.get(started.id);
    expect(done).toMatchObject({ state: 'SUCCEEDED', phase: 'DONE', runner: 'replica-a', error: null });
    expect(countPods(done!)).toMatchObject({ total: 3, DELETED: 2, SKIPPED: 1 });
    expect(api.nodes.get('node-1')?.unschedulable).toBe(true);
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/gateway_drain_jobs_total\{outcome="succeeded"\} 1/);
    expect(text).toMatch(/gateway_drain_evictions_total\{result="evicted"\} 2/);
  });

  it('a second drain of the same node returns the active job', async () => {
    const { api, service } = setup();
    api.addPods(pod('web'));
    api.evictionRule = () => tooManyRequests();
    const first = await service.startDrain('c1', 'node-1', options());
    const second = await service.startDrain('c1', 'node-1', options({ force: true }));
    expect(second.id).toBe(first.id);
    await service.cancel(first.id);
  });

  it('a subscriber who comes after the end gets the final job, then the terminal event', async () => {
    const { api, service } = setup();
    api.addPods(pod('web'));
    const j = await service.startDrain('c1', 'node-1', options());
    await finished(service, j.id);
    const events = await collect(service.progress(j.id));
    expect(events.map((e) => e.kind)).toEqual(['JOB_SNAPSHOT', 'JOB_SUCCEEDED']);
    expect(events[0]).toMatchObject({ state: 'SUCCEEDED' });
    expect(events[0]?.snapshot?.pods).toHaveLength(1);
    expect(events[1]?.sequence).toBe((events[0]?.sequence ?? 0) + 1);
  });

  it('fails with the pods per reason before any eviction', async () => {
    const { api, service } = setup();
    api.addPods(pod('web'), pod('cache', { emptyDir: true }));
    const j = await service.startDrain('c1', 'node-1', options());
    const done = await finished(service, j.id);
    expect(done.state).toBe('FAILED');
    expect(done.error).toBe(
      'cannot delete Pods with local storage (use deleteEmptyDirData: true to override): default/cache',
    );
    expect(done.pods.find((p) => p.name === 'cache')).toMatchObject({ status: 'FAILED' });
    expect(api.callsOf('evict')).toEqual([]);
  });

  it('cancel stops further evictions, confirms CANCELLED and leaves the node cordoned', async () => {
    const { api, service } = setup();
    api.addPods(pod('blocked'), pod('web'));
    api.evictionRule = (p) => (p.metadata.name === 'blocked' ? tooManyRequests() : undefined);
    const j = await service.startDrain('c1', 'node-1', options());
    await waitFor(() => api.callsOf('evict default/blocked').length >= 2, { what: 'a retried eviction' });
    const cancelled = await service.cancel(j.id);
    const evictionsAtCancel = api.callsOf('evict').length;
    expect(cancelled.state).toBe('CANCELLED');
    expect(cancelled.pods.find((p) => p.name === 'blocked')?.status).toBe('BLOCKED');
    await new Promise((r) => setTimeout(r, 100)); // several retry intervals
    expect(api.callsOf('evict')).toHaveLength(evictionsAtCancel);
    expect(api.nodes.get('node-1')?.unschedulable).toBe(true);
    expect(await service.cancel(j.id)).toMatchObject({ state: 'CANCELLED' });
  });

  it('rejects an unknown cluster, node or job with NOT_FOUND', async () => {
    const { service } = setup();
    await expect(service.startDrain('nope', 'node-1', options())).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(service.startDrain('c1', 'node-9', options())).rejects.toBeInstanceOf(DrainRequestError);
    await expect(service.cancel('missing')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(service.progress('missing').next()).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('a replica takes over a job whose runner stopped renewing its lease, and finishes it', async () => {
    const api = new FakeDrainApi();
    api.addPods(pod('web-1'), pod('web-2'));
    const backend = memoryBackend();
    // A runner on a replica that died: the job is RUNNING, its lease will lapse unrenewed.
    const orphan = job('node-1');
    await backend.store.createUnlessActive(orphan);
    const deadLease = { key: nodeLeaseKey('c1', 'node-1'), token: 'dead-token' };
    await backend.lock.acquire(deadLease.key, deadLease.token, 100);
    Object.assign(orphan, { state: 'RUNNING', runner: 'replica-dead', startedAt: new Date().toISOString() });
    await backend.store.commit(orphan, [event('JOB_STARTED')], deadLease);

    const { service } = drainService(backend, api, { replicaId: 'replica-b' });
    services.push(service);
    expect(await service.scanForOrphans()).toBe(0); // the lease is still alive
    await waitFor(async () => (await backend.lock.holder(deadLease.key)) === null, {
      what: 'the lease to lapse',
    });
    expect(await service.scanForOrphans()).toBe(1);
    const done = await finished(service, orphan.id);
    expect(done).toMatchObject({ state: 'SUCCEEDED', runner: 'replica-b' });
    expect(done.takeovers).toEqual([{ at: expect.any(String), from: 'replica-dead', to: 'replica-b' }]);
    const kinds = (await backend.store.readEvents(orphan.id, 0, 100)).map((e) => e.kind);
    expect(kinds.slice(0, 2)).toEqual(['JOB_STARTED', 'JOB_TAKEN_OVER']);
    expect(api.pods.size).toBe(0);
  });

  it('on shutdown hands a running job over to another replica (shared store)', async () => {
    const api = new FakeDrainApi();
    api.addPods(pod('blocked'));
    let refuse = true;
    api.evictionRule = () => (refuse ? tooManyRequests() : undefined);
    const backend = memoryBackend();
    const a = drainService(backend, api, { replicaId: 'a', handOverOnShutdown: true }).service;
    const b = drainService(backend, api, { replicaId: 'b', handOverOnShutdown: true }).service;
    services.push(b);
    const j = await a.startDrain('c1', 'node-1', options());
    await waitFor(() => api.callsOf('evict').length >= 1, { what: 'the first eviction' });
    await a.stop();
    expect((await backend.store.get(j.id))?.job.state).toBe('RUNNING');
    refuse = false;
    expect(await b.scanForOrphans()).toBe(1);
    expect(await finished(b, j.id)).toMatchObject({
      state: 'SUCCEEDED',
      takeovers: [{ from: 'a', to: 'b' }],
    });
  });

  it('without a shared store, shutdown fails the running job', async () => {
    const { api, service, backend } = setup();
    api.addPods(pod('blocked'));
    api.evictionRule = () => tooManyRequests();
    const j = await service.startDrain('c1', 'node-1', options());
    await waitFor(() => api.callsOf('evict').length >= 1, { what: 'the first eviction' });
    await service.stop();
    expect((await backend.store.get(j.id))?.job).toMatchObject({
      state: 'FAILED',
      error: 'the gateway shut down during the drain; the node stays cordoned',
    });
  });

  it('an unsubscribe while waiting for events releases the subscription at once', async () => {
    const { api, service, backend } = setup();
    api.addPods(pod('blocked'));
    api.evictionRule = () => tooManyRequests();
    const j = await service.startDrain('c1', 'node-1', options());
    const stream = service.progress(j.id);
    await stream.next();
    const subscriptions = backend.pubsub.subscriptionCount;
    const pending = stream.next();
    await stream.return?.();
    await pending;
    expect(backend.pubsub.subscriptionCount).toBe(subscriptions - 1);
    await service.cancel(j.id);
  });
});
