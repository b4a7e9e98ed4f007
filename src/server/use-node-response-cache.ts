import {
  type DocumentNode,
  type GraphQLSchema,
  getOperationAST,
  parse,
  TypeInfo,
  visit,
  visitWithTypeInfo,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { Counter, type Registry } from 'prom-client';
import { tokenHash } from '../auth/token-hash.js';
import { isFromNodeCache } from '../schema/from-node-cache.js';
import type { GatewayContext } from './context.js';
import type { GatewayServices } from './services.js';
import type { StreamingContext } from './streamed-lists.js';

/** Where cached answers come from: the node caches' change counters and the default cluster. */
export interface NodeAnswerVersion {
  /** Changes whenever a node query could be answered differently (not on heartbeats). */
  readonly version: number;
  /** Changes on heartbeat-only updates. */
  readonly heartbeats: number;
  readonly defaultCluster: string | undefined;
}

export interface NodeResponseCacheOptions {
  /** How long an answer may lag heartbeat-only updates (their timestamps). @default 1000 */
  heartbeatStalenessMs?: number;
  /** @default 64 MiB */
  maxBytes?: number;
  /** @default 256 */
  maxEntries?: number;
  /**
   * How long an authenticated caller's answer may be reused: no longer than their authorization
   * decision is (--authz-cache-ttl), since a hit skips the resolvers' checks. @default 30000
   */
  authzTtlMs?: number;
  registry?: Registry;
}

interface Entry {
  readonly body: string;
  readonly version: number;
  readonly heartbeats: number;
  readonly storedAt: number;
  /** Made for an authenticated caller: reused only by the same credentials, for authzTtlMs. */
  readonly authenticated: boolean;
}

/**
 * Reuses the serialized answer of a node query while the node caches have not changed: the
 * node list is the hottest path, and an answer made only of cached fields is a pure function
 * of (operation, variables, default cluster, cache version). Hits skip parsing, validation,
 * execution and serialization. Only queries whose every field carries the schema's
 * FROM_NODE_CACHE mark are eligible (pod counts and the like always execute), and only answers without errors or
 * extensions (a degraded, direct-LIST answer is never reused). Heartbeat-only updates let
 * an answer live `heartbeatStalenessMs` longer. Bounded by entries and bytes (LRU).
 */
export function useNodeResponseCache(
  source: NodeAnswerVersion,
  options: NodeResponseCacheOptions = {},
): Plugin<GatewayContext> {
  const staleness = options.heartbeatStalenessMs ?? 1000;
  const authzTtlMs = options.authzTtlMs ?? 30_000;
  const cache = new AnswerCache(options.maxEntries ?? 256, options.maxBytes ?? 64 * 1024 * 1024);
  const eligibility = new EligibilityMemo();
  const lookups = options.registry
    ? new Counter({
        name: 'gateway_node_response_cache_total',
        help: 'Node query answers by response-cache outcome (hit, miss; ineligible queries are not counted)',
        labelNames: ['outcome'],
        registers: [options.registry],
      })
    : undefined;
  // Keyed by the per-operation server context (yoga gives each operation of a batch its own).
  const pending = new WeakMap<
    object,
    { key: string; version: number; heartbeats: number; credentials: string }
  >();
  let schema: GraphQLSchema | undefined;

  return {
    onSchemaChange({ schema: next }) {
      schema = next;
      eligibility.clear();
    },
    onParams({ params, request, context, setResult }) {
      if (!schema || typeof params.query !== 'string') return;
      if (!eligibility.check(schema, params.query, params.operationName ?? undefined)) return;
      // Answers depend on who asks (a denied field is null): one person's answer is keyed by
      // their credentials, so it is never served to another.
      const credentials = credentialScope(request.headers.get('authorization'));
      const key = `${credentials}\u0000${source.defaultCluster}\u0000${params.operationName ?? ''}\u0000${params.query}\u0000${JSON.stringify(params.variables ?? {})}`;
      const hit = cache.get(key);
      const { version, heartbeats } = source;
      const now = Date.now();
      if (
        hit &&
        hit.version === version &&
        (hit.heartbeats === heartbeats || now - hit.storedAt < staleness) &&
        (!hit.authenticated || now - hit.storedAt < authzTtlMs)
      ) {
        lookups?.inc({ outcome: 'hit' });
        const body = hit.body;
        setResult({ data: null, stringify: () => body } as never);
        return;
      }
      lookups?.inc({ outcome: 'miss' });
      pending.set(context, { key, version, heartbeats, credentials });
    },
    onExecutionResult({ result, context }) {
      const miss = pending.get(context);
      if (!miss || Array.isArray(result) || Symbol.asyncIterator in (result as object)) return;
      pending.delete(context);
      // A streamed answer (use-streamed-lists.ts) is never kept: see there why.
      if ((context as StreamingContext).streamedLists?.lists.length) return;
      const caller = (context as Partial<GatewayContext>).caller;
      const authenticated = caller ? !caller.anonymous : false;
      // A person's answer is kept only under a key that names their credentials.
      if (authenticated && miss.credentials === '') return;
      const plain = result as {
        errors?: unknown[];
        extensions?: unknown;
        stringify?: (r: unknown) => string;
      };
      if (plain.errors?.length || plain.extensions) return;
      const stringify = plain.stringify ?? JSON.stringify;
      plain.stringify = (value: unknown) => {
        const body = stringify(value);
        cache.set(miss.key, {
          body,
          version: miss.version,
          heartbeats: miss.heartbeats,
          storedAt: Date.now(),
          authenticated,
        });
        return body;
      };
    },
  };
}

/** A digest of the request's credentials ('' without any): the same token is the same person. */
function credentialScope(authorization: string | null): string {
  if (!authorization) return '';
  return tokenHash(authorization);
}

/** LRU of serialized answers, bounded by count and by bytes. */
class AnswerCache {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;

  constructor(
    private readonly maxEntries: number,
    private readonly maxBytes: number,
  ) {}

  get(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry) {
      this.entries.delete(key);
      this.entries.set(key, entry);
    }
    return entry;
  }

  set(key: string, entry: Entry): void {
    const size = entry.body.length + key.length;
    if (size > this.maxBytes) return;
    this.delete(key);
    this.entries.set(key, entry);
    this.bytes += size;
    while (this.entries.size > this.maxEntries || this.bytes > this.maxBytes) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.delete(oldest);
    }
  }

  private delete(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.bytes -= entry.body.length + key.length;
  }
}

/** Whether an operation reads only cached node fields; remembered per query text (bounded). */
class EligibilityMemo {
  private readonly memo = new Map<string, boolean>();

  clear(): void {
    this.memo.clear();
  }

  check(schema: GraphQLSchema, query: string, operationName: string | undefined): boolean {
    const key = `${operationName ?? ''}\u0000${query}`;
    let eligible = this.memo.get(key);
    if (eligible === undefined) {
      eligible = readsOnlyCachedNodes(schema, query, operationName);
      if (this.memo.size >= 1000) this.memo.clear();
      this.memo.set(key, eligible);
    }
    return eligible;
  }
}

function readsOnlyCachedNodes(
  schema: GraphQLSchema,
  query: string,
  operationName: string | undefined,
): boolean {
  let document: DocumentNode;
  try {
    document = parse(query);
  } catch {
    return false;
  }
  if (getOperationAST(document, operationName)?.operation !== 'query') return false;
  const typeInfo = new TypeInfo(schema);
  let eligible = true;
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        if (node.name.value === '__typename') return;
        // The schema says which fields the caches answer (FROM_NODE_CACHE); anything else executes.
        if (!isFromNodeCache(typeInfo.getFieldDef()?.extensions)) eligible = false;
      },
    }),
  );
  return eligible;
}

/** The gateway's node caches as a NodeAnswerVersion. */
export function nodeAnswerVersionOf(
  services: Pick<GatewayServices, 'nodes' | 'clusters'>,
): NodeAnswerVersion {
  return {
    get version() {
      return services.nodes.version;
    },
    get heartbeats() {
      return services.nodes.heartbeats;
    },
    get defaultCluster() {
      return services.clusters.defaultCluster;
    },
  };
}
