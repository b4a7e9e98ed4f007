/** Raw HTTP access to a simulator for tests: requests with the CA and token, and line-by-line watch streams. */
import type { IncomingMessage } from 'node:http';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createInterface } from 'node:readline';
import type { SimulatorHandle } from '../../src/sim/index.js';

export interface ApiResponse<T = unknown> {
  status: number;
  headers: IncomingMessage['headers'];
  body: T;
  text: string;
}

export interface RequestOptions {
  method?: string;
  body?: unknown;
  contentType?: string;
  accept?: string;
  token?: string | null;
  /** Extra request headers; an array sends the header once per value (Impersonate-Group). */
  headers?: Record<string, string | string[]>;
}

function send(sim: SimulatorHandle, path: string, opts: RequestOptions): Promise<IncomingMessage> {
  const url = new URL(path, sim.url);
  const headers: Record<string, string | string[]> = {
    Accept: opts.accept ?? 'application/json',
    ...opts.headers,
  };
  const token = opts.token === undefined ? sim.token : opts.token;
  if (token !== null) headers.Authorization = `Bearer ${token}`;
  let payload: string | undefined;
  if (opts.body !== undefined) {
    payload = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
    headers['Content-Type'] = opts.contentType ?? 'application/json';
    // Node does not chunk DELETE bodies by default: without a length the body would be lost.
    headers['Content-Length'] = String(Buffer.byteLength(payload));
  }
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: opts.method ?? 'GET', headers, ...(sim.caPem ? { ca: sim.caPem } : {}) },
      resolve,
    );
    req.on('error', reject);
    req.end(payload);
  });
}

export async function api<T = Record<string, unknown>>(
  sim: SimulatorHandle,
  path: string,
  opts: RequestOptions = {},
): Promise<ApiResponse<T>> {
  const res = await send(sim, path, opts);
  const chunks: Buffer[] = [];
  for await (const c of res) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON (e.g. /healthz)
  }
  return { status: res.statusCode ?? 0, headers: res.headers, body: body as T, text };
}

export interface WatchEvent {
  type: string;
  object: Record<string, unknown> & {
    metadata?: Record<string, unknown>;
    code?: number;
    message?: string;
    reason?: string;
  };
}

/** An open watch: `next()` resolves with the next event (or rejects after `timeoutMs`); `ended` when the server closes. */
export interface WatchStream {
  status: number;
  next(timeoutMs?: number): Promise<WatchEvent>;
  /** Collects events until `predicate` holds for one; returns them all. */
  until(predicate: (e: WatchEvent) => boolean, timeoutMs?: number): Promise<WatchEvent[]>;
  ended: Promise<void>;
  close(): void;
}

export async function watch(
  sim: SimulatorHandle,
  path: string,
  opts: RequestOptions = {},
): Promise<WatchStream> {
  const res = await send(sim, path, opts);
  const queue: WatchEvent[] = [];
  const waiters: Array<(e: WatchEvent) => void> = [];
  const lines = createInterface({ input: res });
  // A server-side close surfaces as an 'aborted' error on the response; for a watch that is just its end.
  lines.on('error', () => undefined);
  lines.on('line', (line) => {
    if (!line.trim()) return;
    const e = JSON.parse(line) as WatchEvent;
    const w = waiters.shift();
    if (w) w(e);
    else queue.push(e);
  });
  const ended = new Promise<void>((resolve) => {
    res.on('end', resolve);
    res.on('close', resolve);
    res.on('error', () => resolve());
  });
  const next = (timeoutMs = 5_000): Promise<WatchEvent> => {
    const queued = queue.shift();
    if (queued) return Promise.resolve(queued);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const i = waiters.indexOf(onEvent);
        if (i >= 0) waiters.splice(i, 1);
        reject(new Error(`no watch event within ${timeoutMs} ms`));
      }, timeoutMs);
      const onEvent = (e: WatchEvent): void => {
        clearTimeout(timer);
        resolve(e);
      };
      waiters.push(onEvent);
    });
  };
  return {
    status: res.statusCode ?? 0,
    next,
    async until(predicate, timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      const seen: WatchEvent[] = [];
      for (;;) {
        const e = await next(Math.max(1, deadline - Date.now()));
        seen.push(e);
        if (predicate(e)) return seen;
      }
    },
    ended,
    close: () => res.destroy(),
  };
}

export type Obj = Record<string, unknown> & {
  metadata?: Record<string, unknown> & {
    name?: string;
    namespace?: string;
    resourceVersion?: string;
    labels?: Record<string, string>;
  };
};
export interface ListBody {
  kind: string;
  metadata: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  items: Obj[];
}
