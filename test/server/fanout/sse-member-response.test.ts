import { type ExecutionResult, GraphQLError } from 'graphql';
import { getSSEProcessor } from 'graphql-yoga';
import { describe, expect, it } from 'vitest';
import { GroupPayload, sharedSseFrameOf } from '../../../src/server/fanout/group-payload.js';
import { processSseMemberResult } from '../../../src/server/fanout/sse-member-response.js';

type FetchApi = Parameters<typeof processSseMemberResult>[1];
const fetchAPI = { Response, ReadableStream, TextEncoder } as unknown as FetchApi;

async function* streamOf(values: readonly ExecutionResult[]): AsyncGenerator<ExecutionResult> {
  yield* values;
}

/** Every chunk of a response body, as enqueued. */
async function chunksOf(response: Response): Promise<Uint8Array[]> {
  const chunks: Uint8Array[] = [];
  const reader = response.body!.getReader();
  for (let next = await reader.read(); !next.done; next = await reader.read()) chunks.push(next.value);
  return chunks;
}

const text = (chunks: readonly Uint8Array[]) => Buffer.concat(chunks).toString();

describe('processSseMemberResult', () => {
  const shared = new GroupPayload({ data: { nodeChanged: { name: 'n1', labels: ['a=1'] } } });
  const withInternals: ExecutionResult = {
    data: null,
    errors: [
      new GraphQLError('Subscriber too slow', {
        path: ['nodeChanged'],
        extensions: { code: 'SUBSCRIBER_TOO_SLOW', http: { status: 503 }, unexpected: true },
      }),
    ],
    extensions: { http: { headers: { 'x-internal': '1' } } },
  };

  it('writes the bytes and headers of yoga’s own SSE processor', async () => {
    const values = [shared.sseValue, { data: { nodeChanged: { name: 'n2' } } }, withInternals];
    const ours = processSseMemberResult(streamOf(values), fetchAPI);
    const yogas = await getSSEProcessor()(streamOf(values), fetchAPI, 'text/event-stream');
    expect(text(await chunksOf(ours))).toBe(await yogas.text());
    expect(ours.status).toBe(yogas.status);
    expect(Object.fromEntries(ours.headers)).toEqual(Object.fromEntries(yogas.headers));
  });

  it('never sends a result’s internal extensions (http, unexpected)', async () => {
    const body = text(await chunksOf(processSseMemberResult(streamOf([withInternals]), fetchAPI)));
    expect(body).toContain('"code":"SUBSCRIBER_TOO_SLOW"');
    expect(body).not.toMatch(/http|unexpected|x-internal/);
  });

  it('enqueues a group’s shared event as one chunk, the same bytes object for every member', async () => {
    const [first, second] = await Promise.all([
      chunksOf(processSseMemberResult(streamOf([shared.sseValue]), fetchAPI)),
      chunksOf(processSseMemberResult(streamOf([shared.sseValue]), fetchAPI)),
    ]);
    // ping, the event, complete
    expect(first).toHaveLength(3);
    expect(first[1]).toBe(sharedSseFrameOf(shared.sseValue));
    expect(second[1]).toBe(first[1]);
  });

  it('a copy of a shared value (a plugin replaced it) is serialized afresh, not sent as the frame', () => {
    const copy = { ...shared.sseValue };
    expect(sharedSseFrameOf(copy)).toBeUndefined();
    expect(sharedSseFrameOf(null)).toBeUndefined();
    expect(sharedSseFrameOf('event')).toBeUndefined();
  });

  it('cancelled (the client left), it returns the member’s stream', async () => {
    let returned = false;
    const member: AsyncIterable<ExecutionResult> = {
      [Symbol.asyncIterator]: () => ({
        next: () => new Promise<IteratorResult<ExecutionResult>>(() => {}),
        return: async () => {
          returned = true;
          return { done: true, value: undefined };
        },
      }),
    };
    const response = processSseMemberResult(member, fetchAPI);
    const reader = response.body!.getReader();
    await reader.read();
    await reader.cancel();
    expect(returned).toBe(true);
  });
});
