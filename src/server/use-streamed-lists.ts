import { type ExecutionResult, getOperationAST } from 'graphql';
import { isAsyncIterable, type Plugin, processRegularResult } from 'graphql-yoga';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { Logger } from '../platform/logger.js';
import { AnswerSliceQueue } from './answer-slice-queue.js';
import type { GatewayContext } from './context.js';
import { ListSliceExecutor } from './list-slice-executor.js';
import { type AnswerEnvelope, materializeLists, streamedAnswerBody } from './streamed-answer.js';
import { StreamedLists, type StreamingContext } from './streamed-lists.js';

export interface StreamedListsOptions {
  /** Lists longer than this are streamed; 0 = never. */
  minItems: number;
  /** Slices run compiled by graphql-jit (as queries do), else by graphql-js. */
  jit: boolean;
  registry?: Registry;
  logger?: Logger;
}

interface Pending {
  readonly lists: StreamedLists;
  readonly context: GatewayContext;
  readonly variables: unknown;
}

const JSON_TYPES = ['application/graphql-response+json', 'application/json'];

/**
 * Whole-list answers (e.g. 65,000 nodes, ~67 MB) without stalling the gateway: a list longer
 * than `minItems` resolves to [] during execution (see streamed-lists.ts), then the response
 * body writes the rest of the answer around it and executes and serializes the list's items a
 * slice at a time as the socket takes them (streamed-answer.ts). The client still gets one
 * ordinary JSON document (chunked transfer), the same bytes as before. Only HTTP queries whose
 * client takes JSON stream; graphql-ws, SSE and multipart answers resolve lists in place.
 * Streamed answers are never kept by the node response cache (it skips them): they are the
 * largest answers, and 65,000 kubelets change one of them every few seconds.
 */
export function useStreamedLists(options: StreamedListsOptions): Plugin<GatewayContext> {
  const executor = new ListSliceExecutor(options.jit);
  const queue = new AnswerSliceQueue();
  const pending = new WeakMap<Request, Pending>();
  const answers = options.registry
    ? {
        total: new Counter({
          name: 'gateway_streamed_answers_total',
          help: 'HTTP answers whose long lists were executed and written in slices',
          registers: [options.registry],
        }),
        inFlight: new Gauge({
          name: 'gateway_streamed_answers_in_flight',
          help: 'Streamed answers being written now',
          registers: [options.registry],
        }),
        bytes: new Counter({
          name: 'gateway_streamed_answer_bytes_total',
          help: 'Bytes of streamed answers handed to sockets',
          registers: [options.registry],
        }),
      }
    : undefined;

  return {
    onExecute({ args }) {
      const context = args.contextValue as GatewayContext & { request?: Request };
      const { request } = context;
      if (options.minItems <= 0 || context.transport !== 'http' || !request) return;
      if (getOperationAST(args.document, args.operationName ?? undefined)?.operation !== 'query') return;
      if (acceptedJsonType(request) === undefined) return;
      const lists = new StreamedLists(options.minItems);
      // The context object itself (envelop's extendContext does the same), typed as ours.
      Object.assign(context, { streamedLists: lists } satisfies StreamingContext);
      return {
        onExecuteDone({ result }) {
          lists.close();
          if (lists.lists.length === 0 || isAsyncIterable(result)) return;
          pending.set(request, { lists, context, variables: args.variableValues });
        },
      };
    },
    onResultProcess({ request, result, resultProcessor, setResult, setResultProcessor }) {
      const streamed = pending.get(request);
      if (!streamed) return;
      pending.delete(request);
      if (Array.isArray(result) || isAsyncIterable(result)) return;
      const accepted = acceptedJsonType(request);
      if (resultProcessor !== processRegularResult || accepted === undefined) {
        // Another processor took the answer after all: give it the lists whole.
        return materializeLists(result as ExecutionResult, streamed.lists.lists, executor, streamed).then(
          setResult,
        );
      }
      setResultProcessor((answer, fetchAPI) => {
        // yoga's own processor decides status and headers, and sanitizes the errors.
        let envelope: AnswerEnvelope = {};
        const plain = { ...(answer as ExecutionResult) } as ExecutionResult & {
          stringify?: (r: unknown) => string;
        };
        plain.stringify = (sanitized: unknown) => {
          envelope = sanitized as AnswerEnvelope;
          return '';
        };
        const head = processRegularResult(plain, fetchAPI, accepted);
        const headers = new fetchAPI.Headers(head.headers);
        headers.delete('content-length');
        answers?.total.inc();
        answers?.inFlight.inc();
        const body = streamedAnswerBody({
          envelope,
          lists: streamed.lists.lists,
          executor,
          queue,
          context: streamed.context,
          variables: streamed.variables,
          signal: request.signal,
          onChunk: (bytes) => answers?.bytes.inc(bytes),
          onEnd: () => answers?.inFlight.dec(),
          onError: (err) => options.logger?.error({ err }, 'streamed list failed'),
        });
        return new fetchAPI.Response(body, { status: head.status, headers });
      }, accepted);
    },
  };
}

/** The JSON media type yoga's regular processor answers this request with; undefined = none. */
function acceptedJsonType(request: Request): string | undefined {
  const requested = (request.headers.get('accept') || '*/*').replace(/\s/g, '').toLowerCase().split(',');
  let accepted: string | undefined;
  for (const entry of requested.reverse()) {
    const [type, ...params] = entry.split(';');
    const charset = params.find((p) => p.includes('charset=')) ?? 'charset=utf-8';
    if (!type || charset !== 'charset=utf-8') continue;
    const [pre, suf] = type.split('/');
    for (const json of JSON_TYPES) {
      const [jsonPre, jsonSuf] = json.split('/');
      if ((pre === '*' || pre === jsonPre) && (suf === '*' || suf === jsonSuf)) accepted = json;
    }
  }
  return accepted;
}
