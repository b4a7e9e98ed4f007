import { type ExecutionResult, GraphQLError } from 'graphql';
import { getSSEProcessor } from 'graphql-yoga';
import { describe, expect, it } from 'vitest';
import { GroupPayload, type SseValue } from '../../../src/server/fanout/group-payload.js';
import { SliceScheduler } from '../../../src/server/fanout/slice-scheduler.js';
import { SseMemberWriter } from '../../../src/server/fanout/sse-member-writer.js';
import { SubscriberGroup } from '../../../src/server/fanout/subscriber-group.js';
import { waitFor } from '../../support/wait-for.js';
import { event, source } from './group-test-support.js';

/** What yoga's own SSE processor writes for a stream of these values, whole. */
async function yogaStream(values: readonly (ExecutionResult | SseValue)[]): Promise<string> {
  async function* stream() {
    yield* values;
  }
  const fetchAPI = { Response, ReadableStream, TextEncoder } as unknown as Parameters<
    ReturnType<typeof getSSEProcessor>
  >[1];
  const response = await getSSEProcessor()(stream(), fetchAPI, 'text/event-stream');
  return response.text();
}

const located = (message: string, code: string) =>
  new GraphQLError(message, {
    path: ['nodeChanged'],
    extensions: { code, http: { status: 403 } },
    originalError: new GraphQLError(message, { extensions: { code } }),
  });

describe('GroupPayload.sseValue', () => {
  it.each<[string, ExecutionResult]>([
    ['data alone', { data: { nodeChanged: { name: 'n1', labels: [{ key: 'é', value: '"q"' }] } } }],
    ['an error', { errors: [located('forbidden', 'FORBIDDEN')], data: null }],
    [
      'data and an error',
      { data: { nodeChanged: null }, errors: [located('too slow', 'SUBSCRIBER_TOO_SLOW')] },
    ],
    [
      'extensions',
      { data: { nodeChanged: { name: 'n1' } }, extensions: { stale: [], http: { status: 200 } } },
    ],
  ])('gives yoga what makes the bytes of the result itself (%s)', async (_, result) => {
    const payload = new GroupPayload(result);
    expect(await yogaStream([payload.sseValue])).toBe(await yogaStream([result]));
  });

  it('carries the one shared JSON for a result of data alone', () => {
    const payload = new GroupPayload({ data: { nodeChanged: { name: 'n1' } } });
    expect(payload.sseValue).toBe(payload.sseValue);
    expect(payload.sseValue.stringify?.(payload.sseValue)).toBe(payload.json);
    expect(payload.json).toBe('{"data":{"nodeChanged":{"name":"n1"}}}');
  });
});

describe('SseMemberWriter', () => {
  const payload = (name: string) => new GroupPayload({ data: { nodeChanged: { name } } });

  it('keeps what is written, in order, until taken, counting its bytes', () => {
    const writer = new SseMemberWriter();
    const [a, b] = [payload('a'), payload('b')];
    writer.write(a);
    writer.write(b);
    expect(writer.bufferedBytes).toBe(a.json.length + b.json.length);
    expect(writer.take()).toBe(a.sseValue);
    expect(writer.bufferedBytes).toBe(b.json.length);
    expect(writer.take()).toBe(b.sseValue);
    expect(writer.take()).toBeUndefined();
    expect(writer.bufferedBytes).toBe(0);
  });

  it('takes thousands in order (the front is dropped in batches)', () => {
    const writer = new SseMemberWriter();
    const written = Array.from({ length: 5000 }, (_, i) => payload(`n${i}`));
    for (const p of written.slice(0, 3000)) writer.write(p);
    const taken: unknown[] = [];
    for (let i = 0; i < 2000; i++) taken.push(writer.take());
    for (const p of written.slice(3000)) writer.write(p);
    for (let v = writer.take(); v !== undefined; v = writer.take()) taken.push(v);
    expect(taken).toEqual(written.map((p) => p.sseValue));
    expect(writer.bufferedBytes).toBe(0);
  });

  it('is writable again once taking brings it to the low-water mark', async () => {
    const writer = new SseMemberWriter();
    for (let i = 0; i < 10; i++) writer.write(payload(`n${i}`));
    const size = payload('n0').json.length;
    let writable = false;
    const waiting = writer.writable(3 * size).then(() => {
      writable = true;
    });
    for (let i = 0; i < 6; i++) writer.take();
    await Promise.resolve();
    expect(writable).toBe(false);
    writer.take();
    await waiting;
    expect(writer.bufferedBytes).toBe(3 * size);
  });

  it('closed, it drops what was not taken, takes no more and wakes whoever waits', async () => {
    const writer = new SseMemberWriter();
    writer.write(payload('a'));
    const waiting = writer.writable(0);
    writer.close();
    await waiting;
    expect(writer.isOpen).toBe(false);
    expect(writer.take()).toBeUndefined();
    writer.write(payload('b'));
    expect(writer.take()).toBeUndefined();
  });
});

describe('a group with SSE members', () => {
  async function started(queueLimit = 100) {
    const g = new SubscriberGroup('k', {
      execute: (item) => {
        if ('failure' in item) return { errors: [item.failure] };
        if ('overflow' in item) {
          return {
            errors: [
              new GraphQLError(item.overflow.message, { extensions: { code: 'SUBSCRIBER_TOO_SLOW' } }),
            ],
          };
        }
        return { data: { nodeChanged: { name: item.name } } };
      },
      scheduler: new SliceScheduler(5),
      queueLimit,
      highWaterBytes: 300,
      lowWaterBytes: 100,
      onClosed: () => {},
    });
    const src = source();
    g.start(Promise.resolve(src.iterator));
    await g.ready;
    return { g, src };
  }

  const names = (values: readonly SseValue[]) =>
    values.map(
      (v) =>
        (v.data as { nodeChanged: { name: string } } | undefined)?.nodeChanged.name ??
        v.errors?.[0]?.extensions?.code,
    );

  it("yields the group's events to each member's stream, then the group's last error, then ends", async () => {
    const { g, src } = await started();
    const sinks = [g.add(new SseMemberWriter()).sink, g.add(new SseMemberWriter()).sink];
    src.push(event('n1'));
    src.push(event('n2', 2));
    src.push({ failure: new GraphQLError('forbidden', { extensions: { code: 'FORBIDDEN' } }) });
    const seen: SseValue[][] = [];
    for (const sink of sinks) {
      const values: SseValue[] = [];
      for await (const value of sink) values.push(value);
      expect(names(values)).toEqual(['n1', 'n2', 'FORBIDDEN']);
      seen.push(values);
    }
    // One shared value per event for every member: executed and serialized once.
    expect(seen[0]![0]).toBe(seen[1]![0]);
    expect(g.closed).toBe(true);
  });

  it('a member whose stream is not pulled queues past the high-water mark and ends SUBSCRIBER_TOO_SLOW; the others get everything', async () => {
    const { g, src } = await started(2);
    const fast = g.add(new SseMemberWriter()).sink;
    const slow = g.add(new SseMemberWriter()).sink;
    const fastSeen: SseValue[] = [];
    const reading = (async () => {
      while (fastSeen.length < 40) fastSeen.push((await fast.next()).value as SseValue);
    })();
    for (let i = 0; i < 40; i++) src.push(event(`n${i}`, i + 1));
    await reading;
    expect(names(fastSeen)).toEqual(Array.from({ length: 40 }, (_, i) => `n${i}`));
    await waitFor(() => g.size === 1, { what: 'the slow member out of the group' });
    const slowSeen: SseValue[] = [];
    for await (const value of slow) slowSeen.push(value);
    // What it held before it queued (~300 bytes), then the overflow error.
    expect(slowSeen.length).toBeLessThan(15);
    expect(names(slowSeen).at(-1)).toBe('SUBSCRIBER_TOO_SLOW');
  });

  it('a member whose stream is returned leaves the group and drops what it held', async () => {
    const { g, src } = await started();
    const writer = new SseMemberWriter();
    const leaving = g.add(writer).sink;
    const staying = g.add(new SseMemberWriter()).sink;
    src.push(event('n1'));
    expect((await staying.next()).value).toMatchObject({ data: { nodeChanged: { name: 'n1' } } });
    expect(writer.bufferedBytes).toBeGreaterThan(0);
    expect(await leaving.return?.()).toEqual({ done: true, value: undefined });
    expect(writer.bufferedBytes).toBe(0);
    expect(g.size).toBe(1);
    expect(await leaving.next()).toEqual({ done: true, value: undefined });
  });
});
