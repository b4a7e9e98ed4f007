import type { IncomingMessage } from 'node:http';
import { type JsonListHandlers, JsonListSplitter } from './json-list-splitter.js';
import { KubeApiError } from './kube-api-error.js';
import type { KubeClient, QueryValue } from './kube-client.js';
import { type PageCall, PageCalls } from './page-calls.js';

/** The one KubeClient call a paged LIST needs. */
export type PagedListClient = Pick<KubeClient, 'cluster' | 'stream'>;

/** ListMeta of a list or Table response. */
export interface KubeListMeta {
  resourceVersion?: string;
  continue?: string;
  remainingItemCount?: number;
}

export interface PagedListRequest {
  /** Collection path, e.g. `/api/v1/pods` or `/api/v1/namespaces/x/pods`. */
  path: string;
  query?: Record<string, QueryValue>;
  accept?: string;
  /** `limit` of each page (0 = one unpaged LIST); a server may ignore it and answer everything at once. */
  pageSize: number;
  /** Deadline of each page's call, headers and body together. */
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface PagedListResult {
  pages: number;
}

/** Top-level arrays whose elements are handed out one at a time: PodList items, Table rows. */
const SPLIT_ARRAYS: ReadonlySet<string> = new Set(['items', 'rows']);

/**
 * Runs one LIST continue chain: page after page (`limit` + `continue`) until the server
 * returns no continue token. Each page's body is parsed while it streams in, element by
 * element, so memory holds one element at a time whatever page size the server honours.
 * `sink` sees every page's top-level members (kind, metadata, columnDefinitions) and elements,
 * page after page, in order.
 *
 * Reads one page ahead: a list's continue token comes in its metadata, at the head of the body,
 * so the next page is asked for as soon as the token has been read, and the server (and the
 * network) prepare page N+1 while page N is parsed. Still one chain of sequential continues, and
 * never more than one call ahead; its body waits in the socket (backpressure) until page N ends.
 *
 * An expired continue token (410) is not retried: the caller sees a GONE KubeApiError.
 */
export async function streamPagedList(
  client: PagedListClient,
  req: PagedListRequest,
  sink: JsonListHandlers,
): Promise<PagedListResult> {
  const chain = new AbortController();
  const abortChain = () => chain.abort();
  if (req.signal?.aborted) chain.abort();
  else req.signal?.addEventListener('abort', abortChain, { once: true });
  const calls = new PageCalls(client, { ...req, signal: chain.signal });
  let pages = 0;
  let continueToken: string | undefined;
  try {
    do {
      const meta = await streamOnePage(calls.take(continueToken), req, client.cluster, sink, (token) =>
        calls.sendAhead(token),
      );
      pages++;
      continueToken = meta.continue || undefined;
    } while (continueToken !== undefined);
    return { pages };
  } catch (err) {
    chain.abort();
    throw err;
  } finally {
    calls.abandon();
    req.signal?.removeEventListener('abort', abortChain);
  }
}

async function streamOnePage(
  call: PageCall,
  req: PagedListRequest,
  cluster: string,
  sink: JsonListHandlers,
  onContinue: (token: string) => void,
): Promise<KubeListMeta> {
  // The body's deadline runs from when the chain turns to the page, also when it was sent ahead:
  // reading ahead never shortens a page's time. (Its headers had timeoutMs from when it was sent.)
  const deadline = Date.now() + req.timeoutMs;
  const res = await call.response;
  let meta: KubeListMeta = {};
  let readAhead = false;
  const handlers: JsonListHandlers = {
    onMember(key, value) {
      if (key === 'metadata' && value && typeof value === 'object') {
        meta = value as KubeListMeta;
        if (!readAhead && meta.continue) {
          readAhead = true;
          onContinue(meta.continue);
        }
      }
      sink.onMember(key, value);
    },
    onElement: (key, value) => sink.onElement(key, value),
  };
  if (sink.onElementBytes) handlers.onElementBytes = (key, bytes) => sink.onElementBytes!(key, bytes);
  const splitter = new JsonListSplitter(SPLIT_ARRAYS, handlers);
  const what = `LIST ${req.path} on cluster ${cluster}`;
  await pipeBody(res.body, splitter, Math.max(1, deadline - Date.now()), what).finally(() => res.close());
  return meta;
}

/** Feeds a response body into the splitter, failing at the deadline or on a broken body. */
function pipeBody(body: IncomingMessage, splitter: JsonListSplitter, timeoutMs: number, what: string) {
  return new Promise<void>((resolve, reject) => {
    let settled = false;
    const fail = (err: KubeApiError) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      body.removeAllListeners('data');
      body.destroy();
      reject(err);
    };
    const timer = setTimeout(
      () => fail(new KubeApiError('TIMEOUT', `${what}: reading the page timed out after ${timeoutMs} ms`, 0)),
      timeoutMs,
    );
    body.on('data', (chunk: Buffer) => {
      try {
        splitter.write(chunk);
      } catch (err) {
        fail(malformed(what, err));
      }
    });
    body.on('end', () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      try {
        splitter.end();
        resolve();
      } catch (err) {
        reject(malformed(what, err));
      }
    });
    body.on('error', (err) => fail(unavailable(what, err)));
    body.on('close', () => {
      if (!body.complete) fail(new KubeApiError('UNAVAILABLE', `${what}: the connection closed mid-page`, 0));
    });
    // A page read ahead may have broken while it waited; its events have passed.
    if (body.errored) fail(unavailable(what, body.errored));
    else if (body.destroyed && !body.complete)
      fail(new KubeApiError('UNAVAILABLE', `${what}: the connection closed mid-page`, 0));
  });
}

function unavailable(what: string, err: Error): KubeApiError {
  return new KubeApiError('UNAVAILABLE', `${what}: ${err.message}`, 0, undefined, { cause: err });
}

/** A sink's own KubeApiError passes through; anything else thrown while parsing is a bad body. */
function malformed(what: string, err: unknown): KubeApiError {
  if (err instanceof KubeApiError) return err;
  return new KubeApiError('SERVER_ERROR', `${what}: malformed response: ${String(err)}`, 200, undefined, {
    cause: err,
  });
}
