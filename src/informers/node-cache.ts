import { ALL_NODE_CHANGE_KINDS, classifyNodeChange, type NodeChangeKind } from './node-changes.js';
import type { CachedNode } from './node-projection.js';

/** A meaningful change of one node, as the cache saw it. */
export interface NodeChange {
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED';
  /** The new state; for DELETED the last known state. */
  readonly node: CachedNode;
  readonly changes: readonly NodeChangeKind[];
  /** The state before a MODIFIED (for listeners that care what a node no longer is). */
  readonly before?: CachedNode;
}

/** How a node list is ordered; ties always fall back to the name. */
export type NodeOrderField = 'NAME' | 'CREATED_AT';

/** Read side of a cluster's node cache. Results are shared and frozen: never mutate them. */
export interface NodeStore {
  get(name: string): CachedNode | undefined;
  /** Every node, sorted by `field` (ascending, then name). Reused until the cache changes. */
  sorted(field: NodeOrderField): readonly CachedNode[];
  readonly size: number;
}

/** The subset of the cache the reflector writes (client-go's ReflectorStore). */
export interface ReflectorStore {
  /** Replaces everything with a fresh LIST; reports the difference unless `silent`. */
  replace(nodes: readonly CachedNode[], options?: { silent?: boolean }): void;
  upsert(node: CachedNode): void;
  remove(name: string, lastKnown?: CachedNode): void;
}

export interface NodeCacheListener {
  onChange?(change: NodeChange): void;
  /** An update that changed nothing users see (a heartbeat): stored, not reported. */
  onUnchanged?(node: CachedNode): void;
}

/** Ascending order of each field, ties broken by name. */
export const NODE_COMPARATORS: Record<NodeOrderField, (a: CachedNode, b: CachedNode) => number> = {
  NAME: (a, b) => compareStrings(a.name, b.name),
  CREATED_AT: (a, b) =>
    compareStrings(a.createdAt ?? '', b.createdAt ?? '') || compareStrings(a.name, b.name),
};

/**
 * The in-memory node cache of one cluster. Applies LIST and WATCH results, classifies each
 * update (a heartbeat is stored but reported to no one) and keeps sorted views so a list
 * query never sorts the whole cache: an update that keeps a node's sort key patches the view
 * in place (O(log n)); an add, delete or sort-key change drops the view, rebuilt on next use.
 */
export class NodeCache implements NodeStore, ReflectorStore {
  private readonly nodes = new Map<string, CachedNode>();
  private readonly views = new Map<NodeOrderField, CachedNode[]>();

  constructor(private readonly listener: NodeCacheListener = {}) {}

  get size(): number {
    return this.nodes.size;
  }

  get(name: string): CachedNode | undefined {
    return this.nodes.get(name);
  }

  sorted(field: NodeOrderField): readonly CachedNode[] {
    let view = this.views.get(field);
    if (!view) {
      view = [...this.nodes.values()].sort(NODE_COMPARATORS[field]);
      this.views.set(field, view);
    }
    return view;
  }

  replace(nodes: readonly CachedNode[], options: { silent?: boolean } = {}): void {
    const fresh = new Set<string>();
    for (const node of nodes) {
      fresh.add(node.name);
      this.apply(node, options.silent === true);
    }
    for (const [name, node] of [...this.nodes]) {
      if (!fresh.has(name)) this.delete(node, options.silent === true);
    }
  }

  upsert(node: CachedNode): void {
    this.apply(node, false);
  }

  remove(name: string, lastKnown?: CachedNode): void {
    const known = this.nodes.get(name);
    if (known) this.delete(lastKnown && lastKnown.uid === known.uid ? lastKnown : known, false);
  }

  private apply(node: CachedNode, silent: boolean): void {
    const before = this.nodes.get(node.name);
    if (before === node) return;
    this.nodes.set(node.name, node);
    if (!before || before.uid !== node.uid) {
      // A node deleted and re-created under the same name while we were not watching is, to
      // subscribers, a new node.
      this.views.clear();
      if (!silent)
        this.emit({ type: before ? 'MODIFIED' : 'ADDED', node, changes: ALL_NODE_CHANGE_KINDS, before });
      return;
    }
    const changes = classifyNodeChange(before, node);
    this.patchViews(before, node);
    if (silent) return;
    if (changes.length > 0) this.emit({ type: 'MODIFIED', node, changes, before });
    else this.listener.onUnchanged?.(node);
  }

  private delete(node: CachedNode, silent: boolean): void {
    this.nodes.delete(node.name);
    this.views.clear();
    if (!silent) this.emit({ type: 'DELETED', node, changes: ALL_NODE_CHANGE_KINDS });
  }

  private emit(change: NodeChange): void {
    this.listener.onChange?.(change);
  }

  /** Puts the new object where the old one was; the by-name position never moves on update. */
  private patchViews(before: CachedNode, after: CachedNode): void {
    for (const [field, view] of this.views) {
      const compare = NODE_COMPARATORS[field];
      const index = compare(before, after) === 0 ? binarySearch(view, before, compare) : -1;
      if (index >= 0 && view[index] === before) view[index] = after;
      else this.views.delete(field);
    }
  }
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Index of an element comparing equal to `target`, or -1. */
export function binarySearch<T>(list: readonly T[], target: T, compare: (a: T, b: T) => number): number {
  let lo = 0;
  let hi = list.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const c = compare(list[mid]!, target);
    if (c === 0) return mid;
    if (c < 0) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
