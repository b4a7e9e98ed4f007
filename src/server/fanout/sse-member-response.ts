import type { ExecutionResult } from 'graphql';
import { isAsyncIterable, processRegularResult } from 'graphql-yoga';
import { sharedSseFrameOf } from './group-payload.js';

/** The fetch API yoga hands a result processor (Response, ReadableStream). */
type FetchApi = Parameters<typeof processRegularResult>[1];

const PING = Buffer.from(':\n\n');
const COMPLETE = Buffer.from('event: complete\ndata:\n\n');

/**
 * The SSE response of a fan-out member's stream: the bytes graphql-yoga's SSE processor writes
 * (its headers, first ping, pings, `event: next` and `event: complete` frames), in fewer, shared
 * chunks. yoga enqueues two freshly encoded chunks per event, so each event cost every stream two
 * trips through its response stream and its own encoding of the payload; here a group's event is
 * one frame encoded once (group-payload.ts) and enqueued to every member as it is. Anything
 * else a member's stream yields (an error result, a value another plugin replaced) is serialized
 * as yoga would, by yoga's own sanitizing stringify.
 */
export function processSseMemberResult(result: unknown, fetchAPI: FetchApi): Response {
  if (!isAsyncIterable(result)) throw new TypeError('an SSE member answers with its stream');
  const iterator = (result as AsyncIterable<ExecutionResult>)[Symbol.asyncIterator]();
  let ping: ReturnType<typeof setInterval> | undefined;
  const stop = () => clearInterval(ping);
  const body = new fetchAPI.ReadableStream<Uint8Array>({
    start(controller) {
      // First a ping, as yoga: some browsers show nothing of a response until a byte arrives.
      controller.enqueue(PING);
      ping = setInterval(() => {
        if (controller.desiredSize === null) return stop();
        if (controller.desiredSize > 0) controller.enqueue(PING);
      }, pingIntervalMs());
    },
    async pull(controller) {
      try {
        const next = await iterator.next();
        if (next.value != null) controller.enqueue(frameOf(next.value, fetchAPI));
        if (next.done) {
          stop();
          controller.enqueue(COMPLETE);
          controller.close();
        }
      } catch {
        // Not controller.error: nothing listens for a body's error event, it would end the process.
        // The member's stream does not throw (its errors are results); should it, the stream ends.
        stop();
        controller.close();
      }
    },
    async cancel(reason) {
      stop();
      await iterator.return?.(reason);
    },
  });
  return new fetchAPI.Response(body, {
    status: 200,
    headers: {
      'Content-Type': 'text/event-stream',
      Connection: 'keep-alive',
      'Cache-Control': 'no-cache',
      'Content-Encoding': 'none',
    },
  });
}

function frameOf(value: ExecutionResult, fetchAPI: FetchApi): Uint8Array {
  return sharedSseFrameOf(value) ?? Buffer.from(`event: next\ndata: ${sanitizedJson(value, fetchAPI)}\n\n`);
}

/**
 * `value` as yoga's SSE processor serializes it: errors without their internal extensions, no
 * `extensions.http`. yoga does not export that stringify; its regular processor calls it and hands
 * the sanitized result to the result's own `stringify`, which keeps it here.
 */
function sanitizedJson(value: ExecutionResult, fetchAPI: FetchApi): string {
  let json = 'null';
  const capture = (sanitized: unknown) => {
    json = JSON.stringify(sanitized);
    return json;
  };
  processRegularResult({ ...value, stringify: capture } as ExecutionResult, fetchAPI, 'application/json');
  return json;
}

/** yoga's ping period: 12 s, or 300 ms under NODE_ENV=test (its tests, and ours, see pings). */
function pingIntervalMs(): number {
  return process.env.NODE_ENV === 'test' ? 300 : 12_000;
}
