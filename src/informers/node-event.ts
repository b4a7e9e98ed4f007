import { NODE_CHANGE_KINDS, type NodeChangeKind } from './node-changes.js';
import type { CachedNode } from './node-projection.js';

export type NodeEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'RESYNC' | 'CLUSTER_REMOVED';

/**
 * One node change as subscribers see it. RESYNC means "events were lost, re-query";
 * CLUSTER_REMOVED is the last event of a cluster whose kubeconfig context went away.
 */
export interface NodeEvent {
  /** Gateway-wide order of events; 0 for RESYNC / CLUSTER_REMOVED, which are not replayable. */
  readonly seq: number;
  readonly cursor: string;
  readonly type: NodeEventType;
  readonly cluster: string;
  readonly name: string | null;
  readonly changes: readonly NodeChangeKind[];
  /** New state; the last known state for DELETED; null for RESYNC / CLUSTER_REMOVED. */
  readonly node: CachedNode | null;
  /** The labels before a MODIFIED, so a label-selector subscriber hears about a node leaving. */
  readonly previousLabels: Readonly<Record<string, string>> | null;
  /** ISO time the gateway saw the change. */
  readonly at: string;
}

/** Key under which a slow subscriber's pending events merge: one per node. */
export function nodeEventKey(event: NodeEvent): string | undefined {
  return event.name === null ? undefined : `${event.cluster}\u0000${event.name}`;
}

/**
 * Two pending events of one node folded into one: the newest state under the newest cursor,
 * the union of change kinds, and a type that tells the reader what happened overall.
 */
export function mergeNodeEvents(older: NodeEvent, newer: NodeEvent): NodeEvent {
  return {
    ...newer,
    type: mergedType(older.type, newer.type),
    changes: unionKinds(older.changes, newer.changes),
    previousLabels: older.previousLabels ?? newer.previousLabels,
  };
}

function mergedType(older: NodeEventType, newer: NodeEventType): NodeEventType {
  if (newer === 'DELETED') return 'DELETED';
  // The reader has not heard of the node yet: it is still an addition.
  if (older === 'ADDED') return 'ADDED';
  // Deleted then re-created: the reader knew a node of this name, so to it the node changed.
  if (older === 'DELETED' && newer === 'ADDED') return 'MODIFIED';
  return newer;
}

function unionKinds(a: readonly NodeChangeKind[], b: readonly NodeChangeKind[]): readonly NodeChangeKind[] {
  if (a.length === 0 || a === b) return b;
  if (b.length === 0) return a;
  const set = new Set([...a, ...b]);
  return NODE_CHANGE_KINDS.filter((k) => set.has(k));
}
