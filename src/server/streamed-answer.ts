import { randomBytes } from 'node:crypto';
import type { GraphQLError } from 'graphql';
import { createGraphQLError, maskError } from 'graphql-yoga';
import type { AnswerSliceQueue } from './answer-slice-queue.js';
import type { ListSliceExecutor, SliceResult } from './list-slice-executor.js';
import type { StreamedList } from './streamed-lists.js';
import { boundedMessage } from './use-bounded-error-messages.js';

/** The answer without its streamed lists (they are [] in `data`), errors already sanitized by yoga. */
export interface AnswerEnvelope {
  readonly data?: unknown;
  readonly errors?: readonly unknown[];
  readonly extensions?: Record<string, unknown>;
}

export interface StreamedAnswerOptions {
  envelope: AnswerEnvelope;
  lists: readonly StreamedList[];
  executor: ListSliceExecutor;
  context: { responseExtensions?: Record<string, unknown> };
  /** The request's variables as sent (the slices coerce them as the operation did). */
  variables: unknown;
  /** Aborted when the client goes away: stop executing, drop everything. */
  signal?: AbortSignal;
  /** Where the body's slices wait their turn: one queue, one budget per turn, for every answer. */
  queue: AnswerSliceQueue;
  /** Called with each chunk's byte length (metrics). */
  onChunk?(bytes: number): void;
  /** Called once when the body ends, is cancelled or fails. */
  onEnd?(): void;
  /** A slice that could not execute (its list ends there, with an error) or a failed body. */
  onError?(err: unknown): void;
}

/** Where a streamed list sits in the serialized envelope: a JSON string no answer contains. */
const MARK = `__kng_streamed_list_${randomBytes(12).toString('hex')}_`;

/** Chunks get no larger than this (characters) before they are handed to the socket. */
const MAX_CHUNK_CHARS = 256 * 1024;

/**
 * Chunks made ahead of the socket's demand (~1 MB): the gateway keeps working while the client
 * reads, instead of taking turns with it; still bounded, so a client that stops reading stops it.
 */
const READ_AHEAD_CHUNKS = 4;

/**
 * The response body of an answer with streamed lists: one ordinary JSON document, the same as
 * JSON.stringify of the whole answer (errors of the streamed items come after `data`). Pull-based:
 * each pull waits for its turn in the shared slice queue, then executes and serializes items
 * for what is left of that turn's budget, so 65,000-node lists never hold the loop long, however
 * many are written at once, and never exist whole in memory; a client that stops reading stops
 * the work (the socket's backpressure stops the pulls).
 */
export function streamedAnswerBody(options: StreamedAnswerOptions): ReadableStream<Uint8Array> {
  const parts = new AnswerParts(options);
  const encoder = new TextEncoder();
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    parts.release();
    options.onEnd?.();
  };
  options.signal?.addEventListener('abort', end, { once: true });
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const text = await options.queue.run(async (budgetMs) => {
            // Never a pull without a chunk (or the end): the socket would not ask again.
            let out = '';
            while (!ended && out.length === 0 && !parts.done) out = await parts.next(budgetMs);
            return out;
          });
          if (ended) return controller.close();
          if (text.length > 0) {
            const bytes = encoder.encode(text);
            options.onChunk?.(bytes.byteLength);
            controller.enqueue(bytes);
          }
          if (parts.done) {
            end();
            controller.close();
          }
        } catch (err) {
          // Not controller.error: nothing listens for a body's error event, it would end the process.
          options.onError?.(err);
          end();
          controller.close();
        }
      },
      cancel() {
        end();
      },
    },
    { highWaterMark: READ_AHEAD_CHUNKS },
  );
}

/** The envelope split around its streamed lists, and the position reached in writing it. */
class AnswerParts {
  private texts: string[];
  private lists: StreamedList[];
  private readonly errors: unknown[] = [];
  private part = 0;
  private list = -1;
  private offset = 0;
  private written = 0;
  private batch = 64;
  done = false;

  constructor(private options: StreamedAnswerOptions) {
    const { texts, lists } = splitEnvelope(options.envelope, options.lists);
    this.texts = texts;
    this.lists = lists;
  }

  /** About `ms` of work: the next static part, then items of the list after it, batch by batch. */
  async next(ms: number): Promise<string> {
    const started = performance.now();
    let out = '';
    // At least one step, whatever the budget: a pull always moves the answer on.
    while (!this.done) {
      out += await this.step();
      if (out.length >= MAX_CHUNK_CHARS || performance.now() - started >= ms) break;
    }
    return out;
  }

  private async step(): Promise<string> {
    if (this.list < this.part) {
      // The text before list `part` (or the envelope's end).
      const last = this.part === this.texts.length - 1;
      const text = last ? this.finish(this.texts[this.part]!) : this.texts[this.part]!;
      this.list = this.part;
      this.offset = 0;
      this.written = 0;
      if (last) this.done = true;
      return text;
    }
    const list = this.lists[this.list]!;
    if (this.offset < list.length) return this.items(list);
    this.part++;
    return '';
  }

  private async items(list: StreamedList): Promise<string> {
    const to = Math.min(list.length, this.offset + this.batch);
    const t0 = performance.now();
    const { executor, context, variables } = this.options;
    let result: SliceResult;
    try {
      result = await executor.run(list, list.slice(this.offset, to), context, variables);
    } catch (err) {
      // The answer stays a valid document: the list ends here, an error says so.
      this.options.onError?.(err);
      this.errors.push(
        sanitized(createGraphQLError(String(err), { originalError: err as Error }), list.path, -1),
      );
      this.offset = list.length;
      return '';
    }
    const items = result.data?.items ?? new Array<null>(to - this.offset).fill(null);
    for (const error of result.errors ?? []) this.errors.push(sanitized(error, list.path, this.offset));
    let json = JSON.stringify(items);
    json = json.slice(1, -1);
    const from = this.offset;
    this.offset = to;
    // Batches of about a millisecond: small enough to stop on time, large enough to be cheap.
    const perItem = (performance.now() - t0) / Math.max(1, to - from);
    this.batch = Math.max(16, Math.min(4096, Math.round(1 / Math.max(perItem, 1e-4))));
    if (json.length === 0) return '';
    const sep = this.written++ > 0 ? ',' : '';
    return sep + json;
  }

  /** The envelope's closing text, with the errors and extensions that slices added. */
  private finish(last: string): string {
    const { envelope, context } = this.options;
    const errors = [...(envelope.errors ?? []), ...this.errors];
    const extensions = { ...envelope.extensions, ...context.responseExtensions };
    let tail = last.slice(0, -1);
    if (errors.length > 0) tail += `,"errors":${JSON.stringify(errors)}`;
    if (Object.keys(extensions).length > 0) tail += `,"extensions":${JSON.stringify(extensions)}`;
    return `${tail}}`;
  }

  release(): void {
    this.done = true;
    this.texts = [];
    this.lists = [];
    this.options = { ...this.options, envelope: {}, lists: [], context: {} };
  }
}

/**
 * `{"data":...}` with each streamed list's [] replaced by a mark, cut at the marks: texts[i] is
 * written before lists[i]; a list whose place is gone (its parent was nulled by an error) is dropped.
 */
function splitEnvelope(
  envelope: AnswerEnvelope,
  lists: readonly StreamedList[],
): { texts: string[]; lists: StreamedList[] } {
  const placed: StreamedList[] = [];
  for (const list of lists) {
    const parent = parentOf(envelope.data, list.path);
    const key = list.path[list.path.length - 1]!;
    if (!parent || !Array.isArray(parent[key as keyof typeof parent])) continue;
    (parent as Record<string | number, unknown>)[key] = `${MARK}${placed.length}`;
    placed.push(list);
  }
  const text = JSON.stringify({ data: envelope.data });
  const cuts = placed
    .map((list, i) => ({ list, at: text.indexOf(`"${MARK}${i}"`), length: `"${MARK}${i}"`.length }))
    .filter((cut) => cut.at >= 0)
    .sort((a, b) => a.at - b.at);
  const texts: string[] = [];
  let from = 0;
  for (const cut of cuts) {
    texts.push(`${text.slice(from, cut.at)}[`);
    from = cut.at + cut.length;
  }
  texts.push(text.slice(from));
  // Every text but the first closes the list before it.
  for (let i = 1; i < texts.length; i++) texts[i] = `]${texts[i]}`;
  return { texts, lists: cuts.map((c) => c.list) };
}

function parentOf(data: unknown, path: readonly (string | number)[]): object | undefined {
  let at: unknown = data;
  for (const key of path.slice(0, -1)) {
    if (at === null || typeof at !== 'object') return undefined;
    at = (at as Record<string | number, unknown>)[key];
  }
  return at !== null && typeof at === 'object' ? at : undefined;
}

/**
 * An item's error as yoga would have sent it: at its place in the answer, masked when unexpected,
 * its message bounded, without internal extensions.
 */
function sanitized(error: GraphQLError, listPath: readonly (string | number)[], offset: number): unknown {
  const [, index, ...rest] = error.path ?? [];
  const path = offset < 0 ? [...listPath] : [...listPath, offset + Number(index ?? 0), ...rest];
  const masked = maskError(
    error,
    'Unexpected error.',
    process.env.NODE_ENV === 'development',
  ) as GraphQLError;
  const { http: _http, unexpected: _unexpected, ...extensions } = masked.extensions ?? {};
  // The fields and order of GraphQLError.toJSON.
  return {
    message: boundedMessage(masked.message),
    ...((masked.locations ?? error.locations) ? { locations: masked.locations ?? error.locations } : {}),
    path,
    ...(Object.keys(extensions).length > 0 ? { extensions } : {}),
  };
}

/** The answer with its streamed lists executed whole, in place (for a processor that is not ours). */
export async function materializeLists(
  result: { data?: unknown; errors?: readonly GraphQLError[] },
  lists: readonly StreamedList[],
  executor: ListSliceExecutor,
  from: { context: unknown; variables: unknown },
): Promise<typeof result> {
  const errors: GraphQLError[] = [...(result.errors ?? [])];
  for (const list of lists) {
    const parent = parentOf(result.data, list.path) as Record<string | number, unknown> | undefined;
    const key = list.path[list.path.length - 1]!;
    if (!parent || !Array.isArray(parent[key])) continue;
    const sliced = await executor.run(list, list.slice(0, list.length), from.context, from.variables);
    parent[key] = sliced.data?.items ?? null;
    for (const error of sliced.errors ?? []) {
      const [, index, ...rest] = error.path ?? [];
      errors.push(
        createGraphQLError(error.message, {
          nodes: error.nodes,
          positions: error.positions,
          source: error.source,
          path: [...list.path, Number(index ?? 0), ...rest],
          originalError: error.originalError ?? undefined,
          extensions: error.extensions,
        }),
      );
    }
  }
  return errors.length > 0 ? { ...result, errors } : result;
}
