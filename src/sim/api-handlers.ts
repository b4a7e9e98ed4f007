/**
 * Resource request handlers: GET/LIST (selectors, pagination, resourceVersion semantics, Table output),
 * WATCH, POST, PUT, PATCH (JSON, merge, strategic merge), DELETE and the pods/eviction subresource.
 */
import type { ServerResponse } from 'node:http';
import type { ServiceAccountTokens } from './auth/service-account-tokens.js';
import { handleTokenRequest } from './auth/token-request.js';
import { dryRunOf } from './dry-run.js';
import { evictPod } from './eviction.js';
import { isJsonObject, type JsonObject, type KubeObject } from './kube-object.js';
import type { ListSnapshots } from './list-snapshots.js';
import { parseFilter, selectObjects } from './object-filter.js';
import { applyJsonPatch, JsonPatchError } from './patch/json-patch.js';
import { applyMergePatch } from './patch/merge-patch.js';
import { applyStrategicMergePatch, StrategicMergePatchError } from './patch/strategic-merge-patch.js';
import { queryBool } from './query-bool.js';
import type { DeleteOptions, Registry } from './registry.js';
import { decodeRequestBody, type ExpectedKind, parseJsonBody } from './request-body.js';
import type { ResourceRequest } from './request-info.js';
import { apiVersionOf, type ResourceType } from './resources.js';
import { ApiError, errors, successStatus } from './status.js';
import { objectKey, type StoredObject, withTypeMeta } from './store.js';
import { type IncludeObject, renderTable } from './table.js';
import type { WatchHub } from './watch-hub.js';

export interface ApiContext {
  registry: Registry;
  watchHub: WatchHub;
  snapshots: ListSnapshots;
  /** Default watch timeout when the client sets none (the apiserver's min-request-timeout). */
  defaultWatchTimeoutSeconds: number;
  /** The ServiceAccount token issuer (serviceaccounts/token); without it the subresource is 404. */
  tokens?: ServiceAccountTokens;
}

export type HandlerResult =
  | {
      kind: 'body';
      code: number;
      body: string | string[];
      contentType: string;
      headers?: Record<string, string>;
    }
  | { kind: 'stream' };

export interface TableRequest {
  include: IncludeObject;
}

const JSON_TYPE = 'application/json';
const TABLE_TYPE = 'application/json;as=Table;v=v1;g=meta.k8s.io';

function json(code: number, body: string): HandlerResult {
  return { kind: 'body', code, body, contentType: JSON_TYPE };
}

/** Whether Accept asks for a meta.k8s.io Table (kubectl get's human-readable output). */
export function tableRequested(accept: string | undefined, query: URLSearchParams): TableRequest | undefined {
  if (!accept) return undefined;
  for (const part of accept.split(',')) {
    const params = part.split(';').map((s) => s.trim());
    if (params.includes('as=Table') && params.includes('g=meta.k8s.io')) {
      const include = query.get('includeObject');
      return { include: include === 'None' || include === 'Object' ? include : 'Metadata' };
    }
  }
  return undefined;
}

function parseIntParam(query: URLSearchParams, name: string): number | undefined {
  const raw = query.get(name);
  if (raw === null || raw === '') return undefined;
  if (!/^-?\d+$/.test(raw)) throw errors.badRequest(`invalid value for ${name}: ${raw}`);
  return Number(raw);
}

function requireType(r: ResourceRequest): ResourceType {
  // A cluster-scoped resource under /namespaces/{ns}/ does not exist either.
  if (!r.type || (r.namespace !== undefined && !r.type.namespaced)) throw errors.notFoundPath();
  return r.type;
}

function requireName(r: ResourceRequest): string {
  if (!r.name) throw errors.methodNotAllowed();
  return r.name;
}

/** Chunks a list body so that 100,000 items never become one giant string. */
function listBody(head: string, items: readonly StoredObject[]): string[] {
  const out = [`${head},"items":[`];
  const CHUNK = 1000;
  for (let i = 0; i < items.length; i += CHUNK) {
    const part = items
      .slice(i, i + CHUNK)
      .map((o) => o.json)
      .join(',');
    out.push(i === 0 ? part : `,${part}`);
  }
  out.push(']}');
  return out;
}

export function handleGet(
  ctx: ApiContext,
  r: ResourceRequest,
  table: TableRequest | undefined,
): HandlerResult {
  const type = requireType(r);
  const name = requireName(r);
  if (r.subresource && r.subresource !== 'status') throw errors.notFoundPath();
  const o = ctx.registry.get(type, r.namespace, name);
  if (table) {
    return {
      kind: 'body',
      code: 200,
      body: renderTable(type.resource, [o], { resourceVersion: String(o.rv) }, table.include),
      contentType: TABLE_TYPE,
    };
  }
  return json(200, withTypeMeta(o));
}

export function handleList(
  ctx: ApiContext,
  r: ResourceRequest,
  table: TableRequest | undefined,
): HandlerResult {
  const type = requireType(r);
  const store = ctx.registry.store;
  const q = r.query;
  const filter = parseFilter(type, r.namespace, q);
  const limit = Math.max(0, parseIntParam(q, 'limit') ?? 0);
  const cont = q.get('continue') ?? '';
  const rv = q.get('resourceVersion') ?? '';
  const rvMatch = q.get('resourceVersionMatch') ?? '';
  if (rvMatch && !rv)
    throw errors.badRequest('resourceVersionMatch is forbidden unless resourceVersion is provided');
  if (rvMatch && rvMatch !== 'Exact' && rvMatch !== 'NotOlderThan') {
    throw errors.badRequest(
      `resourceVersionMatch: Unsupported value: "${rvMatch}": supported values: "Exact", "NotOlderThan"`,
    );
  }
  if (cont && rv) throw errors.badRequest('specifying resource version is not allowed when using continue');
  if (cont && rvMatch) throw errors.badRequest('resourceVersionMatch is forbidden when continue is provided');
  if (rvMatch === 'Exact' && rv === '0')
    throw errors.badRequest('resourceVersionMatch "exact" is forbidden for resourceVersion "0"');

  const current = store.resourceVersion;
  if (rv && rv !== '0') {
    if (!/^\d+$/.test(rv)) throw errors.badRequest(`invalid resource version: ${rv}`);
    const n = Number(rv);
    if (n > current) {
      throw new ApiError(504, 'Timeout', `Too large resource version: ${n}, current: ${current}`, {
        causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
        retryAfterSeconds: 1,
      });
    }
    // Only the current state is kept: an exact read of an older version is like one etcd compacted away.
    if ((rvMatch === 'Exact' || (!rvMatch && limit > 0)) && n !== current) {
      throw errors.gone('The resourceVersion for the provided list is too old.');
    }
  }

  let page: readonly StoredObject[];
  let listRv: number;
  let nextToken: string | undefined;
  let remaining = 0;
  if (cont) {
    const state = ctx.snapshots.resolve(cont);
    const end = limit > 0 ? state.offset + limit : state.items.length;
    page = state.items.slice(state.offset, end);
    listRv = state.rv;
    if (end < state.items.length) {
      nextToken = ctx.snapshots.token(state.items, state.rv, end, state.id);
      remaining = state.items.length - end;
    } else ctx.snapshots.release(state.id);
  } else {
    const items = selectObjects(store, filter);
    listRv = current;
    // resourceVersion=0 is served from the watch cache, which ignores limit (as in Kubernetes 1.32).
    if (limit > 0 && rv !== '0' && items.length > limit) {
      page = items.slice(0, limit);
      nextToken = ctx.snapshots.token(items, current, limit);
      remaining = items.length - limit;
    } else page = items;
  }
  const meta: Record<string, unknown> = { resourceVersion: String(listRv) };
  if (nextToken) {
    meta.continue = nextToken;
    if (filter.unselective) meta.remainingItemCount = remaining;
  }
  if (table) {
    return {
      kind: 'body',
      code: 200,
      body: renderTable(type.resource, page, meta, table.include),
      contentType: TABLE_TYPE,
    };
  }
  const head = `{"kind":"${type.listKind}","apiVersion":"${apiVersionOf(type)}","metadata":${JSON.stringify(meta)}`;
  return { kind: 'body', code: 200, body: listBody(head, page), contentType: JSON_TYPE };
}

export function handleWatch(
  ctx: ApiContext,
  r: ResourceRequest,
  table: TableRequest | undefined,
  res: ServerResponse,
): HandlerResult {
  const type = requireType(r);
  const q = r.query;
  let filter = parseFilter(type, r.namespace, q);
  if (r.name) {
    // GET .../pods/NAME?watch=true watches one object (as fieldSelector=metadata.name=NAME).
    const named = new URLSearchParams(q);
    const fs = q.get('fieldSelector');
    named.set('fieldSelector', `${fs ? `${fs},` : ''}metadata.name=${r.name}`);
    filter = parseFilter(type, r.namespace, named);
  }
  const rv = q.get('resourceVersion') ?? undefined;
  const rvMatch = q.get('resourceVersionMatch') ?? '';
  const sendInitialEvents = queryBool(q, 'sendInitialEvents');
  const allowBookmarks = queryBool(q, 'allowWatchBookmarks') === true;
  if (rv && rv !== '0' && !/^\d+$/.test(rv)) throw errors.badRequest(`invalid resource version: ${rv}`);
  if (sendInitialEvents !== undefined) {
    if (rvMatch !== 'NotOlderThan') {
      throw errors.invalid('ListOptions', '', [
        {
          field: 'resourceVersionMatch',
          type: 'Forbidden',
          detail: 'sendInitialEvents requires setting resourceVersionMatch to NotOlderThan',
        },
      ]);
    }
    if (sendInitialEvents && !allowBookmarks) {
      throw errors.invalid('ListOptions', '', [
        {
          field: 'allowWatchBookmarks',
          type: 'Required value',
          detail: 'allowWatchBookmarks must be set to true when sendInitialEvents is true',
        },
      ]);
    }
  } else if (rvMatch) {
    throw errors.invalid('ListOptions', '', [
      {
        field: 'resourceVersionMatch',
        type: 'Forbidden',
        detail: 'resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided',
      },
    ]);
  }
  const timeout = parseIntParam(q, 'timeoutSeconds');
  ctx.watchHub.start(
    {
      filter,
      resourceVersion: rv,
      sendInitialEvents,
      allowBookmarks,
      timeoutSeconds: timeout !== undefined && timeout > 0 ? timeout : ctx.defaultWatchTimeoutSeconds,
      table,
    },
    res,
  );
  return { kind: 'stream' };
}

function checkKind(type: ResourceType, obj: KubeObject): void {
  if (obj.kind && obj.kind !== type.kind) {
    throw errors.badRequest(
      `the kind in the body (${obj.kind}) does not match the expected kind (${type.kind})`,
    );
  }
  if (obj.apiVersion && obj.apiVersion !== apiVersionOf(type)) {
    throw errors.badRequest(
      `the API version in the data (${obj.apiVersion}) does not match the expected API version (${apiVersionOf(type)})`,
    );
  }
}

const EVICTION: ExpectedKind = { kind: 'Eviction', apiVersion: 'policy/v1' };
const DELETE_OPTIONS: ExpectedKind = { kind: 'DeleteOptions', apiVersion: 'v1' };

function expectedKind(type: ResourceType): ExpectedKind {
  return { kind: type.kind, apiVersion: apiVersionOf(type) };
}

export function handleCreate(
  ctx: ApiContext,
  r: ResourceRequest,
  body: Buffer,
  contentType?: string,
): HandlerResult {
  const type = requireType(r);
  if (r.subresource === 'token' && type.resource === 'serviceaccounts' && r.name && ctx.tokens)
    return handleTokenRequest(ctx.tokens, ctx.registry, r, body, contentType);
  const evicted = r.subresource === 'eviction' && type.resource === 'pods' ? r.name : undefined;
  const dryRun = dryRunOf(r.query, 'CreateOptions');
  const obj = decodeRequestBody(body, contentType, evicted ? EVICTION : expectedKind(type));
  if (!isJsonObject(obj)) throw errors.badRequest('the body of the request must be a JSON object');
  if (evicted) {
    if (obj.kind && obj.kind !== 'Eviction')
      throw errors.badRequest(
        `the kind in the body (${String(obj.kind)}) does not match the expected kind (Eviction)`,
      );
    evictPod(ctx.registry, r.namespace ?? '', evicted, obj as KubeObject, dryRun);
    return json(201, JSON.stringify(successStatus(201)));
  }
  if (r.name || r.subresource) throw errors.methodNotAllowed();
  checkKind(type, obj as KubeObject);
  const created = ctx.registry.create(type, obj as KubeObject, r.namespace, { dryRun });
  return json(201, withTypeMeta(created));
}

function currentObject(
  ctx: ApiContext,
  r: ResourceRequest,
): { type: ResourceType; prev: StoredObject; subresource: 'status' | undefined } {
  const type = requireType(r);
  const name = requireName(r);
  if (r.subresource && r.subresource !== 'status') throw errors.methodNotAllowed();
  const prev = ctx.registry.get(type, r.namespace, name);
  return { type, prev, subresource: r.subresource === 'status' ? 'status' : undefined };
}

export function handleUpdate(
  ctx: ApiContext,
  r: ResourceRequest,
  body: Buffer,
  contentType?: string,
): HandlerResult {
  const dryRun = dryRunOf(r.query, 'UpdateOptions');
  const { type, prev, subresource } = currentObject(ctx, r);
  const obj = decodeRequestBody(body, contentType, expectedKind(type));
  if (!isJsonObject(obj)) throw errors.badRequest('the body of the request must be a JSON object');
  checkKind(type, obj as KubeObject);
  const updated = ctx.registry.update(type, prev, obj as KubeObject, {
    subresource,
    checkResourceVersion: true,
    dryRun,
  });
  return json(200, withTypeMeta(updated));
}

const PATCH_TYPES = [
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
  'application/apply-patch+yaml',
];

export function handlePatch(
  ctx: ApiContext,
  r: ResourceRequest,
  body: Buffer,
  contentType: string,
): HandlerResult {
  const dryRun = dryRunOf(r.query, 'PatchOptions');
  const { type, prev, subresource } = currentObject(ctx, r);
  const mediaType = contentType.split(';')[0]!.trim();
  if (!PATCH_TYPES.slice(0, 3).includes(mediaType)) {
    throw errors.unsupportedMediaType(PATCH_TYPES);
  }
  const patch = parseJsonBody(body);
  if (patch === undefined) throw errors.badRequest('the body of the request is empty');
  const current = JSON.parse(withTypeMeta(prev)) as JsonObject;
  let patched: unknown;
  try {
    if (mediaType === 'application/json-patch+json') patched = applyJsonPatch(current, patch);
    else if (mediaType === 'application/merge-patch+json')
      patched = applyMergePatch(current, patch as JsonObject);
    else patched = applyStrategicMergePatch(type.resource, current, patch as JsonObject);
  } catch (e) {
    if (e instanceof JsonPatchError)
      throw e.malformed ? errors.badRequest(e.message) : new ApiError(422, 'Invalid', e.message);
    if (e instanceof StrategicMergePatchError) throw errors.badRequest(e.message);
    throw e;
  }
  if (!isJsonObject(patched)) throw new ApiError(422, 'Invalid', 'the patched object is not a JSON object');
  const obj = patched as KubeObject;
  delete obj.apiVersion;
  delete obj.kind;
  const updated = ctx.registry.update(type, prev, obj, { subresource, checkResourceVersion: true, dryRun });
  return json(200, withTypeMeta(updated));
}

function deleteOptions(r: ResourceRequest, body: Buffer, contentType: string | undefined): DeleteOptions {
  const opts: DeleteOptions = {};
  // The apiserver only looks at the Content-Type of a body that is there.
  const parsed = body.length > 0 ? decodeRequestBody(body, contentType, DELETE_OPTIONS) : undefined;
  if (isJsonObject(parsed)) {
    if (typeof parsed.gracePeriodSeconds === 'number') opts.gracePeriodSeconds = parsed.gracePeriodSeconds;
    if (isJsonObject(parsed.preconditions)) {
      const p = parsed.preconditions;
      opts.preconditions = {
        ...(typeof p.uid === 'string' ? { uid: p.uid } : {}),
        ...(typeof p.resourceVersion === 'string' ? { resourceVersion: p.resourceVersion } : {}),
      };
    }
    if (typeof parsed.propagationPolicy === 'string')
      opts.propagationPolicy = parsed.propagationPolicy as DeleteOptions['propagationPolicy'];
    if (parsed.orphanDependents === true) opts.propagationPolicy = 'Orphan';
  }
  const bodyDryRun = isJsonObject(parsed) && Array.isArray(parsed.dryRun) ? parsed.dryRun.map(String) : [];
  if (dryRunOf(r.query, 'DeleteOptions', bodyDryRun)) opts.dryRun = true;
  const grace = parseIntParam(r.query, 'gracePeriodSeconds');
  if (grace !== undefined) opts.gracePeriodSeconds = grace;
  // orphanDependents=true in the query is the old spelling of propagationPolicy=Orphan.
  if (queryBool(r.query, 'orphanDependents') === true) opts.propagationPolicy = 'Orphan';
  const policy = r.query.get('propagationPolicy');
  if (policy) opts.propagationPolicy = policy as DeleteOptions['propagationPolicy'];
  return opts;
}

export function handleDelete(
  ctx: ApiContext,
  r: ResourceRequest,
  body: Buffer,
  contentType?: string,
): HandlerResult {
  const type = requireType(r);
  if (r.subresource) throw errors.methodNotAllowed();
  const opts = deleteOptions(r, body, contentType);
  if (!r.name) {
    // deletecollection: every selected object; answers with the list of what was deleted.
    const filter = parseFilter(type, r.namespace, r.query);
    const deleted = selectObjects(ctx.registry.store, filter).map((o) => ctx.registry.delete(type, o, opts));
    const head = `{"kind":"${type.listKind}","apiVersion":"${apiVersionOf(type)}","metadata":{"resourceVersion":"${ctx.registry.store.resourceVersion}"}`;
    return { kind: 'body', code: 200, body: listBody(head, deleted), contentType: JSON_TYPE };
  }
  const prev = ctx.registry.store.get(
    type.resource,
    objectKey(type.namespaced ? r.namespace : undefined, r.name),
  );
  if (!prev) throw errors.notFound(type, r.name);
  const result = ctx.registry.delete(type, prev, opts);
  return json(200, withTypeMeta(result));
}
