import { isEverything, matches, parseLabelSelector } from '../clusters/label-selector.js';
import { quoteInput } from '../platform/quote-input.js';
import type { NodeOrderField } from './node-cache.js';
import type { CachedNode } from './node-projection.js';

/** Query.nodes' filter; every field given must match. */
export interface NodeFilterInput {
  labelSelector?: string | null;
  ready?: boolean | null;
  schedulable?: boolean | null;
  role?: string | null;
  taintKey?: string | null;
  nameContains?: string | null;
}

export type SortDirection = 'ASC' | 'DESC';

export interface NodeOrderInput {
  field: NodeOrderField;
  direction: SortDirection;
}

export class NodeQueryError extends Error {
  override readonly name = 'NodeQueryError';
}

export type NodePredicate = (node: CachedNode) => boolean;

/**
 * Compiles a filter into one predicate (undefined = everything), checking the cheap fields
 * first. Throws LabelSelectorError on a bad selector.
 */
export function compileNodeFilter(filter: NodeFilterInput | null | undefined): NodePredicate | undefined {
  if (!filter) return undefined;
  const tests: NodePredicate[] = [];
  const { ready, schedulable, role, taintKey, nameContains, labelSelector } = filter;
  if (ready != null) tests.push((n) => n.ready === ready);
  if (schedulable != null) tests.push((n) => n.schedulable === schedulable);
  if (role != null) tests.push((n) => n.roles.includes(role));
  if (taintKey != null) tests.push((n) => n.taints.some((t) => t.key === taintKey));
  if (nameContains != null && nameContains !== '') {
    const needle = nameContains.toLowerCase();
    tests.push((n) => n.name.toLowerCase().includes(needle));
  }
  if (labelSelector != null) {
    const selector = parseLabelSelector(labelSelector);
    if (!isEverything(selector)) tests.push((n) => matches(selector, n.labels));
  }
  if (tests.length === 0) return undefined;
  if (tests.length === 1) return tests[0];
  return (n) => tests.every((t) => t(n));
}

/** Position in an ordering: the sort key of the last node a client saw. */
interface CursorKey {
  readonly field: NodeOrderField;
  readonly name: string;
  readonly createdAt: string;
}

export function encodeNodeCursor(node: CachedNode, field: NodeOrderField): string {
  const key = field === 'NAME' ? `n\u0000${node.name}` : `c\u0000${node.createdAt ?? ''}\u0000${node.name}`;
  return Buffer.from(key).toString('base64url');
}

function decodeNodeCursor(cursor: string, field: NodeOrderField): CursorKey {
  const parts = Buffer.from(cursor, 'base64url').toString('utf8').split('\u0000');
  const [tag] = parts;
  if (tag === 'n' && parts.length === 2 && field === 'NAME') return { field, name: parts[1]!, createdAt: '' };
  if (tag === 'c' && parts.length === 3 && field === 'CREATED_AT') {
    return { field, createdAt: parts[1]!, name: parts[2]! };
  }
  if (tag === 'n' || tag === 'c') {
    throw new NodeQueryError(
      `cursor ${quoteInput(cursor)} belongs to another orderBy; pass the same orderBy as the first page`,
    );
  }
  throw new NodeQueryError(
    `${quoteInput(cursor)} is not a node cursor; pass an edge cursor or pageInfo.endCursor`,
  );
}

function compareToKey(node: CachedNode, key: CursorKey): number {
  if (key.field === 'CREATED_AT') {
    const created = node.createdAt ?? '';
    if (created !== key.createdAt) return created < key.createdAt ? -1 : 1;
  }
  return node.name < key.name ? -1 : node.name > key.name ? 1 : 0;
}

/** Index of the first node of an ascending view sorting after `key` (or at it, if `inclusive`). */
function boundAfter(view: readonly CachedNode[], key: CursorKey, inclusive: boolean): number {
  let lo = 0;
  let hi = view.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const c = compareToKey(view[mid]!, key);
    if (c < 0 || (c === 0 && !inclusive)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export interface NodePageRequest {
  /** Nodes sorted ascending by `order.field` (then name). */
  view: readonly CachedNode[];
  order: NodeOrderInput;
  predicate?: NodePredicate;
  /** Undefined = every matching node. */
  first?: number;
  after?: string;
}

export interface NodePage {
  readonly nodes: readonly CachedNode[];
  readonly hasNextPage: boolean;
  readonly hasPreviousPage: boolean;
  /** Matching nodes in the whole view; counted on first read. */
  readonly totalCount: number;
}

/**
 * One page of a sorted view: keyset pagination, so a page boundary stays put when nodes are
 * added or removed elsewhere in the list. Walks the view from the cursor and stops after
 * `first` matches; nothing is sorted or copied beyond the page.
 */
export function pageOfNodes(req: NodePageRequest): NodePage {
  const { view, order, predicate } = req;
  const limit = req.first ?? Number.POSITIVE_INFINITY;
  const desc = order.direction === 'DESC';
  const key = req.after !== undefined ? decodeNodeCursor(req.after, order.field) : undefined;
  // DESC walks the ascending view backwards from just before the cursor.
  const start = desc
    ? (key ? boundAfter(view, key, true) : view.length) - 1
    : key
      ? boundAfter(view, key, false)
      : 0;
  const hasPreviousPage = desc ? start < view.length - 1 : start > 0;
  if (!predicate && !desc) {
    const end = Math.min(view.length, start + limit);
    const nodes = start === 0 && end === view.length ? view : view.slice(start, end);
    return makePage(nodes, end < view.length, hasPreviousPage, view, predicate);
  }
  const step = desc ? -1 : 1;
  const nodes: CachedNode[] = [];
  let i = start;
  for (; i >= 0 && i < view.length && nodes.length < limit; i += step) {
    const node = view[i]!;
    if (!predicate || predicate(node)) nodes.push(node);
  }
  let hasNextPage = false;
  for (; i >= 0 && i < view.length && !hasNextPage; i += step)
    hasNextPage = !predicate || predicate(view[i]!);
  return makePage(nodes, hasNextPage, hasPreviousPage, view, predicate);
}

function makePage(
  nodes: readonly CachedNode[],
  hasNextPage: boolean,
  hasPreviousPage: boolean,
  view: readonly CachedNode[],
  predicate: NodePredicate | undefined,
): NodePage {
  let total: number | undefined;
  return {
    nodes,
    hasNextPage,
    hasPreviousPage,
    get totalCount() {
      total ??= predicate ? countMatches(view, predicate) : view.length;
      return total;
    },
  };
}

function countMatches(view: readonly CachedNode[], predicate: NodePredicate): number {
  let count = 0;
  for (const node of view) if (predicate(node)) count++;
  return count;
}

/**
 * Orders whose values are not in the node cache: each costs a read of the API per request (the
 * pod LIST chain or the metrics LIST), so they are computed for every node once per request and
 * the nodes sorted by them (see pageOfNodesByValue).
 */
export const COMPUTED_ORDER_FIELDS = [
  'POD_COUNT',
  'CPU_REQUESTS_FRACTION',
  'MEMORY_REQUESTS_FRACTION',
  'CPU_LIMITS_FRACTION',
  'MEMORY_LIMITS_FRACTION',
  'CPU_USAGE_FRACTION',
  'MEMORY_USAGE_FRACTION',
] as const;
export type ComputedOrderField = (typeof COMPUTED_ORDER_FIELDS)[number];

export function isComputedOrderField(field: string): field is ComputedOrderField {
  return (COMPUTED_ORDER_FIELDS as readonly string[]).includes(field);
}

/** A node's value for a computed order; null (no sample, no allocatable) sorts last either way. */
export type NodeValue = (node: CachedNode) => number | null;

export interface ValuePageRequest {
  /** The nodes to order, already filtered. */
  nodes: readonly CachedNode[];
  field: ComputedOrderField;
  direction: SortDirection;
  valueOf: NodeValue;
  first?: number;
  after?: string;
}

interface ValueKey {
  readonly value: number | null;
  readonly name: string;
}

/** Ascending or descending by value, then by name the same way; nulls last in both. */
function compareValueKeys(a: ValueKey, b: ValueKey, desc: boolean): number {
  if (a.value === null || b.value === null) {
    if (a.value === b.value) return desc ? cmpText(b.name, a.name) : cmpText(a.name, b.name);
    return a.value === null ? 1 : -1;
  }
  if (a.value !== b.value) return desc ? b.value - a.value : a.value - b.value;
  return desc ? cmpText(b.name, a.name) : cmpText(a.name, b.name);
}

function cmpText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Cursor of a node in a computed order: the field, the value it had then, and its name. */
export function encodeValueCursor(field: ComputedOrderField, value: number | null, name: string): string {
  return Buffer.from(`v\u0000${field}\u0000${value === null ? '' : String(value)}\u0000${name}`).toString(
    'base64url',
  );
}

function decodeValueCursor(cursor: string, field: ComputedOrderField): ValueKey {
  const parts = Buffer.from(cursor, 'base64url').toString('utf8').split('\u0000');
  if (parts.length === 4 && parts[0] === 'v') {
    if (parts[1] !== field) {
      throw new NodeQueryError(
        `cursor ${quoteInput(cursor)} belongs to another orderBy; pass the same orderBy as the first page`,
      );
    }
    const value = parts[2] === '' ? null : Number(parts[2]);
    if (value === null || Number.isFinite(value)) return { value, name: parts[3]! };
  }
  if (parts[0] === 'n' || parts[0] === 'c') {
    throw new NodeQueryError(
      `cursor ${quoteInput(cursor)} belongs to another orderBy; pass the same orderBy as the first page`,
    );
  }
  throw new NodeQueryError(
    `${quoteInput(cursor)} is not a node cursor; pass an edge cursor or pageInfo.endCursor`,
  );
}

export interface ValuePage extends NodePage {
  readonly cursorOf: (node: CachedNode) => string;
}

/**
 * One page of nodes ordered by a value computed for this request. The cursor carries the value
 * the node had when the page was made, so the next page starts after that (value, name) even when
 * values moved in between: keyset paging, no node is skipped or repeated while values hold still.
 */
export function pageOfNodesByValue(req: ValuePageRequest): ValuePage {
  const desc = req.direction === 'DESC';
  const entries = req.nodes.map((node) => ({ node, value: req.valueOf(node), name: node.name }));
  entries.sort((a, b) => compareValueKeys(a, b, desc));
  const key = req.after !== undefined ? decodeValueCursor(req.after, req.field) : undefined;
  let start = 0;
  if (key) {
    let lo = 0;
    let hi = entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareValueKeys(entries[mid]!, key, desc) <= 0) lo = mid + 1;
      else hi = mid;
    }
    start = lo;
  }
  const limit = req.first ?? Number.POSITIVE_INFINITY;
  const page = entries.slice(start, start + limit);
  const values = new Map(page.map((e) => [e.node, e.value]));
  return {
    nodes: page.map((e) => e.node),
    hasNextPage: start + page.length < entries.length,
    hasPreviousPage: start > 0,
    totalCount: entries.length,
    cursorOf: (node) => encodeValueCursor(req.field, values.get(node) ?? req.valueOf(node), node.name),
  };
}
