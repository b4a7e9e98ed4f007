/**
 * The simulator's etcd: every object is kept as its serialized JSON (without apiVersion/kind, as list
 * items are sent) plus the few parsed fields that lists, selectors and indexes need. Serving a page is then
 * string concatenation, and 100,000 pods cost about their JSON size in memory.
 *
 * Every write takes the next global resourceVersion and produces exactly one event, delivered in
 * resourceVersion order to listeners (watch hub, controllers) and recorded in the resource's history.
 */
import { EventHistory } from './event-history.js';
import type { KubeObject } from './kube-object.js';
import { type NodeFacts, nodeFacts } from './node-facts.js';
import { fieldSetOf, RESOURCE_LIST, type ResourceType, type ServedResource } from './resources.js';

export interface StoredObject {
  readonly type: ResourceType;
  /** `namespace/name` for namespaced objects, `name` otherwise; lists are sorted by it (like etcd keys). */
  readonly key: string;
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
  readonly rv: number;
  readonly labels: Readonly<Record<string, string>>;
  readonly fields: Readonly<Record<string, string>>;
  /** metadata.deletionTimestamp is set (graceful deletion under way). */
  readonly terminating: boolean;
  /** For nodes: what scheduling needs, extracted at write time. */
  readonly node: NodeFacts | undefined;
  /** UID of the controller owner (ownerReferences[].controller), if any. */
  readonly controllerUid: string | undefined;
  /** The object as JSON, without apiVersion and kind. */
  readonly json: string;
}

export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreEvent {
  readonly type: EventType;
  readonly rv: number;
  readonly object: StoredObject;
  /** The previous state for MODIFIED (watch filters turn selector transitions into ADDED/DELETED). */
  readonly prev: StoredObject | undefined;
}

export type StoreListener = (event: StoreEvent) => void;

export function objectKey(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

/** `{"kind":"Pod","apiVersion":"v1",...}`: a stored object with its type header, as GET and watch send it. */
export function withTypeMeta(o: StoredObject): string {
  const t = o.type;
  const apiVersion = t.group ? `${t.group}/${t.version}` : t.version;
  return `{"kind":"${t.kind}","apiVersion":"${apiVersion}",${o.json.slice(1)}`;
}

/** JSON without apiVersion/kind, fields in the apiserver's order: metadata, spec, status, then the rest. */
export function serializeBody(obj: KubeObject): string {
  const { apiVersion: _a, kind: _k, metadata, spec, status, ...rest } = obj;
  const body: Record<string, unknown> = { metadata };
  if (spec !== undefined) body.spec = spec;
  if (status !== undefined) body.status = status;
  Object.assign(body, rest);
  return JSON.stringify(body);
}

class Table {
  readonly byKey = new Map<string, StoredObject>();
  readonly sortedKeys: string[] = [];
  readonly byNode = new Map<string, Set<string>>();
  readonly byController = new Map<string, Set<string>>();
  constructor(
    readonly type: ResourceType,
    readonly history: EventHistory,
  ) {}
}

function lowerBound(keys: readonly string[], key: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function addToIndex(index: Map<string, Set<string>>, value: string | undefined, key: string): void {
  if (!value) return;
  let set = index.get(value);
  if (!set) {
    set = new Set();
    index.set(value, set);
  }
  set.add(key);
}

function removeFromIndex(index: Map<string, Set<string>>, value: string | undefined, key: string): void {
  if (!value) return;
  const set = index.get(value);
  if (!set) return;
  set.delete(key);
  if (set.size === 0) index.delete(value);
}

const EMPTY_LABELS: Readonly<Record<string, string>> = Object.freeze({});

export class Store {
  private rv: number;
  private readonly tables = new Map<ServedResource, Table>();
  private readonly listeners: StoreListener[] = [];
  private readonly pending: StoreEvent[] = [];
  private dispatching = false;
  /** Labels objects are shared between objects with identical labels (pods of one ReplicaSet). */
  private readonly labelIntern = new Map<string, Readonly<Record<string, string>>>();

  constructor(historySize: number, initialRv = 1) {
    this.rv = initialRv;
    for (const t of RESOURCE_LIST)
      this.tables.set(t.resource, new Table(t, new EventHistory(historySize, initialRv)));
  }

  get resourceVersion(): number {
    return this.rv;
  }

  private table(resource: ServedResource): Table {
    return this.tables.get(resource)!;
  }

  history(resource: ServedResource): EventHistory {
    return this.table(resource).history;
  }

  subscribe(listener: StoreListener): () => void {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  get(resource: ServedResource, key: string): StoredObject | undefined {
    return this.table(resource).byKey.get(key);
  }

  count(resource: ServedResource): number {
    return this.table(resource).byKey.size;
  }

  /** The i-th object in key order (random sampling without copying the key list). */
  nth(resource: ServedResource, i: number): StoredObject | undefined {
    const t = this.table(resource);
    const key = t.sortedKeys[i];
    return key === undefined ? undefined : t.byKey.get(key);
  }

  parse(o: StoredObject): KubeObject {
    return JSON.parse(o.json) as KubeObject;
  }

  /** Objects in key order, optionally within one namespace. */
  list(resource: ServedResource, namespace?: string): StoredObject[] {
    const t = this.table(resource);
    const keys = t.sortedKeys;
    let from = 0;
    let to = keys.length;
    if (namespace && t.type.namespaced) {
      from = lowerBound(keys, `${namespace}/`);
      to = lowerBound(keys, `${namespace}0`); // '0' is the character after '/'
    }
    const out: StoredObject[] = new Array(to - from);
    for (let i = from; i < to; i++) out[i - from] = t.byKey.get(keys[i]!)!;
    return out;
  }

  /** Pods bound to a node, in key order. */
  podsOnNode(nodeName: string): StoredObject[] {
    const t = this.table('pods');
    const keys = [...(t.byNode.get(nodeName) ?? [])].sort();
    return keys.map((k) => t.byKey.get(k)!);
  }

  podCountOnNode(nodeName: string): number {
    return this.table('pods').byNode.get(nodeName)?.size ?? 0;
  }

  /** Objects of a resource controlled by the owner with this UID. */
  controlledBy(resource: ServedResource, ownerUid: string): StoredObject[] {
    const t = this.table(resource);
    return [...(t.byController.get(ownerUid) ?? [])].map((k) => t.byKey.get(k)!);
  }

  /**
   * Stores `obj` (creating or replacing the object with its key) under the next resourceVersion, which is
   * written into metadata.resourceVersion. Validation and defaulting happen before this (registry.ts).
   */
  write(resource: ServedResource, obj: KubeObject): StoredObject {
    const t = this.table(resource);
    const meta = obj.metadata ?? {};
    const key = objectKey(t.type.namespaced ? meta.namespace : undefined, meta.name ?? '');
    const prev = t.byKey.get(key);
    this.rv++;
    meta.resourceVersion = String(this.rv);
    const stored = this.toStored(t.type, key, obj, this.rv);
    t.byKey.set(key, stored);
    if (!prev) t.sortedKeys.splice(lowerBound(t.sortedKeys, key), 0, key);
    this.reindex(t, prev, stored);
    this.emit(t, { type: prev ? 'MODIFIED' : 'ADDED', rv: this.rv, object: stored, prev });
    return stored;
  }

  /**
   * What write() would store, without storing it: no new resourceVersion, no watch event (dryRun=All).
   * metadata.resourceVersion is left as the caller set it (none on create, the current one on update).
   */
  preview(resource: ServedResource, obj: KubeObject): StoredObject {
    const t = this.table(resource);
    const meta = obj.metadata ?? {};
    const key = objectKey(t.type.namespaced ? meta.namespace : undefined, meta.name ?? '');
    return this.toStored(t.type, key, obj, Number(meta.resourceVersion ?? 0));
  }

  /**
   * Initial load (cluster generation): assigns resourceVersions in order but emits no events and records
   * no history, like objects that existed before the apiserver's watch cache started. Call finishLoad() after.
   */
  load(resource: ServedResource, obj: KubeObject): void {
    const t = this.table(resource);
    const meta = obj.metadata ?? {};
    const key = objectKey(t.type.namespaced ? meta.namespace : undefined, meta.name ?? '');
    this.rv++;
    meta.resourceVersion = String(this.rv);
    const stored = this.toStored(t.type, key, obj, this.rv);
    const prev = t.byKey.get(key);
    if (!prev) t.sortedKeys.push(key);
    t.byKey.set(key, stored);
    this.reindex(t, prev, stored);
  }

  finishLoad(): void {
    for (const t of this.tables.values()) {
      t.sortedKeys.sort();
      t.history.compact(this.rv);
    }
  }

  /** Removes an object; the DELETED event carries its last state under a new resourceVersion. */
  remove(resource: ServedResource, key: string): StoredObject | undefined {
    const t = this.table(resource);
    const prev = t.byKey.get(key);
    if (!prev) return undefined;
    this.rv++;
    const obj = this.parse(prev);
    obj.metadata = { ...obj.metadata, resourceVersion: String(this.rv) };
    const last = this.toStored(t.type, key, obj, this.rv);
    t.byKey.delete(key);
    t.sortedKeys.splice(lowerBound(t.sortedKeys, key), 1);
    this.reindex(t, prev, undefined);
    this.emit(t, { type: 'DELETED', rv: this.rv, object: last, prev });
    return last;
  }

  /** Drops all history: resumes from anything older than the current resourceVersion get 410. */
  compactHistory(): void {
    for (const t of this.tables.values()) t.history.compact(this.rv);
  }

  private toStored(type: ResourceType, key: string, obj: KubeObject, rv: number): StoredObject {
    const meta = obj.metadata ?? {};
    const owner = meta.ownerReferences?.find((r) => r.controller === true);
    const labels = this.intern(meta.labels);
    return {
      type,
      key,
      namespace: type.namespaced ? (meta.namespace ?? '') : '',
      name: meta.name ?? '',
      uid: meta.uid ?? '',
      rv,
      labels,
      fields: fieldSetOf(type, obj),
      terminating: Boolean(meta.deletionTimestamp),
      node: type.resource === 'nodes' ? { ...nodeFacts(obj), labels } : undefined,
      controllerUid: owner?.uid,
      json: serializeBody(obj),
    };
  }

  private intern(labels: Record<string, string> | undefined): Readonly<Record<string, string>> {
    if (!labels || Object.keys(labels).length === 0) return EMPTY_LABELS;
    const sig = JSON.stringify(labels);
    let shared = this.labelIntern.get(sig);
    if (!shared) {
      shared = Object.freeze({ ...labels });
      // Bounded so that churn with unique labels cannot grow it without limit.
      if (this.labelIntern.size > 50_000) this.labelIntern.clear();
      this.labelIntern.set(sig, shared);
    }
    return shared;
  }

  private reindex(t: Table, prev: StoredObject | undefined, next: StoredObject | undefined): void {
    if (t.type.resource === 'pods') {
      const before = prev?.fields['spec.nodeName'];
      const after = next?.fields['spec.nodeName'];
      if (before !== after || !next) removeFromIndex(t.byNode, before, (prev ?? next)!.key);
      if (next) addToIndex(t.byNode, after, next.key);
    }
    if (prev?.controllerUid !== next?.controllerUid || !next)
      removeFromIndex(t.byController, prev?.controllerUid, prev?.key ?? '');
    if (next) addToIndex(t.byController, next.controllerUid, next.key);
  }

  private emit(t: Table, event: StoreEvent): void {
    t.history.push(event);
    this.pending.push(event);
    if (this.dispatching) return; // a listener wrote: deliver after the current event, in order
    this.dispatching = true;
    try {
      for (let e = this.pending.shift(); e; e = this.pending.shift()) {
        for (const l of [...this.listeners]) {
          try {
            l(e);
          } catch (err) {
            // A broken listener must not stop delivery to the others (watches, controllers).
            console.error('sim: store listener failed', err);
          }
        }
      }
    } finally {
      this.dispatching = false;
    }
  }
}
