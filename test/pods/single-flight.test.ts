import { describe, expect, it } from 'vitest';
import { type SharedHow, SingleFlight } from '../../src/pods/single-flight.js';

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

function flight(maxAgeMs: number, clock = { now: 0 }) {
  const served: SharedHow[] = [];
  const sf = new SingleFlight<number>({
    maxAgeMs,
    now: () => clock.now,
    onServe: (_k, how) => served.push(how),
  });
  return { sf, served, clock };
}

describe('SingleFlight', () => {
  it('concurrent callers of one key share one call', async () => {
    const { sf, served } = flight(0);
    const gate = deferred<number>();
    let calls = 0;
    const fn = () => {
      calls++;
      return gate.promise;
    };
    const all = Promise.all([sf.run('a', fn), sf.run('a', fn), sf.run('a', fn)]);
    gate.resolve(7);
    expect(await all).toEqual([7, 7, 7]);
    expect(calls).toBe(1);
    expect(served).toEqual(['led', 'joined', 'joined']);
  });

  it('different keys run separately', async () => {
    const { sf } = flight(0);
    let calls = 0;
    const results = await Promise.all(['a', 'b'].map((k) => sf.run(k, async () => ++calls)));
    expect(results.sort()).toEqual([1, 2]);
  });

  it('with max age 0 a later caller starts a fresh call', async () => {
    const { sf } = flight(0);
    let calls = 0;
    await sf.run('a', async () => ++calls);
    expect(await sf.run('a', async () => ++calls)).toBe(2);
  });

  it('reuses a success until max age, counted from when its call started', async () => {
    const { sf, served, clock } = flight(1000);
    let calls = 0;
    const gate = deferred<void>();
    const first = sf.run('a', async () => {
      await gate.promise;
      return ++calls;
    });
    clock.now = 600; // the call takes 600 ms
    gate.resolve();
    expect(await first).toBe(1);
    clock.now = 999;
    expect(await sf.run('a', async () => ++calls)).toBe(1);
    clock.now = 1000;
    expect(await sf.run('a', async () => ++calls)).toBe(2);
    expect(served).toEqual(['led', 'reused', 'led']);
  });

  it('shares a failure with the callers that joined, then keeps nothing', async () => {
    const { sf } = flight(10_000);
    const gate = deferred<number>();
    const a = sf.run('a', () => gate.promise);
    const b = sf.run('a', () => Promise.resolve(99));
    gate.reject(new Error('boom'));
    await expect(a).rejects.toThrow('boom');
    await expect(b).rejects.toThrow('boom');
    expect(await sf.run('a', async () => 5)).toBe(5);
  });

  it('a call forgotten while running answers its callers but is not kept', async () => {
    const { sf } = flight(10_000);
    const gate = deferred<number>();
    const a = sf.run('a', () => gate.promise);
    sf.forget('a');
    const b = sf.run('a', async () => 2);
    gate.resolve(1);
    expect(await a).toBe(1);
    expect(await b).toBe(2);
    expect(await sf.run('a', async () => 3)).toBe(2);
  });
});
