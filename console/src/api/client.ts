import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { type Client, createClient } from 'graphql-ws';
import { storedToken } from './token.js';

/** A GraphQL error as the gateway words it: extensions.code says what kind. */
export interface ApiError {
  message: string;
  code?: string;
  path?: readonly (string | number)[];
}

export interface ApiResult<T> {
  data?: T | null;
  errors?: ApiError[];
}

export class ApiFailure extends Error {
  constructor(
    readonly errors: ApiError[],
    readonly status?: number,
  ) {
    super(errors.map((e) => e.message).join('; '));
  }

  get code(): string | undefined {
    return this.errors[0]?.code;
  }
}

/** The page is served by the gateway: /console/ and /graphql share the origin (and any prefix). */
const GRAPHQL_URL = new URL('../graphql', document.baseURI);

const printed = new WeakMap<object, string>();
function source(document: TypedDocumentNode<unknown, never>): string {
  let text = printed.get(document);
  if (!text) {
    text = print(document);
    printed.set(document, text);
  }
  return text;
}

function authorization(): Record<string, string> {
  const token = storedToken();
  return token ? { authorization: `Bearer ${token}` } : {};
}

/** One query or mutation over HTTP (JSON POST: what the gateway's CSRF rules expect of a page). */
export async function request<T, V>(
  document: TypedDocumentNode<T, V>,
  variables: V,
  signal?: AbortSignal,
): Promise<ApiResult<T>> {
  const res = await fetch(GRAPHQL_URL, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
      ...authorization(),
    },
    body: JSON.stringify({ query: source(document as TypedDocumentNode<unknown, never>), variables }),
    signal,
  });
  const body = (await res.json().catch(() => ({}))) as {
    data?: T | null;
    errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string } }[];
  };
  const errors = body.errors?.map((e) => ({ message: e.message, code: e.extensions?.code, path: e.path }));
  if (!res.ok && !body.data) throw new ApiFailure(errors ?? [{ message: `HTTP ${res.status}` }], res.status);
  return { data: body.data, errors };
}

/** The data of a request, or an ApiFailure when the answer has errors and no data for it. */
export async function requestData<T, V>(document: TypedDocumentNode<T, V>, variables: V): Promise<T> {
  const result = await request(document, variables);
  if (result.errors?.length && !result.data) throw new ApiFailure(result.errors);
  if (result.errors?.length && result.data && Object.values(result.data).every((v) => v === null))
    throw new ApiFailure(result.errors);
  return result.data as T;
}

let wsClient: Client | undefined;

/** One graphql-ws socket for every subscription; the token goes in connection_init. */
export function subscriptions(): Client {
  wsClient ??= createClient({
    url: GRAPHQL_URL.href.replace(/^http/, 'ws'),
    connectionParams: () => authorization(),
    lazy: true,
    retryAttempts: Number.POSITIVE_INFINITY,
    // Backoff with jitter, capped at 5 s: a restarting gateway is back within seconds.
    retryWait: async (retries) => {
      await new Promise((r) => setTimeout(r, Math.min(5000, 500 * 2 ** retries) * (0.5 + Math.random())));
    },
    shouldRetry: () => true,
  });
  return wsClient;
}

/** After sign-in or sign-out: the next subscription opens a socket with the new token. */
export function resetSubscriptions(): void {
  void wsClient?.dispose();
  wsClient = undefined;
}

export interface Subscription<T> {
  next(value: ApiResult<T>): void;
  error(error: unknown): void;
  complete(): void;
}

export function subscribe<T, V>(
  document: TypedDocumentNode<T, V>,
  variables: V,
  sink: Subscription<T>,
): () => void {
  return subscriptions().subscribe<T>(
    {
      query: source(document as TypedDocumentNode<unknown, never>),
      variables: variables as Record<string, unknown>,
    },
    {
      next: (value) =>
        sink.next({
          data: value.data as T | null | undefined,
          errors: value.errors?.map((e) => ({
            message: e.message,
            code: (e.extensions as { code?: string } | undefined)?.code,
          })),
        }),
      error: (err) => sink.error(err),
      complete: () => sink.complete(),
    },
  );
}

/** Subscribe once the socket (re)connects: the node list resumes with `since` after each reconnect. */
export function onReconnected(listener: () => void): () => void {
  let connectedBefore = false;
  return subscriptions().on('connected', () => {
    if (connectedBefore) listener();
    connectedBefore = true;
  });
}
