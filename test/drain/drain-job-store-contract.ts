import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DrainRequestError } from '../../src/drain/drain-errors.js';
import type { DrainEventRecord, DrainProgressEvent } from '../../src/drain/drain-event.js';
import { type DrainJob, newDrainJob, TERMINAL_DRAIN_STATES } from '../../src/drain/drain-job.js';
import { DrainCommitGapError, type DrainJobStore } from '../../src/drain/drain-job-store.js';
import { DEFAULT_DRAIN_OPTIONS } from '../../src/drain/drain-options.js';
import { type NodeLease, type NodeLock, nodeLeaseKey } from '../../src/drain/node-lock.js';
import { waitFor } from '../support/wait-for.js';

export interface StoreUnderTest {
  store: DrainJobStore;
  lock: NodeLock;
  close(): Promise<void>;
}

/** Store options the factory must apply, so trimming can be tested. */
export const CONTRACT_LIMITS = { retentionMs: 60_000, maxEventsPerJob: 5, maxJobs: 100 };

export function job(node: string, cluster = 'c1', createdAt = new Date()): DrainJob {
  return newDrainJob({ id: randomUUID(), cluster, node, options: DEFAULT_DRAIN_OPTIONS, now: createdAt });
}

export function event(kind: DrainEventRecord['kind'], message: string | null = null): DrainEventRecord {
  return { kind, at: new Date().toISOString(), pod: null, message, state: 'RUNNING' };
}

/** The behaviour every DrainJobStore and NodeLock must have; run against memory and Redis. */
export function describeDrainJobStore(name: string, create: () => Promise<StoreUnderTest>): void {
  describe(`${name} DrainJobStore`, () => {
    let t: StoreUnderTest;
    beforeEach(async () => {
      t = await create();
    });
    afterEach(async () => {
      await t.close();
    });

    async function leaseFor(j: DrainJob): Promise<NodeLease> {
      const lease = { key: nodeLeaseKey(j.cluster, j.node), token: randomUUID() };
      expect(await t.lock.acquire(lease.key, lease.token, 10_000)).toBe(true);
      return lease;
    }

    it('creates one active job per node: a second create returns the first', async () => {
      const first = job('n1');
      expect(await t.store.createUnlessActive(first)).toEqual({ job: first, created: true });
      const second = await t.store.createUnlessActive(job('n1'));
      expect(second).toEqual({ job: first, created: false });
      expect((await t.store.createUnlessActive(job('n2'))).created).toBe(true);
      expect((await t.store.createUnlessActive(job('n1', 'c2'))).created).toBe(true);
      expect((await t.store.activeJobFor('c1', 'n1'))?.id).toBe(first.id);
    });

    it('of many racing creates for one node exactly one wins', async () => {
      const results = await Promise.all(
        Array.from({ length: 10 }, () => t.store.createUnlessActive(job('race'))),
      );
      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect(new Set(results.map((r) => r.job.id)).size).toBe(1);
    });

    it('commits only under the node lease, assigning increasing sequence numbers', async () => {
      const j = job('n1');
      await t.store.createUnlessActive(j);
      const stranger = { key: nodeLeaseKey('c1', 'n1'), token: 'not-the-holder' };
      j.state = 'RUNNING';
      expect(await t.store.commit(j, [event('JOB_STARTED')], stranger)).toBeUndefined();
      expect((await t.store.get(j.id))?.job.state).toBe('PENDING');
      const lease = await leaseFor(j);
      expect(await t.store.commit(j, [event('JOB_STARTED'), event('NODE_CORDONED')], lease)).toBe(2);
      j.phase = 'PLANNING';
      expect(await t.store.commit(j, [event('PODS_PLANNED')], lease)).toBe(3);
      const snapshot = await t.store.get(j.id);
      expect(snapshot).toEqual({ job: j, lastSequence: 3, cancelRequested: false });
      const events = await t.store.readEvents(j.id, 1, 10);
      expect(events.map((e) => [e.sequence, e.kind])).toEqual([
        [2, 'NODE_CORDONED'],
        [3, 'PODS_PLANNED'],
      ]);
      expect(events[0]?.jobId).toBe(j.id);
    });

    it('a terminal commit ends the job being active, so the node can be drained again', async () => {
      const j = job('n1');
      await t.store.createUnlessActive(j);
      const lease = await leaseFor(j);
      expect(await t.store.activeJobIds()).toContain(j.id);
      j.state = 'SUCCEEDED';
      await t.store.commit(j, [event('JOB_SUCCEEDED')], lease);
      expect(await t.store.activeJobFor('c1', 'n1')).toBeUndefined();
      expect(await t.store.activeJobIds()).not.toContain(j.id);
      expect((await t.store.list({ active: true, limit: 10 })).map((x) => x.id)).not.toContain(j.id);
      expect((await t.store.list({ active: false, limit: 10 })).map((x) => x.id)).toContain(j.id);
      expect((await t.store.createUnlessActive(job('n1'))).created).toBe(true);
    });

    it('keeps the bulk drain that started a job: a finished one is found by node, newest first', async () => {
      const bulkId = randomUUID();
      const j = { ...job('n1'), bulkId };
      await t.store.createUnlessActive(j);
      const lease = await leaseFor(j);
      j.state = 'SUCCEEDED';
      await t.store.commit(j, [event('JOB_SUCCEEDED')], lease);
      await t.store.createUnlessActive(job('n1', 'c1', new Date(Date.now() + 1000)));
      const listed = await t.store.list({ cluster: 'c1', node: 'n1', limit: 10 });
      expect(listed.map((x) => x.bulkId ?? null)).toEqual([null, bulkId]);
    });

    it('records a cancel request once, and not for a finished job', async () => {
      const j = job('n1');
      await t.store.createUnlessActive(j);
      const first = await t.store.requestCancel(j.id, event('CANCEL_REQUESTED'));
      expect(first?.cancelRequested).toBe(true);
      await t.store.requestCancel(j.id, event('CANCEL_REQUESTED'));
      expect((await t.store.readEvents(j.id, 0, 10)).map((e) => e.kind)).toEqual(['CANCEL_REQUESTED']);
      expect(await t.store.requestCancel('no-such-job', event('CANCEL_REQUESTED'))).toBeUndefined();

      const done = job('n2');
      await t.store.createUnlessActive(done);
      done.state = 'FAILED';
      await t.store.commit(done, [event('JOB_FAILED')], await leaseFor(done));
      expect((await t.store.requestCancel(done.id, event('CANCEL_REQUESTED')))?.cancelRequested).toBe(false);
    });

    it('publishes committed events to subscribers in order, and stops after unsubscribe', async () => {
      const j = job('n1');
      await t.store.createUnlessActive(j);
      const lease = await leaseFor(j);
      const received: DrainProgressEvent[] = [];
      const unsubscribe = await t.store.subscribeEvents(j.id, {
        event: (e) => received.push(e),
        error: () => {},
      });
      await t.store.commit(j, [event('JOB_STARTED'), event('NODE_CORDONED')], lease);
      await t.store.requestCancel(j.id, event('CANCEL_REQUESTED'));
      await t.store.commit(j, [event('PODS_PLANNED')], lease);
      await waitFor(() => received.length === 4, { what: 'four events' });
      expect(received.map((e) => [e.sequence, e.kind])).toEqual([
        [1, 'JOB_STARTED'],
        [2, 'NODE_CORDONED'],
        [3, 'CANCEL_REQUESTED'],
        [4, 'PODS_PLANNED'],
      ]);
      await unsubscribe();
      await t.store.commit(j, [event('POD_EVICTING')], lease);
      const other: DrainProgressEvent[] = [];
      const unsubscribeOther = await t.store.subscribeEvents(j.id, {
        event: (e) => other.push(e),
        error: () => {},
      });
      await t.store.commit(j, [event('POD_EVICTED')], lease);
      await waitFor(() => other.length === 1, { what: 'the later event' });
      expect(received).toHaveLength(4);
      await unsubscribeOther();
    });

    it.each(TERMINAL_DRAIN_STATES)('refuses a cancel request for a %s job', async (state) => {
      const done = job('n1');
      await t.store.createUnlessActive(done);
      done.state = state;
      await t.store.commit(done, [event(`JOB_${state}`)], await leaseFor(done));
      expect((await t.store.requestCancel(done.id, event('CANCEL_REQUESTED')))?.cancelRequested).toBe(false);
      expect((await t.store.readEvents(done.id, 0, 10)).map((e) => e.kind)).toEqual([`JOB_${state}`]);
    });

    it('reads no events when asked for none', async () => {
      const j = job('n1');
      await t.store.createUnlessActive(j);
      const lease = await leaseFor(j);
      await t.store.commit(j, [event('JOB_STARTED'), event('NODE_CORDONED')], lease);
      expect(await t.store.readEvents(j.id, 0, 0)).toEqual([]);
      expect((await t.store.readEvents(j.id, 0, 1)).map((e) => e.kind)).toEqual(['JOB_STARTED']);
    });

    it('keeps the newest maxEventsPerJob events; sequence numbers go on', async () => {
      const j = job('n1');
      await t.store.createUnlessActive(j);
      const lease = await leaseFor(j);
      for (let i = 0; i < 8; i++) await t.store.commit(j, [event('POD_BLOCKED', `retry ${i}`)], lease);
      const kept = await t.store.readEvents(j.id, 0, 100);
      expect(kept.map((e) => e.sequence)).toEqual([4, 5, 6, 7, 8]);
      expect((await t.store.readEvents(j.id, 6, 1)).map((e) => e.sequence)).toEqual([7]);
      expect(await t.store.readEvents(j.id, 8, 10)).toEqual([]);
    });

    it('committing the same numbered batch twice appends it once and publishes it once', async () => {
      const j = job('n1');
      await t.store.createUnlessActive(j);
      const lease = await leaseFor(j);
      const received: DrainProgressEvent[] = [];
      const unsubscribe = await t.store.subscribeEvents(j.id, {
        event: (e) => received.push(e),
        error: () => {},
      });
      const batch = [event('JOB_STARTED'), event('POD_BLOCKED', 'attempt 3: budget')];
      expect(await t.store.commit(j, batch, lease, 1)).toBe(2);
      expect(await t.store.commit(j, batch, lease, 1)).toBe(2);
      // A retry carrying the timed-out batch and what was recorded since appends only the new step.
      expect(await t.store.commit(j, [...batch, event('POD_EVICTED')], lease, 1)).toBe(3);
      expect((await t.store.readEvents(j.id, 0, 10)).map((e) => [e.sequence, e.kind, e.message])).toEqual([
        [1, 'JOB_STARTED', null],
        [2, 'POD_BLOCKED', 'attempt 3: budget'],
        [3, 'POD_EVICTED', null],
      ]);
      await t.store.commit(j, [event('POD_DELETED')], lease, 4);
      await waitFor(() => received.length === 4, { what: 'four events' });
      expect(received.map((e) => e.sequence)).toEqual([1, 2, 3, 4]);
      await unsubscribe();
    });

    it('a late copy of an older commit appends nothing and does not roll the job back', async () => {
      const j = job('n1');
      await t.store.createUnlessActive(j);
      const lease = await leaseFor(j);
      j.state = 'RUNNING';
      const older = structuredClone(j);
      await t.store.commit(j, [event('JOB_STARTED')], lease, 1);
      j.phase = 'EVICTING';
      await t.store.commit(j, [event('JOB_STARTED'), event('POD_EVICTING')], lease, 1);
      expect(await t.store.commit(older, [event('JOB_STARTED')], lease, 1)).toBe(2);
      expect(await t.store.get(j.id)).toMatchObject({ job: { phase: 'EVICTING' }, lastSequence: 2 });
      expect((await t.store.readEvents(j.id, 0, 10)).map((e) => e.kind)).toEqual([
        'JOB_STARTED',
        'POD_EVICTING',
      ]);
    });

    it('refuses a commit that would leave a gap in the steps; a new lease token counts from 1', async () => {
      const j = job('n1');
      await t.store.createUnlessActive(j);
      const lease = await leaseFor(j);
      await t.store.commit(j, [event('JOB_STARTED')], lease, 1);
      await expect(t.store.commit(j, [event('POD_EVICTED')], lease, 3)).rejects.toBeInstanceOf(
        DrainCommitGapError,
      );
      await t.lock.release(lease);
      const next = await leaseFor(j);
      expect(await t.store.commit(j, [event('JOB_TAKEN_OVER')], next, 1)).toBe(2);
      expect(await t.store.readEvents(j.id, 0, 10)).toHaveLength(2);
    });

    it('restores a lost active job with its events, active entry and lease; steps go on', async () => {
      const j = job('n1');
      j.state = 'RUNNING';
      const lease = { key: nodeLeaseKey(j.cluster, j.node), token: randomUUID() };
      const events = [event('POD_BLOCKED', 'a'), event('POD_BLOCKED', 'b')];
      expect(await t.store.restore(j, { events, lastSequence: 7, lastStep: 7 }, lease, 10_000)).toBe(true);
      expect(await t.store.get(j.id)).toEqual({ job: j, lastSequence: 7, cancelRequested: false });
      expect((await t.store.readEvents(j.id, 0, 10)).map((e) => [e.sequence, e.message])).toEqual([
        [6, 'a'],
        [7, 'b'],
      ]);
      expect(await t.lock.holder(lease.key)).toBe(lease.token);
      expect((await t.store.activeJobFor('c1', 'n1'))?.id).toBe(j.id);
      expect(await t.store.activeJobIds()).toContain(j.id);
      expect((await t.store.list({ active: true, limit: 10 })).map((x) => x.id)).toContain(j.id);
      expect(await t.store.commit(j, [event('POD_BLOCKED', 'b'), event('POD_EVICTED')], lease, 7)).toBe(8);
      expect(await t.store.restore(j, { events, lastSequence: 7, lastStep: 7 }, lease, 10_000)).toBe(false);
    });

    it('refuses to restore over another active job of the node, but records the job finished', async () => {
      const other = job('n1');
      await t.store.createUnlessActive(other);
      const lost = job('n1');
      lost.state = 'RUNNING';
      const lease = { key: nodeLeaseKey('c1', 'n1'), token: randomUUID() };
      const recovered = { events: [event('JOB_STARTED')], lastSequence: 1, lastStep: 1 };
      expect(await t.store.restore(lost, recovered, lease, 10_000)).toBe(false);
      expect(await t.store.get(lost.id)).toBeUndefined();
      const held = job('n2');
      held.state = 'RUNNING';
      await leaseFor(held);
      const heldLease = { key: nodeLeaseKey('c1', 'n2'), token: randomUUID() };
      expect(await t.store.restore(held, recovered, heldLease, 10_000)).toBe(false);
      lost.state = 'FAILED';
      const failed = { events: [event('JOB_STARTED'), event('JOB_FAILED')], lastSequence: 2, lastStep: 2 };
      expect(await t.store.restore(lost, failed, lease, 10_000)).toBe(true);
      expect((await t.store.get(lost.id))?.job.state).toBe('FAILED');
      expect((await t.store.activeJobFor('c1', 'n1'))?.id).toBe(other.id);
      expect(await t.lock.holder(lease.key)).toBeNull();
      expect((await t.store.readEvents(lost.id, 0, 10)).map((e) => e.kind)).toEqual([
        'JOB_STARTED',
        'JOB_FAILED',
      ]);
    });

    it('lists newest first, filtered by cluster and node', async () => {
      const base = Date.now();
      const a = job('n1', 'c1', new Date(base - 3000));
      const b = job('n2', 'c1', new Date(base - 2000));
      const c = job('n1', 'c2', new Date(base - 1000));
      for (const j of [a, b, c]) await t.store.createUnlessActive(j);
      expect((await t.store.list({ limit: 10 })).map((j) => j.id)).toEqual([c.id, b.id, a.id]);
      expect((await t.store.list({ cluster: 'c1', limit: 10 })).map((j) => j.id)).toEqual([b.id, a.id]);
      expect((await t.store.list({ node: 'n1', limit: 10 })).map((j) => j.id)).toEqual([c.id, a.id]);
      expect((await t.store.list({ limit: 1 })).map((j) => j.id)).toEqual([c.id]);
      expect(await t.store.get('unknown')).toBeUndefined();
    });

    /** Creates and finishes a job (a dry run ends at once), as `count` distinct nodes. */
    async function finishedJobs(prefix: string, count: number, base: number): Promise<DrainJob[]> {
      const done: DrainJob[] = [];
      for (let i = 0; i < count; i++) {
        const j = job(`${prefix}-${i}`, 'c1', new Date(base + i));
        await t.store.createUnlessActive(j);
        j.state = 'SUCCEEDED';
        await t.store.commit(j, [event('JOB_SUCCEEDED')], await leaseFor(j));
        done.push(j);
      }
      return done;
    }

    it('keeps at most maxJobs jobs by evicting finished ones, oldest first, never an active one', async () => {
      const max = CONTRACT_LIMITS.maxJobs;
      const base = Date.now() - 1_000_000;
      const old = await finishedJobs('old', 10, base);
      const active: DrainJob[] = [];
      for (let i = 0; i < 40; i++) {
        const j = job(`active-${i}`, 'c1', new Date(base + 100 + i));
        expect((await t.store.createUnlessActive(j)).created).toBe(true);
        active.push(j);
      }
      // A flood of short-lived (dry-run) jobs: twice the store's size.
      const flood = await finishedJobs('flood', 2 * max, base + 1000);
      const all = await t.store.list({ limit: 10 * max });
      expect(all.length).toBe(max);
      const listed = new Set(all.map((j) => j.id));
      for (const j of active) expect(listed.has(j.id)).toBe(true);
      for (const j of old) expect(listed.has(j.id)).toBe(false);
      // What is left of the flood is its newest part.
      const kept = flood.filter((j) => listed.has(j.id));
      expect(kept).toEqual(flood.slice(-(max - active.length)));
      expect((await t.store.list({ active: true, limit: 10 * max })).length).toBe(active.length);
      expect((await t.store.activeJobIds()).sort()).toEqual(active.map((j) => j.id).sort());
      for (const j of active) expect((await t.store.get(j.id))?.job.state).toBe('PENDING');
    });

    it('full of active jobs, refuses a new drain with RATE_LIMITED and evicts none', async () => {
      const max = CONTRACT_LIMITS.maxJobs;
      const base = Date.now() - 1_000_000;
      const active: DrainJob[] = [];
      for (let i = 0; i < max; i++) {
        const j = job(`busy-${i}`, 'c1', new Date(base + i));
        await t.store.createUnlessActive(j);
        active.push(j);
      }
      const refused = await t.store.createUnlessActive(job('one-more')).catch((err: unknown) => err);
      expect(refused).toBeInstanceOf(DrainRequestError);
      expect((refused as DrainRequestError).code).toBe('RATE_LIMITED');
      expect(await t.store.activeJobFor('c1', 'one-more')).toBeUndefined();
      // A node that already has its drain still gets that one back.
      const first = active[0] as DrainJob;
      expect(await t.store.createUnlessActive(job(first.node))).toEqual({ job: first, created: false });
      expect((await t.store.list({ active: true, limit: 10 * max })).length).toBe(max);
      // Once one finishes, there is room again (its job is the one evicted).
      first.state = 'SUCCEEDED';
      await t.store.commit(first, [event('JOB_SUCCEEDED')], await leaseFor(first));
      expect((await t.store.createUnlessActive(job('one-more'))).created).toBe(true);
      const listed = new Set((await t.store.list({ limit: 10 * max })).map((j) => j.id));
      expect(listed.size).toBe(max);
      for (const j of active.slice(1)) expect(listed.has(j.id)).toBe(true);
    });
  });

  describe(`${name} NodeLock`, () => {
    let t: StoreUnderTest;
    beforeEach(async () => {
      t = await create();
    });
    afterEach(async () => {
      await t.close();
    });

    it('grants a lease to one holder; only the holder renews or releases it', async () => {
      expect(await t.lock.acquire('k', 'a', 10_000)).toBe(true);
      expect(await t.lock.acquire('k', 'a', 10_000)).toBe(true);
      expect(await t.lock.acquire('k', 'b', 10_000)).toBe(false);
      expect(await t.lock.renew({ key: 'k', token: 'b' }, 10_000)).toBe(false);
      await t.lock.release({ key: 'k', token: 'b' });
      expect(await t.lock.holder('k')).toBe('a');
      expect(await t.lock.renew({ key: 'k', token: 'a' }, 10_000)).toBe(true);
      await t.lock.release({ key: 'k', token: 'a' });
      expect(await t.lock.holder('k')).toBeNull();
      expect(await t.lock.acquire('k', 'b', 10_000)).toBe(true);
    });

    it('a lease nobody renews lapses and can be taken by another', async () => {
      expect(await t.lock.acquire('k', 'a', 60)).toBe(true);
      await waitFor(async () => (await t.lock.holder('k')) === null, { what: 'the lease to lapse' });
      expect(await t.lock.renew({ key: 'k', token: 'a' }, 10_000)).toBe(false);
      expect(await t.lock.acquire('k', 'b', 10_000)).toBe(true);
    });
  });
}
