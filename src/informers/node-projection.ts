import { encodeGlobalId } from '../platform/global-id.js';
import type { RawNode, RawNodeCondition, RawTaint } from './kube-node.js';
import { type StringPool, sharedStringPool } from './string-pool.js';

export interface KeyValue {
  readonly key: string;
  readonly value: string;
}

export interface NodeTaint {
  readonly key: string;
  readonly value: string | null;
  readonly effect: string;
  readonly timeAdded: string | null;
}

export interface NodeCondition {
  readonly type: string;
  readonly status: string;
  readonly reason: string | null;
  readonly message: string | null;
  readonly lastTransitionTime: string | null;
  readonly lastHeartbeatTime: string | null;
}

export interface NodeAddress {
  readonly type: string;
  readonly address: string;
}

export type ResourceList = Readonly<Record<string, string>>;

/**
 * The compact, frozen projection of a node that the cache keeps: what the API serves and
 * what change detection compares, nothing else (no managedFields, no status.images, no
 * last-applied-configuration). Values derived on every query (ready, roles, the label list,
 * the global id) are computed once here, when the node changes, not per request.
 * Never mutate one: they are shared by the cache, event history and every subscriber.
 */
export interface CachedNode {
  /** Relay global id of the KubeNode type (src/platform/global-id.ts): cluster and name. */
  readonly id: string;
  readonly cluster: string;
  readonly name: string;
  readonly uid: string;
  readonly resourceVersion: string;
  readonly createdAt: string | null;
  readonly labels: Readonly<Record<string, string>>;
  /** `labels` as a list in key order, as GraphQL serves it. */
  readonly labelList: readonly KeyValue[];
  readonly annotations: readonly KeyValue[];
  /** From `node-role.kubernetes.io/<role>` and `kubernetes.io/role` labels, sorted. */
  readonly roles: readonly string[];
  /** The Ready condition's status: True, False or Unknown (also when it is missing). */
  readonly readyStatus: string;
  readonly ready: boolean;
  /** Not cordoned (`spec.unschedulable` unset or false). */
  readonly schedulable: boolean;
  readonly taints: readonly NodeTaint[];
  readonly conditions: readonly NodeCondition[];
  readonly addresses: readonly NodeAddress[];
  readonly capacity: ResourceList;
  readonly allocatable: ResourceList;
  readonly nodeInfo: Readonly<Record<string, string>>;
  readonly providerID: string | null;
  readonly podCIDRs: readonly string[];
}

/** Annotations that are copies of the whole object or otherwise huge, and never useful here. */
const DROPPED_ANNOTATIONS = new Set(['kubectl.kubernetes.io/last-applied-configuration']);

const ROLE_LABEL_PREFIX = 'node-role.kubernetes.io/';
const LEGACY_ROLE_LABEL = 'kubernetes.io/role';
const EMPTY: readonly never[] = Object.freeze([]);
const EMPTY_RECORD: Readonly<Record<string, string>> = Object.freeze({});

/** Computed once per node change; src/resolvers/relay-node-types.ts decodes it. */
export function nodeGlobalId(cluster: string, name: string): string {
  return encodeGlobalId('KubeNode', [cluster, name]);
}

/**
 * Projects a raw node (a LIST item, WATCH object or PATCH response, as JSON) into the cache's
 * compact frozen form. Throws when the node has no name, which only a broken API sends.
 */
export function projectNode(raw: RawNode, cluster: string, pool: StringPool = sharedStringPool): CachedNode {
  const name = raw.metadata?.name;
  if (!name) throw new Error(`node without metadata.name from cluster ${cluster}`);
  const labels = internRecord(raw.metadata?.labels, pool);
  const conditions = projectConditions(raw.status?.conditions, pool);
  const readyStatus = conditions.find((c) => c.type === 'Ready')?.status ?? 'Unknown';
  return Object.freeze({
    id: nodeGlobalId(cluster, name),
    cluster,
    name,
    uid: raw.metadata?.uid ?? '',
    resourceVersion: raw.metadata?.resourceVersion ?? '',
    createdAt: raw.metadata?.creationTimestamp ?? null,
    labels,
    labelList: keyValues(labels),
    annotations: projectAnnotations(raw.metadata?.annotations, pool),
    roles: rolesOf(labels),
    readyStatus,
    ready: readyStatus === 'True',
    schedulable: raw.spec?.unschedulable !== true,
    taints: projectTaints(raw.spec?.taints, pool),
    conditions,
    addresses: freezeList(
      (raw.status?.addresses ?? []).map((a) =>
        Object.freeze({ type: pool.intern(a.type ?? ''), address: a.address ?? '' }),
      ),
    ),
    capacity: internRecord(raw.status?.capacity, pool),
    allocatable: internRecord(raw.status?.allocatable, pool),
    nodeInfo: internRecord(raw.status?.nodeInfo, pool),
    providerID: raw.spec?.providerID ?? null,
    podCIDRs: freezeList(raw.spec?.podCIDRs ?? []),
  });
}

function internRecord(
  source: Record<string, string | undefined> | undefined,
  pool: StringPool,
): Readonly<Record<string, string>> {
  if (!source) return EMPTY_RECORD;
  const keys = Object.keys(source);
  if (keys.length === 0) return EMPTY_RECORD;
  const out: Record<string, string> = {};
  for (const key of keys.sort()) {
    const value = source[key];
    if (typeof value === 'string') out[pool.intern(key)] = pool.intern(value);
  }
  return Object.freeze(out);
}

function keyValues(record: Readonly<Record<string, string>>): readonly KeyValue[] {
  const keys = Object.keys(record);
  if (keys.length === 0) return EMPTY;
  return Object.freeze(keys.map((key) => Object.freeze({ key, value: record[key]! })));
}

function projectAnnotations(
  source: Record<string, string> | undefined,
  pool: StringPool,
): readonly KeyValue[] {
  if (!source) return EMPTY;
  const list: KeyValue[] = [];
  for (const key of Object.keys(source).sort()) {
    const value = source[key];
    if (typeof value !== 'string' || DROPPED_ANNOTATIONS.has(key)) continue;
    list.push(Object.freeze({ key: pool.intern(key), value: pool.intern(value) }));
  }
  return freezeList(list);
}

function rolesOf(labels: Readonly<Record<string, string>>): readonly string[] {
  const roles = new Set<string>();
  for (const key of Object.keys(labels)) {
    if (key.startsWith(ROLE_LABEL_PREFIX) && key.length > ROLE_LABEL_PREFIX.length) {
      roles.add(key.slice(ROLE_LABEL_PREFIX.length));
    }
  }
  const legacy = labels[LEGACY_ROLE_LABEL];
  if (legacy) roles.add(legacy);
  return freezeList([...roles].sort());
}

function projectTaints(taints: RawTaint[] | undefined, pool: StringPool): readonly NodeTaint[] {
  if (!taints || taints.length === 0) return EMPTY;
  return freezeList(
    taints.map((t) =>
      Object.freeze({
        key: pool.intern(t.key ?? ''),
        value: t.value === undefined || t.value === '' ? null : pool.intern(t.value),
        effect: pool.intern(t.effect ?? ''),
        timeAdded: t.timeAdded ?? null,
      }),
    ),
  );
}

function projectConditions(
  conditions: RawNodeCondition[] | undefined,
  pool: StringPool,
): readonly NodeCondition[] {
  if (!conditions || conditions.length === 0) return EMPTY;
  return freezeList(
    conditions.map((c) =>
      Object.freeze({
        type: pool.intern(c.type ?? ''),
        status: pool.intern(c.status ?? 'Unknown'),
        reason: c.reason ? pool.intern(c.reason) : null,
        message: c.message ? pool.intern(c.message) : null,
        lastTransitionTime: c.lastTransitionTime ? pool.intern(c.lastTransitionTime) : null,
        lastHeartbeatTime: c.lastHeartbeatTime ?? null,
      }),
    ),
  );
}

function freezeList<T>(list: T[]): readonly T[] {
  return list.length === 0 ? EMPTY : Object.freeze(list);
}
