import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { type DocumentNode, print } from 'graphql';
import { type Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';

export type { TypedDocumentNode } from '@graphql-typed-document-node/core';

export interface GraphQLResponse<TData> {
  data?: TData | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
  extensions?: Record<string, unknown>;
}

/**
 * The variables argument of an operation: optional when every variable is (codegen types an
 * operation without variables as `{ [key: string]: never }`, which `{}` satisfies too).
 */
export type VariablesArg<TVariables> =
  Record<string, never> extends TVariables ? [variables?: TVariables] : [variables: TVariables];

const printed = new WeakMap<DocumentNode, string>();

/** The text of a document, printed once (the same document is sent many times). */
export function printDocument(document: DocumentNode): string {
  let text = printed.get(document);
  if (text === undefined) {
    text = print(document);
    printed.set(document, text);
  }
  return text;
}

async function post<TData>(
  graphqlUrl: string,
  query: string,
  variables: unknown,
  headers: Readonly<Record<string, string>> = {},
): Promise<GraphQLResponse<TData>> {
  const res = await fetch(graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as GraphQLResponse<TData>;
}

/** A query or mutation over HTTP POST. */
export function postGraphQL<TResult, TVariables>(
  graphqlUrl: string,
  document: TypedDocumentNode<TResult, TVariables>,
  ...[variables]: VariablesArg<TVariables>
): Promise<GraphQLResponse<TResult>> {
  return post(graphqlUrl, printDocument(document), variables);
}

/** A query or mutation over HTTP POST with extra headers (e.g. `authorization: Bearer ...`). */
export function postGraphQLWith<TResult, TVariables>(
  graphqlUrl: string,
  headers: Readonly<Record<string, string>>,
  document: TypedDocumentNode<TResult, TVariables>,
  ...[variables]: VariablesArg<TVariables>
): Promise<GraphQLResponse<TResult>> {
  return post(graphqlUrl, printDocument(document), variables, headers);
}

/**
 * Any string as the query, untyped: only for tests that send text no document can hold
 * (malformed or hostile input).
 */
export function postRaw(
  graphqlUrl: string,
  query: string,
  variables?: Record<string, unknown>,
): Promise<GraphQLResponse<Record<string, unknown>>> {
  return post(graphqlUrl, query, variables);
}

/** A subscription whose events queue up until the test takes them; `next` awaits the next one. */
export interface TestSubscription<TData> {
  next(timeoutMs?: number): Promise<GraphQLResponse<TData>>;
  /** Resolves when the server completes the stream (or rejects with its error). */
  readonly done: Promise<void>;
  readonly received: GraphQLResponse<TData>[];
  close(): void;
}

class EventQueue<T> {
  readonly received: T[] = [];
  private taken = 0;
  private waiters: (() => void)[] = [];
  ended = false;
  failure: unknown;

  push(item: T): void {
    this.received.push(item);
    this.wake();
  }
  end(err?: unknown): void {
    this.ended = true;
    this.failure = err;
    this.wake();
  }
  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }
  async next(timeoutMs: number, label: string): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    while (this.taken >= this.received.length) {
      if (this.ended)
        throw new Error(
          `${label} ended${this.failure ? `: ${String(this.failure)}` : ''} with no further event`,
        );
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error(`${label}: no event within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remaining);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.received[this.taken++]!;
  }
}

export function createWsClient(
  wsUrl: string,
  options: { headers?: Record<string, string>; connectionParams?: Record<string, unknown> } = {},
): Client {
  return createClient({
    url: wsUrl,
    connectionParams: options.connectionParams,
    webSocketImpl: class extends WebSocket {
      constructor(address: string, protocols?: string | string[]) {
        super(address, protocols, { headers: options.headers });
      }
    },
    retryAttempts: 0,
    lazy: true,
  });
}

export function subscribeWs<TResult, TVariables>(
  client: Client,
  document: TypedDocumentNode<TResult, TVariables>,
  ...[variables]: VariablesArg<TVariables>
): TestSubscription<TResult> {
  const queue = new EventQueue<GraphQLResponse<TResult>>();
  let resolveDone!: () => void;
  let rejectDone!: (err: unknown) => void;
  const done = new Promise<void>((resolve, reject) => {
    resolveDone = resolve;
    rejectDone = reject;
  });
  done.catch(() => {});
  const dispose = client.subscribe<TResult>(
    { query: printDocument(document), variables: variables as Record<string, unknown> | undefined },
    {
      next: (value) => queue.push(value as GraphQLResponse<TResult>),
      error: (err) => {
        queue.end(err);
        rejectDone(err);
      },
      complete: () => {
        queue.end();
        resolveDone();
      },
    },
  );
  return {
    next: (timeoutMs = 5000) => queue.next(timeoutMs, 'graphql-ws subscription'),
    done,
    received: queue.received,
    close: dispose,
  };
}

/** A subscription over Server-Sent Events (graphql-yoga's SSE transport). */
export function subscribeSse<TResult, TVariables>(
  graphqlUrl: string,
  document: TypedDocumentNode<TResult, TVariables>,
  ...[variables]: VariablesArg<TVariables>
): TestSubscription<TResult> {
  const queue = new EventQueue<GraphQLResponse<TResult>>();
  const query = printDocument(document);
  const abort = new AbortController();
  const done = (async () => {
    const res = await fetch(graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query, variables }),
      signal: abort.signal,
    });
    if (!res.ok || !res.body) throw new Error(`SSE request failed: HTTP ${res.status}`);
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of res.body) {
      buffer += decoder.decode(chunk as Uint8Array, { stream: true });
      let boundary = buffer.indexOf('\n\n');
      while (boundary >= 0) {
        const block = buffer.slice(0, boundary);
        buffer = buffer.slice(boundary + 2);
        boundary = buffer.indexOf('\n\n');
        const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
        const data = block
          .split('\n')
          .filter((l) => l.startsWith('data:'))
          .map((l) => l.slice(5).trimStart())
          .join('\n');
        if (event === 'complete') return;
        if (data) queue.push(JSON.parse(data) as GraphQLResponse<TResult>);
      }
    }
  })().then(
    () => queue.end(),
    (err: unknown) => {
      queue.end(abort.signal.aborted ? undefined : err);
      if (!abort.signal.aborted) throw err;
    },
  );
  done.catch(() => {});
  return {
    next: (timeoutMs = 5000) => queue.next(timeoutMs, 'SSE subscription'),
    done,
    received: queue.received,
    close: () => abort.abort(),
  };
}
