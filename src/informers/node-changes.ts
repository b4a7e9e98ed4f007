import type { CachedNode, KeyValue, NodeCondition, NodeTaint } from './node-projection.js';

/**
 * What about a node changed, in the terms users care about. An update that changes none of
 * these (a kubelet heartbeat, a new resourceVersion, an image list) is noise and not an event.
 */
export const NODE_CHANGE_KINDS = [
  'SCHEDULABLE',
  'LABELS',
  'TAINTS',
  'CONDITIONS',
  'READY',
  'RESOURCES',
  'ANNOTATIONS',
  'ADDRESSES',
  'NODE_INFO',
] as const;

export type NodeChangeKind = (typeof NODE_CHANGE_KINDS)[number];

type Detector = (before: CachedNode, after: CachedNode) => boolean;

/** One comparison per kind, in NODE_CHANGE_KINDS order so results come out sorted. */
const DETECTORS: readonly (readonly [NodeChangeKind, Detector])[] = [
  ['SCHEDULABLE', (a, b) => a.schedulable !== b.schedulable],
  ['LABELS', (a, b) => !sameKeyValues(a.labelList, b.labelList)],
  ['TAINTS', (a, b) => !sameList(a.taints, b.taints, sameTaint)],
  ['CONDITIONS', (a, b) => !sameList(a.conditions, b.conditions, sameConditionIgnoringHeartbeat)],
  ['READY', (a, b) => a.readyStatus !== b.readyStatus],
  ['RESOURCES', (a, b) => !sameRecord(a.capacity, b.capacity) || !sameRecord(a.allocatable, b.allocatable)],
  ['ANNOTATIONS', (a, b) => !sameKeyValues(a.annotations, b.annotations)],
  [
    'ADDRESSES',
    (a, b) => !sameList(a.addresses, b.addresses, (x, y) => x.type === y.type && x.address === y.address),
  ],
  ['NODE_INFO', (a, b) => !sameRecord(a.nodeInfo, b.nodeInfo)],
];

/**
 * The change kinds between two states of one node: a "significant change" test split into
 * named kinds, so subscribers can filter by kind. Empty means the update is a heartbeat: keep
 * it in the cache, tell no one.
 */
export function classifyNodeChange(before: CachedNode, after: CachedNode): NodeChangeKind[] {
  const kinds: NodeChangeKind[] = [];
  for (const [kind, changed] of DETECTORS) if (changed(before, after)) kinds.push(kind);
  return kinds;
}

/** The kinds an ADDED or DELETED node counts as: everything about it is new (or gone). */
export const ALL_NODE_CHANGE_KINDS: readonly NodeChangeKind[] = Object.freeze([...NODE_CHANGE_KINDS]);

function sameList<T>(a: readonly T[], b: readonly T[], same: (x: T, y: T) => boolean): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!same(a[i]!, b[i]!)) return false;
  return true;
}

function sameKeyValues(a: readonly KeyValue[], b: readonly KeyValue[]): boolean {
  // Both lists are sorted by key by the projection, so order-sensitive comparison is exact.
  return sameList(a, b, (x, y) => x.key === y.key && x.value === y.value);
}

function sameRecord(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  if (a === b) return true;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  for (const key of keys) if (a[key] !== b[key]) return false;
  return true;
}

function sameTaint(a: NodeTaint, b: NodeTaint): boolean {
  return a.key === b.key && a.value === b.value && a.effect === b.effect;
}

function sameConditionIgnoringHeartbeat(a: NodeCondition, b: NodeCondition): boolean {
  return a.type === b.type && a.status === b.status && a.reason === b.reason && a.message === b.message;
}
