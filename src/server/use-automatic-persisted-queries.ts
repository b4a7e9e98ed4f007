import { createHash } from 'node:crypto';
import type { Plugin } from 'graphql-yoga';
import { Gauge, type Registry } from 'prom-client';
import { gatewayError } from '../resolvers/graphql-errors.js';
import type { GatewayContext } from './context.js';

export interface ApqStoreOptions {
  /** Most documents kept. @default 1000 */
  maxEntries?: number;
  /** Most bytes of document text kept (UTF-16 length, which bounds the heap they take). @default 4 MiB */
  maxBytes?: number;
  registry?: Registry;
}

/**
 * Documents registered through Automatic Persisted Queries, least recently used evicted first.
 * Any client can register documents, so both the count and the bytes are bounded: 2000 distinct
 * registrations cost no more memory than the bound.
 */
export class ApqStore {
  private readonly documents = new Map<string, string>();
  private bytes = 0;
  private readonly maxEntries: number;
  private readonly maxBytes: number;
  private readonly sizeGauge: Gauge<'measure'> | undefined;

  constructor(options: ApqStoreOptions = {}) {
    this.maxEntries = options.maxEntries ?? 1000;
    this.maxBytes = options.maxBytes ?? 4 * 1024 * 1024;
    if (options.registry) {
      this.sizeGauge = new Gauge({
        name: 'gateway_apq_documents',
        help: 'Automatic persisted queries kept (measure="entries") and their text size (measure="bytes")',
        labelNames: ['measure'],
        registers: [options.registry],
        collect: () => this.report(),
      });
    }
  }

  get size(): number {
    return this.documents.size;
  }

  get byteSize(): number {
    return this.bytes;
  }

  get(hash: string): string | undefined {
    const document = this.documents.get(hash);
    if (document === undefined) return undefined;
    // Re-insert: a Map iterates in insertion order, so the first key is the least recently used.
    this.documents.delete(hash);
    this.documents.set(hash, document);
    return document;
  }

  set(hash: string, document: string): void {
    if (document.length > this.maxBytes) return;
    const previous = this.documents.get(hash);
    if (previous !== undefined) {
      this.documents.delete(hash);
      this.bytes -= previous.length;
    }
    this.documents.set(hash, document);
    this.bytes += document.length;
    while (this.documents.size > this.maxEntries || this.bytes > this.maxBytes) {
      const [oldest, text] = this.documents.entries().next().value as [string, string];
      this.documents.delete(oldest);
      this.bytes -= text.length;
    }
  }

  private report(): void {
    this.sizeGauge?.set({ measure: 'entries' }, this.documents.size);
    this.sizeGauge?.set({ measure: 'bytes' }, this.bytes);
  }
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** `extensions.persistedQuery.sha256Hash` of Apollo's APQ protocol (version 1), if present. */
export function apqHashOf(extensions: unknown): string | undefined {
  if (typeof extensions !== 'object' || extensions === null) return undefined;
  const pq = (extensions as { persistedQuery?: unknown }).persistedQuery;
  if (typeof pq !== 'object' || pq === null) return undefined;
  const { version, sha256Hash } = pq as { version?: unknown; sha256Hash?: unknown };
  return version === 1 && typeof sha256Hash === 'string' ? sha256Hash : undefined;
}

/**
 * The registering half of Automatic Persisted Queries (Apollo's protocol): a request with both a
 * query and `extensions.persistedQuery.sha256Hash` stores the query under its hash, after
 * checking the hash is the query's, so a client cannot plant a document under another one's hash.
 * The lookup half (a hash alone) is use-trusted-documents' getPersistedOperation, which asks the
 * store when the trusted documents do not hold the hash.
 */
export function useAutomaticPersistedQueries(store: ApqStore): Plugin<GatewayContext> {
  return {
    onParams({ params }) {
      const hash = apqHashOf(params.extensions);
      if (hash === undefined || typeof params.query !== 'string' || params.query === '') return;
      if (sha256Hex(params.query) !== hash.toLowerCase()) {
        throw gatewayError('BAD_USER_INPUT', 'provided sha does not match query');
      }
      store.set(hash.toLowerCase(), params.query);
    },
  };
}
