import { type ExecutionResult, GraphQLError, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { ANONYMOUS_CALLER, type Caller } from '../../../src/auth/caller.js';
import type { NodeChangeItem } from '../../../src/resolvers/node-changes.js';
import { afterTicks, SliceScheduler } from '../../../src/server/fanout/slice-scheduler.js';
import { SubscriberGroup } from '../../../src/server/fanout/subscriber-group.js';
import { fanoutKey } from '../../../src/server/fanout/subscription-fanout.js';
import { type FanoutSocket, WsMemberWriter } from '../../../src/server/fanout/ws-member-writer.js';
import { waitFor } from '../../support/wait-for.js';
import { event, source } from './group-test-support.js';

const QUERY = 'subscription S($names: [String!]) { nodeChanged(names: $names) { name } }';
const alice: Caller = { username: 'alice', groups: ['dev'], anonymous: false };
const bob: Caller = { username: 'bob', groups: ['dev'], anonymous: false };

function socket(bufferedAmount = 0) {
  const frames: { id: string; payload: ExecutionResult }[] = [];
  const s: FanoutSocket & { frames: typeof frames; bufferedAmount: number } = {
    readyState: 1,
    bufferedAmount,
    frames,
    send(data: Buffer) {
      const message = JSON.parse(data.toString()) as { id: string; type: string; payload: ExecutionResult };
      expect(message.type).toBe('next');
      frames.push({ id: message.id, payload: message.payload });
    },
  };
  return s;
}

function group(queueLimit = 100) {
  const executions: NodeChangeItem[] = [];
  const g = new SubscriberGroup('k', {
    execute: (item) => {
      executions.push(item);
      if ('failure' in item) return { errors: [item.failure] };
      if ('overflow' in item) {
        return {
          errors: [new GraphQLError(item.overflow.message, { extensions: { code: 'SUBSCRIBER_TOO_SLOW' } })],
        };
      }
      return { data: { nodeChanged: { name: item.name } } };
    },
    scheduler: new SliceScheduler(5),
    queueLimit,
    highWaterBytes: 1000,
    lowWaterBytes: 100,
    onClosed: () => {},
  });
  return { g, executions };
}

describe('fanoutKey', () => {
  const doc = parse(QUERY);
  const key = (variables: Record<string, unknown>, caller: Caller, query = QUERY) =>
    fanoutKey(parse(query), query, 'S', variables, caller);

  it('groups the same operation, variables and caller; different variables or callers are different groups', () => {
    expect(key({ names: ['a'] }, alice)).toBe(fanoutKey(doc, QUERY, 'S', { names: ['a'] }, { ...alice }));
    expect(key({ names: ['a'] }, alice)).not.toBe(key({ names: ['b'] }, alice));
    expect(key({ names: ['a'] }, alice)).not.toBe(key({ names: ['a'] }, bob));
    expect(key({ names: ['a'] }, alice)).not.toBe(
      key({ names: ['a'] }, { ...alice, groups: ['dev', 'admin'] }),
    );
    expect(key({ names: ['a'] }, alice)).not.toBe(key({ names: ['a'] }, ANONYMOUS_CALLER));
  });

  it('leaves resumes (`since`), other root fields and queries to graphql-ws', () => {
    expect(key({}, alice, 'subscription S { nodeChanged(since: "x") { name } }')).toBeUndefined();
    expect(
      key({ s: 'x' }, alice, 'subscription S($s: String) { nodeChanged(since: $s) { name } }'),
    ).toBeUndefined();
    // The same document without a cursor is an ordinary subscription.
    expect(key({}, alice, 'subscription S($s: String) { nodeChanged(since: $s) { name } }')).toBeDefined();
    expect(
      key({}, alice, 'subscription S { a: nodeChanged { name } b: nodeChanged { name } }'),
    ).toBeUndefined();
    expect(key({}, alice, 'query S { __typename }')).toBeUndefined();
  });
});

describe('SubscriberGroup', () => {
  it('executes each event once for all its members and writes the same payload under each id', async () => {
    const { g, executions } = group();
    const src = source();
    g.start(Promise.resolve(src.iterator));
    await g.ready;
    const sockets = [socket(), socket()];
    for (let i = 0; i < 300; i++) g.add(new WsMemberWriter(sockets[i % 2]!, String(i)));
    src.push(event('n1'));
    src.push(event('n2', 2));
    await waitFor(() => sockets[0]!.frames.length + sockets[1]!.frames.length === 600, {
      what: '600 frames',
    });
    expect(executions).toHaveLength(2);
    expect(sockets[0]!.frames.filter((f) => f.id === '0').map((f) => f.payload)).toEqual([
      { data: { nodeChanged: { name: 'n1' } } },
      { data: { nodeChanged: { name: 'n2' } } },
    ]);
  });

  it('ends every member with the error of a revoked caller, then stops its source', async () => {
    const { g } = group();
    const src = source();
    g.start(Promise.resolve(src.iterator));
    await g.ready;
    const s = socket();
    const members = [g.add(new WsMemberWriter(s, 'a')), g.add(new WsMemberWriter(s, 'b'))];
    const ends = members.map((m) => m.sink.next());
    src.push({ failure: new GraphQLError('forbidden', { extensions: { code: 'FORBIDDEN' } }) });
    src.push(event('never'));
    expect(await Promise.all(ends)).toEqual([
      { done: true, value: undefined },
      { done: true, value: undefined },
    ]);
    expect(s.frames.map((f) => [f.id, f.payload.errors?.[0]?.extensions?.code])).toEqual([
      ['a', 'FORBIDDEN'],
      ['b', 'FORBIDDEN'],
    ]);
    expect(g.closed).toBe(true);
    expect(src.ended).toBe(true);
  });

  it('a member that leaves gets nothing more; the last one out stops the source', async () => {
    const { g } = group();
    const src = source();
    g.start(Promise.resolve(src.iterator));
    await g.ready;
    const s = socket();
    const [a, b] = [g.add(new WsMemberWriter(s, 'a')), g.add(new WsMemberWriter(s, 'b'))];
    await a.sink.return?.();
    src.push(event('n1'));
    await waitFor(() => s.frames.length === 1, { what: 'one frame' });
    expect(s.frames[0]!.id).toBe('b');
    await b.sink.return?.();
    expect(g.closed).toBe(true);
    await waitFor(() => src.ended, { what: 'source returned' });
  });

  it('queues a member whose socket is backed up, without holding up the others, and ends it SUBSCRIBER_TOO_SLOW', async () => {
    const { g } = group(2);
    const src = source();
    g.start(Promise.resolve(src.iterator));
    await g.ready;
    const fast = socket();
    const slow = socket(10_000);
    g.add(new WsMemberWriter(fast, 'fast'));
    const slowMember = g.add(new WsMemberWriter(slow, 'slow'));
    // More distinct nodes than 10 x the queue limit: the slow member's queue overflows.
    for (let i = 0; i < 25; i++) src.push(event(`n${i}`, i + 1));
    await waitFor(() => fast.frames.length === 25, { what: 'the fast member has every event' });
    expect(slow.frames).toHaveLength(0);
    expect(g.size).toBe(1); // the slow one left the group at its overflow
    slow.bufferedAmount = 0;
    expect(await slowMember.sink.next()).toEqual({ done: true, value: undefined });
    expect(slow.frames.map((f) => f.payload.errors?.[0]?.extensions?.code)).toEqual(['SUBSCRIBER_TOO_SLOW']);
  });
});

describe('SliceScheduler', () => {
  it('splits work into slices and yields to the event loop between them', async () => {
    let clock = 0;
    const scheduler = new SliceScheduler(5, undefined, () => clock);
    let steps = 0;
    let otherRanAt: number | undefined;
    setImmediate(() => {
      otherRanAt = steps;
    });
    await new Promise<void>((resolve) =>
      scheduler.enqueue(() => {
        clock += 1; // each step "takes" 1 ms
        steps++;
        if (steps < 50) return true;
        resolve();
        return false;
      }),
    );
    expect(scheduler.slices).toBeGreaterThanOrEqual(10);
    expect(otherRanAt).toBeDefined();
    expect(otherRanAt!).toBeLessThan(50);
  });

  it('counts the promise continuations a task starts against the slice that ran it', async () => {
    let clock = 0;
    const scheduler = new SliceScheduler(5, undefined, () => clock);
    let steps = 0;
    await new Promise<void>((resolve) =>
      scheduler.enqueue(() => {
        steps++;
        // The work this step sets off (a woken stream writing) "takes" 3 ms, after the task returns.
        void Promise.resolve().then(() => {
          clock += 3;
        });
        if (steps === 10) resolve();
        return afterTicks(steps < 10);
      }),
    );
    // Two steps a slice (3 + 3 ms crosses 5), not all ten in the first.
    expect(scheduler.slices).toBeGreaterThanOrEqual(5);
  });
});
