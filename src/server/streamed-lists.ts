import type { GraphQLResolveInfo } from 'graphql';
import type { GatewayContext } from './context.js';

/** A list field whose items are executed and written after the rest of the answer, in slices. */
export interface StreamedList {
  /** Response path of the list (aliases, list indices). */
  readonly path: readonly (string | number)[];
  /** The field's resolve info: its selection, fragments, operation and type. */
  readonly info: GraphQLResolveInfo;
  readonly length: number;
  /** Items `from` to `to` (exclusive), as the field's resolver would have returned them. */
  slice(from: number, to: number): readonly unknown[];
}

/**
 * The long lists of one HTTP operation that use-streamed-lists.ts writes item by item. A list
 * resolver offers its items here (streamableList); over `minItems` they are taken and the field
 * resolves to [] for now, so execution builds only the small rest of the answer, and the items
 * are executed a slice at a time while the response body is pulled, never all at once.
 */
export class StreamedLists {
  readonly lists: StreamedList[] = [];
  /** Set while slices execute: a list inside a streamed item is resolved in place. */
  private closed = false;

  constructor(
    /** Lists longer than this are streamed. */
    readonly minItems: number,
  ) {}

  offer(info: GraphQLResolveInfo, length: number, slice: StreamedList['slice']): boolean {
    if (this.closed || length <= this.minItems) return false;
    this.lists.push({ path: pathOf(info), info, length, slice });
    return true;
  }

  /** No more offers: execution of the operation itself is over. */
  close(): void {
    this.closed = true;
  }
}

/** What a context carries while its operation may stream lists (HTTP JSON answers only). */
export interface StreamingContext {
  streamedLists?: StreamedLists;
}

/**
 * A list field's items, or [] when the HTTP response will execute and write them later in
 * slices (see StreamedLists). Small lists, and every other transport, resolve as usual.
 */
export function streamableList<T>(
  ctx: GatewayContext,
  info: GraphQLResolveInfo,
  items: readonly T[],
): readonly T[] {
  const streamed = (ctx as GatewayContext & StreamingContext).streamedLists;
  if (!streamed || items.length <= streamed.minItems) return items;
  // A copy: the node cache patches its sorted views in place, and the answer is one snapshot.
  const snapshot = items.slice();
  return streamed.offer(info, snapshot.length, (from, to) => snapshot.slice(from, to)) ? [] : items;
}

/** streamableList of `source` mapped by `map`, mapping only the items actually resolved. */
export function streamableMappedList<S, T>(
  ctx: GatewayContext,
  info: GraphQLResolveInfo,
  source: readonly S[],
  map: (item: S) => T,
): readonly T[] {
  const streamed = (ctx as GatewayContext & StreamingContext).streamedLists;
  if (!streamed || source.length <= streamed.minItems) return source.map(map);
  const snapshot = source.slice();
  return streamed.offer(info, snapshot.length, (from, to) => snapshot.slice(from, to).map(map))
    ? []
    : source.map(map);
}

function pathOf(info: GraphQLResolveInfo): (string | number)[] {
  const path: (string | number)[] = [];
  for (let p: GraphQLResolveInfo['path'] | undefined = info.path; p; p = p.prev) path.push(p.key);
  return path.reverse();
}
