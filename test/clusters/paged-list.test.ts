import { getEventListeners } from 'node:events';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import { KubeApiError } from '../../src/clusters/kube-api-error.js';
import { KubeHttpClient } from '../../src/clusters/kube-client.js';
import { type PagedListClient, streamPagedList } from '../../src/clusters/paged-list.js';
import { waitFor } from '../support/wait-for.js';

/** One GET of the chain as the server saw it. */
interface SeenRequest {
  page: number;
  continueToken: string | undefined;
  /** Set once the client has gone (the response ended, or the client dropped the call). */
  closed: boolean;
  /** Pages whose body had been fully sent when this request arrived. */
  pagesSentBefore: number;
}

/** How the server answers page `page`: send `head` (metadata) then `rest`, or do something else. */
type PageHandler = (page: number, res: http.ServerResponse, seen: SeenRequest[]) => void | Promise<void>;

const PAGES = 4;
const ROWS = 3;

/** A page's head; `continueToken` null = the last page. */
function head(
  page: number,
  continueToken: string | null = page + 1 < PAGES ? String(page + 1) : null,
): string {
  const meta = continueToken === null ? {} : { continue: continueToken };
  return `{"kind":"List","metadata":${JSON.stringify(meta)},"items":[`;
}

function rest(page: number): string {
  const items = Array.from({ length: ROWS }, (_, i) => JSON.stringify({ page, i, pad: 'x'.repeat(200) }));
  return `${items.join(',')}]}`;
}

let stop: (() => Promise<void>) | undefined;
afterEach(async () => {
  await stop?.();
  stop = undefined;
});

async function pagedServer(handle: PageHandler) {
  const seen: SeenRequest[] = [];
  let pagesSent = 0;
  const sockets = new Set<Socket>();
  const server = http.createServer((req, res) => {
    const token = new URL(req.url ?? '/', 'http://x').searchParams.get('continue') ?? undefined;
    const entry: SeenRequest = {
      page: token === undefined ? 0 : Number(token),
      continueToken: token,
      closed: false,
      pagesSentBefore: pagesSent,
    };
    seen.push(entry);
    res.on('close', () => {
      entry.closed = true;
    });
    res.on('finish', () => {
      pagesSent++;
    });
    void handle(entry.page, res, seen);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: [{ name: 'c', server: url, skipTLSVerify: true }],
    users: [{ name: 'u', token: 't' }],
    contexts: [{ name: 'c', cluster: 'c', user: 'u' }],
    currentContext: 'c',
  });
  const client = new KubeHttpClient({ cluster: 'c', kubeConfig, apiTimeoutMs: 5000 });
  stop = async () => {
    client.close();
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return { client, seen };
}

/** Streams the chain and records what the sink saw, in order. */
async function list(client: PagedListClient, options: { timeoutMs?: number; signal?: AbortSignal } = {}) {
  const elements: { page: number; i: number }[] = [];
  const result = await streamPagedList(
    client,
    { path: '/api/v1/things', pageSize: ROWS, timeoutMs: options.timeoutMs ?? 2000, signal: options.signal },
    { onMember() {}, onElement: (_key, value) => void elements.push(value as { page: number; i: number }) },
  ).catch((err: unknown) => err);
  return { result, elements };
}

const inOrder = (pages: number) =>
  Array.from({ length: pages * ROWS }, (_, n) => ({ page: Math.floor(n / ROWS), i: n % ROWS }));

/** The elements without their padding. */
const trimmed = (elements: { page: number; i: number }[]) => elements.map(({ page, i }) => ({ page, i }));

describe('streamPagedList reads one page ahead', () => {
  it('asks for page N+1 once page N has sent its continue token, before its body ends', async () => {
    // Each page holds back its items until the next page has been asked for (or, on the
    // last page, at once): without reading ahead this chain would stall.
    const waiting = new Map<number, () => void>();
    const { client, seen } = await pagedServer((page, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write(head(page));
      const finish = () => res.end(rest(page));
      if (page + 1 < PAGES) waiting.set(page + 1, finish);
      else finish();
      waiting.get(page)?.();
    });
    const { result, elements } = await list(client);
    expect(result).toEqual({ pages: PAGES });
    expect(trimmed(elements)).toEqual(inOrder(PAGES));
    expect(seen.map((r) => r.continueToken)).toEqual([undefined, '1', '2', '3']);
    // Page N+1 was asked for while page N was still being sent.
    for (const r of seen.slice(1)) expect(r.pagesSentBefore).toBe(r.page - 1);
  });

  it('keeps at most one call ahead of the page it reads', async () => {
    let inFlight = 0;
    let most = 0;
    const { client } = await pagedServer((page, res) => {
      inFlight++;
      most = Math.max(most, inFlight);
      res.on('close', () => inFlight--);
      res.writeHead(200);
      res.write(head(page));
      setImmediate(() => res.end(rest(page)));
    });
    const { result, elements } = await list(client);
    expect(result).toEqual({ pages: PAGES });
    expect(trimmed(elements)).toEqual(inOrder(PAGES));
    expect(most).toBeLessThanOrEqual(2);
  });

  it('ends the chain at a page without a continue token, asking for nothing more', async () => {
    const { client, seen } = await pagedServer((page, res) => {
      res.writeHead(200);
      res.end(head(page, page === 1 ? null : String(page + 1)) + rest(page));
    });
    const { result, elements } = await list(client);
    expect(result).toEqual({ pages: 2 });
    expect(trimmed(elements)).toEqual(inOrder(2));
    expect(seen).toHaveLength(2);
  });

  it('follows the last metadata of a page when it repeats it, dropping the call sent ahead', async () => {
    const { client, seen } = await pagedServer((page, res) => {
      res.writeHead(200);
      // JSON's last member wins: the second metadata says this is the last page.
      res.end(`{"metadata":{"continue":"1"},"items":[${rest(page).slice(0, -1)},"metadata":{}}`);
    });
    const { result, elements } = await list(client);
    expect(result).toEqual({ pages: 1 });
    expect(trimmed(elements)).toEqual(inOrder(1));
    await waitFor(() => seen.every((r) => r.closed), { what: 'the call sent ahead to be closed' });
  });

  it('fails with GONE when the continue token expires mid-chain, after the pages before it', async () => {
    const { client, seen } = await pagedServer((page, res) => {
      if (page === 2) {
        res.writeHead(410, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({ kind: 'Status', code: 410, reason: 'Expired', message: 'continue expired' }),
        );
        return;
      }
      res.writeHead(200);
      res.end(head(page) + rest(page));
    });
    const { result, elements } = await list(client);
    expect(result).toBeInstanceOf(KubeApiError);
    expect(result).toMatchObject({ kind: 'GONE', statusCode: 410 });
    expect(trimmed(elements)).toEqual(inOrder(2));
    expect(seen.map((r) => r.page)).toEqual([0, 1, 2]);
  });

  it('fails with TIMEOUT when a page sent ahead never answers', async () => {
    const { client, seen } = await pagedServer((page, res) => {
      if (page === 1) return; // no headers, ever
      res.writeHead(200);
      res.end(head(page) + rest(page));
    });
    const started = Date.now();
    const { result, elements } = await list(client, { timeoutMs: 300 });
    expect(result).toMatchObject({ kind: 'TIMEOUT' });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(trimmed(elements)).toEqual(inOrder(1));
    await waitFor(() => seen.every((r) => r.closed), { what: 'the timed-out call to be closed' });
  });

  it('fails with TIMEOUT when the body of a page sent ahead stalls', async () => {
    const { client } = await pagedServer((page, res) => {
      res.writeHead(200);
      if (page === 2) res.write(head(page));
      else res.end(head(page) + rest(page));
    });
    const { result, elements } = await list(client, { timeoutMs: 300 });
    expect(result).toMatchObject({ kind: 'TIMEOUT' });
    expect(trimmed(elements)).toEqual(inOrder(2));
  });

  it('fails on a truncated body and drops the call it sent ahead', async () => {
    let endPage0: (() => void) | undefined;
    const { client, seen } = await pagedServer((page, res) => {
      res.writeHead(200);
      if (page === 0) {
        // The head first, so the call ahead leaves; once it has, the body ends mid-item.
        res.write(head(page));
        endPage0 = () => res.end(rest(page).slice(0, 100));
        return;
      }
      // page 1 (asked for ahead) never answers: the failed chain must hang up on it.
      endPage0?.();
    });
    const { result } = await list(client);
    expect(result).toMatchObject({ kind: 'SERVER_ERROR' });
    expect(String((result as Error).message)).toMatch(/malformed/);
    expect(seen.map((r) => r.page)).toEqual([0, 1]);
    await waitFor(() => seen.every((r) => r.closed), { what: 'the call sent ahead to be closed' });
  });

  it('fails with UNAVAILABLE when the connection of a page sent ahead drops while it waits', async () => {
    let endPage0: (() => void) | undefined;
    const { client } = await pagedServer((page, res) => {
      res.writeHead(200);
      res.write(head(page), () => {
        if (page === 0) endPage0 = () => res.end(rest(page));
        else res.socket?.destroy();
      });
    });
    // Page 0 ends only once the client has seen page 1's connection drop, so page 1 broke
    // while it waited (its events passed before the chain turned to it).
    const watching: PagedListClient = {
      cluster: client.cluster,
      async stream(req) {
        const res = await client.stream(req);
        if (req.query?.continue === '1') res.body.once('close', () => endPage0?.());
        return res;
      },
    };
    const { result, elements } = await list(watching);
    expect(result).toMatchObject({ kind: 'UNAVAILABLE' });
    expect(trimmed(elements)).toEqual(inOrder(1));
  });

  it('stops when its signal aborts and leaves no listener on the signal', async () => {
    const controller = new AbortController();
    const { client, seen } = await pagedServer((page, res) => {
      res.writeHead(200);
      res.write(head(page));
      if (page === 1) controller.abort();
      else res.end(rest(page));
    });
    const { result } = await list(client, { signal: controller.signal });
    expect(result).toMatchObject({ kind: 'UNAVAILABLE' });
    await waitFor(() => seen.every((r) => r.closed), { what: 'every call to be closed' });
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('leaves no listener on a long-lived signal after a chain that succeeded', async () => {
    const controller = new AbortController();
    const { client } = await pagedServer((page, res) => {
      res.writeHead(200);
      res.end(head(page) + rest(page));
    });
    const { result } = await list(client, { signal: controller.signal });
    expect(result).toEqual({ pages: PAGES });
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });
});
