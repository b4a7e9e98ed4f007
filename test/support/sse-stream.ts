import http from 'node:http';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { printDocument } from './graphql-clients.js';

/** yoga's keep-alive comment. */
export const SSE_PING = ':\n\n';

/**
 * An SSE subscription read byte for byte (tests compare the wire format): a raw HTTP request
 * with `Accept: text/event-stream`; `pause()` stops reading the socket (a client that never
 * reads), `resume()` reads again.
 */
export interface RawSseStream {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  /** Everything received so far. */
  readonly text: string;
  /** Every `event:` block received so far, each with its closing blank line (pings left out). */
  events(): string[];
  /** Resolves once `probe` holds for what was received (checked on each chunk), or rejects after `timeoutMs`. */
  until(probe: (stream: RawSseStream) => boolean, what: string, timeoutMs?: number): Promise<void>;
  /** The response ended (the server completed the stream) or the connection closed. */
  readonly ended: Promise<void>;
  pause(): void;
  resume(): void;
  close(): void;
}

export interface RawSseOptions {
  variables?: Record<string, unknown>;
  headers?: Record<string, string>;
  /** GET with the operation in the query string instead of a JSON POST. */
  method?: 'GET' | 'POST';
}

export function openRawSse<TResult, TVariables>(
  graphqlUrl: string,
  document: TypedDocumentNode<TResult, TVariables>,
  options: RawSseOptions = {},
): Promise<RawSseStream> {
  const query = printDocument(document);
  const method = options.method ?? 'POST';
  const url = new URL(graphqlUrl);
  if (method === 'GET') {
    url.searchParams.set('query', query);
    if (options.variables) url.searchParams.set('variables', JSON.stringify(options.variables));
  }
  return new Promise((resolve, reject) => {
    const req = http.request(url, {
      method,
      headers: {
        accept: 'text/event-stream',
        ...(method === 'POST' ? { 'content-type': 'application/json' } : {}),
        ...options.headers,
      },
    });
    req.on('error', reject);
    req.on('response', (res) => {
      let text = '';
      const watchers = new Set<() => void>();
      const notify = () => {
        for (const w of [...watchers]) w();
      };
      let markEnded!: () => void;
      const ended = new Promise<void>((r) => {
        markEnded = r;
      });
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
        notify();
      });
      res.once('end', () => {
        markEnded();
        notify();
      });
      res.once('close', () => {
        markEnded();
        notify();
      });
      res.on('error', () => {});
      let closed = false;
      const stream: RawSseStream = {
        status: res.statusCode ?? 0,
        headers: res.headers,
        get text() {
          return text;
        },
        events() {
          return sseBlocks(text).filter((block) => block.startsWith('event:'));
        },
        until(probe, what, timeoutMs = 10_000) {
          return new Promise<void>((done, fail) => {
            const check = () => {
              if (probe(stream)) {
                cleanup();
                done();
              } else if (closed || res.readableEnded || res.destroyed) {
                cleanup();
                fail(
                  new Error(`SSE stream ended before ${what}; received ${JSON.stringify(text.slice(-500))}`),
                );
              }
            };
            const timer = setTimeout(() => {
              cleanup();
              fail(
                new Error(`no ${what} within ${timeoutMs} ms; received ${JSON.stringify(text.slice(-500))}`),
              );
            }, timeoutMs);
            const cleanup = () => {
              clearTimeout(timer);
              watchers.delete(check);
            };
            watchers.add(check);
            check();
          });
        },
        ended,
        pause: () => res.pause(),
        resume: () => res.resume(),
        close() {
          closed = true;
          req.destroy();
          notify();
        },
      };
      resolve(stream);
    });
    req.end(method === 'POST' ? JSON.stringify({ query, variables: options.variables }) : undefined);
  });
}

/** The blocks of an event stream, each with its closing blank line. */
export function sseBlocks(text: string): string[] {
  const blocks: string[] = [];
  let start = 0;
  for (let end = text.indexOf('\n\n'); end >= 0; end = text.indexOf('\n\n', start)) {
    blocks.push(text.slice(start, end + 2));
    start = end + 2;
  }
  return blocks;
}

/** The JSON of an `event: next` block. */
export function sseData<T = { data?: unknown; errors?: { extensions?: { code?: string } }[] }>(
  block: string,
): T {
  const line = block.split('\n').find((l) => l.startsWith('data: '));
  if (!line) throw new Error(`no data line in ${JSON.stringify(block)}`);
  return JSON.parse(line.slice('data: '.length)) as T;
}
