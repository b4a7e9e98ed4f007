import type { GraphQLError } from 'graphql';
import { gatewayError, quoteInput } from './graphql-errors.js';

/**
 * Paging, one way for every list field: `first` is an integer from 0 to the gateway's
 * --max-page-size (each field keeps its own default when it is omitted), anything else is
 * BAD_USER_INPUT with `{ argument: 'first', max }`; an `after` cursor the field never returned
 * is BAD_USER_INPUT with `{ argument: 'after' }`; a connection's PageInfo is built in one place.
 *
 * Why not @pothos/plugin-relay: its connection helpers clamp `first` to `maxSize` silently (the
 * very thing this file exists to stop) and throw their own validation error, and add `last` and
 * `before` to every connection field, which would change the schema. Node cursors are keyset
 * cursors keyed by the sort field (name, or createdAt then name), decoded inside the cache's
 * binary search (src/informers/node-query.ts), not offsets or ids; and Query.nodes is answered
 * synchronously by a pre-built NodeConnectionShape that computes edges, cursors and totalCount
 * only when selected, where the plugin's resolvers build every edge of a page up front.
 */

export interface PageInfo {
  readonly hasNextPage: boolean;
  readonly hasPreviousPage: boolean;
  readonly startCursor: string | null;
  readonly endCursor: string | null;
}

export interface Edge<T> {
  readonly cursor: string;
  readonly node: T;
}

export interface Connection<T> {
  readonly edges: readonly Edge<T>[];
  readonly pageInfo: PageInfo;
  /** Items matching the field's filters, across all pages. */
  readonly totalCount: number;
}

/**
 * The `first` argument checked against `max`; `omitted` when the client left it out (null or
 * undefined). Never clamps: a page size the gateway will not serve is the client's mistake.
 */
export function pageSize<D extends number | undefined>(
  first: number | null | undefined,
  max: number,
  omitted: D,
): number | D {
  if (first === null || first === undefined) return omitted;
  if (!Number.isInteger(first) || first < 0 || first > max) {
    throw gatewayError('BAD_USER_INPUT', `first must be between 0 and ${max}`, { argument: 'first', max });
  }
  return first;
}

/** BAD_USER_INPUT for an `after` cursor that cannot be used, saying why. */
export function invalidAfter(reason: string): GraphQLError {
  return gatewayError('BAD_USER_INPUT', `after: ${reason}`, { argument: 'after' });
}

/**
 * Decodes an `after` cursor with the field's own codec (which returns undefined for text it did
 * not produce); undefined when there is no cursor.
 */
export function decodeAfter<K>(
  after: string | null | undefined,
  decode: (cursor: string) => K | undefined,
): K | undefined {
  if (after === null || after === undefined) return undefined;
  const key = decode(after);
  if (key === undefined) throw invalidAfter(`${quoteInput(after)} is not a cursor this field returned`);
  return key;
}

/** PageInfo of a page whose first and last items are `first` and `last` (none for an empty page). */
export function pageInfoOf<T>(
  page: readonly T[],
  cursorOf: (item: T) => string,
  flags: { hasNextPage: boolean; hasPreviousPage: boolean },
): PageInfo {
  const first = page[0];
  const last = page[page.length - 1];
  return {
    ...flags,
    startCursor: first === undefined ? null : cursorOf(first),
    endCursor: last === undefined ? null : cursorOf(last),
  };
}

/** The page of `first` items from index `from` of a fully listed, sorted `items`. */
export function sliceConnection<T>(
  items: readonly T[],
  from: number,
  first: number,
  cursorOf: (item: T) => string,
): Connection<T> {
  const start = Math.min(Math.max(from, 0), items.length);
  const page = items.slice(start, start + first);
  return {
    edges: page.map((node) => ({ cursor: cursorOf(node), node })),
    totalCount: items.length,
    pageInfo: pageInfoOf(page, cursorOf, {
      hasNextPage: start + page.length < items.length,
      hasPreviousPage: start > 0,
    }),
  };
}
