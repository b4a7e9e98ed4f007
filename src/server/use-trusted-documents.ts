import { readFileSync } from 'node:fs';
import { usePersistedOperations } from '@graphql-yoga/plugin-persisted-operations';
import type { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Registry } from 'prom-client';
import type { GatewayConfig } from '../config/gateway-config.js';
import { UsageError } from '../platform/usage-error.js';
import { gatewayError } from '../resolvers/graphql-errors.js';
import type { GatewayContext } from './context.js';
import { ApqStore, apqHashOf, useAutomaticPersistedQueries } from './use-automatic-persisted-queries.js';

/** What a client sends instead of (or beside) a query: `documentId`, or APQ's hash. */
export interface PersistedRequest {
  readonly query?: unknown;
  readonly documentId?: unknown;
  readonly extensions?: unknown;
}

/** The one request field yoga must accept beside query, variables, operationName and extensions. */
export const DOCUMENT_ID_PARAM = 'documentId';

/**
 * Trusted documents: the manifest GraphQL Code Generator's client preset writes
 * (`persistedDocuments: true` -> persisted-documents.json, hash -> document), run by
 * `documentId` or `extensions.persistedQuery.sha256Hash`; and Automatic Persisted Queries, whose
 * documents any client registers by sending the query with its sha256 once.
 *
 * With `only` (--persisted-operations-only), a document not in the manifest is refused FORBIDDEN
 * and APQ registers nothing: the gateway runs exactly the documents its portals were built with.
 * An unknown id is PERSISTED_QUERY_NOT_FOUND in both modes (APQ clients then send the query).
 */
export class TrustedDocuments {
  constructor(
    private readonly manifest: ReadonlyMap<string, string>,
    readonly only: boolean,
    /** Absent when `only`: nothing may be registered. */
    readonly apq: ApqStore | undefined,
  ) {}

  /** From --persisted-operations and --persisted-operations-only; a bad file is a UsageError. */
  static fromConfig(config: GatewayConfig, registry?: Registry): TrustedDocuments {
    const file = config.persistedOperationsFile;
    if (config.persistedOperationsOnly && file === undefined) {
      throw new UsageError(['--persisted-operations-only needs --persisted-operations FILE']);
    }
    const manifest = file === undefined ? new Map<string, string>() : readManifest(file);
    return new TrustedDocuments(
      manifest,
      config.persistedOperationsOnly,
      config.persistedOperationsOnly ? undefined : new ApqStore({ registry }),
    );
  }

  get size(): number {
    return this.manifest.size;
  }

  /** By id as the manifest has it, or by the bare hash an APQ client sends for a `sha256:` id. */
  lookup(id: string): string | undefined {
    return this.manifest.get(id) ?? this.manifest.get(`sha256:${id}`) ?? this.apq?.get(id.toLowerCase());
  }

  /** The yoga plugins (HTTP and SSE); put them before any plugin that reads `params.query`. */
  plugins(): Plugin<GatewayContext>[] {
    const persisted = usePersistedOperations<GatewayContext>({
      getPersistedOperation: (id) => this.lookup(id) ?? null,
      allowArbitraryOperations: !this.only,
      extractPersistedOperationId: (params) => persistedIdOf(params) ?? null,
      customErrors: {
        notFound: () => notFound(),
        persistedQueryOnly: () => arbitraryRefused(),
        keyNotFound: () =>
          gatewayError(
            'BAD_USER_INPUT',
            'send a query, a documentId or extensions.persistedQuery.sha256Hash',
          ),
      },
    }) as Plugin<GatewayContext>;
    return this.apq ? [persisted, useAutomaticPersistedQueries(this.apq)] : [persisted];
  }

  /**
   * The query text of a graphql-ws subscribe message, by the same rules as over HTTP (yoga's
   * onParams does not run for WebSocket operations). graphql-ws requires `query`; an empty
   * string with a documentId or hash asks for a persisted document.
   */
  resolveWsQuery(payload: PersistedRequest): { query: string } | { errors: GraphQLError[] } {
    const query = typeof payload.query === 'string' ? payload.query : '';
    const id = persistedIdOf(payload);
    if (query !== '') {
      if (this.only) return { errors: [arbitraryRefused()] };
      return { query };
    }
    const found = id === undefined ? undefined : this.lookup(id);
    return found === undefined ? { errors: [notFound()] } : { query: found };
  }
}

function persistedIdOf(params: PersistedRequest): string | undefined {
  if (typeof params.documentId === 'string' && params.documentId !== '') return params.documentId;
  return apqHashOf(params.extensions);
}

function notFound(): GraphQLError {
  // The message is Apollo's: APQ clients match on it (or on the code) to resend with the query.
  return gatewayError('PERSISTED_QUERY_NOT_FOUND', 'PersistedQueryNotFound');
}

function arbitraryRefused(): GraphQLError {
  return gatewayError(
    'FORBIDDEN',
    'this gateway runs only trusted documents (--persisted-operations-only): send the documentId of a listed document',
  );
}

/** The manifest: a JSON object from id (hash) to document text. */
function readManifest(file: string): Map<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new UsageError([
      `--persisted-operations ${file} cannot be read as JSON: ${err instanceof Error ? err.message : String(err)}`,
    ]);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new UsageError([`--persisted-operations ${file} must be a JSON object of id -> document`]);
  }
  const manifest = new Map<string, string>();
  for (const [id, document] of Object.entries(parsed)) {
    if (typeof document !== 'string') {
      throw new UsageError([`--persisted-operations ${file}: the document of ${id} is not a string`]);
    }
    manifest.set(id, document);
  }
  return manifest;
}
