import { describe, expect, it } from 'vitest';
import { decodeAfter, pageInfoOf, pageSize, sliceConnection } from '../../src/resolvers/connection.js';
import { graphqlErrorOf } from '../support/graphql-error-of.js';

const MAX = 50;

describe('pageSize', () => {
  it.each<[string, number | null | undefined, number | undefined, number | undefined]>([
    ['omitted (undefined) takes the default', undefined, 100, 100],
    ['omitted (null) takes the default', null, 100, 100],
    ['omitted with no default means every item', undefined, undefined, undefined],
    ['0 is a page of nothing', 0, 100, 0],
    ['the maximum itself', MAX, 100, MAX],
  ])('%s', (_what, first, omitted, expected) => {
    expect(pageSize(first, MAX, omitted)).toBe(expected);
  });

  it.each<[string, number]>([
    ['negative', -1],
    ['over the maximum', MAX + 1],
    ['far over the maximum (no clamping)', 5000],
    ['not an integer', 2.5],
    ['NaN', Number.NaN],
    ['infinite', Number.POSITIVE_INFINITY],
  ])('%s is BAD_USER_INPUT naming the argument and the maximum', (_what, first) => {
    const err = graphqlErrorOf(() => pageSize(first, MAX, 100));
    expect(err.message).toBe(`first must be between 0 and ${MAX}`);
    expect(err.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'first', max: MAX });
  });
});

describe('decodeAfter', () => {
  const decodeNumber = (cursor: string) => (/^\d+$/.test(cursor) ? Number(cursor) : undefined);

  it('no cursor is no position', () => {
    expect(decodeAfter(undefined, decodeNumber)).toBeUndefined();
    expect(decodeAfter(null, decodeNumber)).toBeUndefined();
  });

  it("decodes with the field's codec", () => {
    expect(decodeAfter('42', decodeNumber)).toBe(42);
  });

  it.each(['bogus', '', '-1', '\u0000'])('a malformed cursor %j is BAD_USER_INPUT on `after`', (cursor) => {
    const err = graphqlErrorOf(() => decodeAfter(cursor, decodeNumber));
    expect(err.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'after' });
    expect(err.message).toContain('is not a cursor this field returned');
  });
});

describe('sliceConnection', () => {
  const items = ['a', 'b', 'c', 'd', 'e'];
  const cursorOf = (s: string) => `cursor:${s}`;

  it('a middle page has both neighbours and cursors of its ends', () => {
    const c = sliceConnection(items, 1, 2, cursorOf);
    expect(c.edges).toEqual([
      { cursor: 'cursor:b', node: 'b' },
      { cursor: 'cursor:c', node: 'c' },
    ]);
    expect(c.totalCount).toBe(5);
    expect(c.pageInfo).toEqual({
      hasNextPage: true,
      hasPreviousPage: true,
      startCursor: 'cursor:b',
      endCursor: 'cursor:c',
    });
  });

  it('the last page has no next page', () => {
    expect(sliceConnection(items, 3, 10, cursorOf).pageInfo).toMatchObject({
      hasNextPage: false,
      hasPreviousPage: true,
      endCursor: 'cursor:e',
    });
  });

  it('first: 0 and a start past the end are empty pages with null cursors', () => {
    for (const c of [sliceConnection(items, 0, 0, cursorOf), sliceConnection(items, 9, 3, cursorOf)]) {
      expect(c.edges).toEqual([]);
      expect(c.totalCount).toBe(5);
      expect(c.pageInfo.startCursor).toBeNull();
      expect(c.pageInfo.endCursor).toBeNull();
    }
    expect(sliceConnection(items, 0, 0, cursorOf).pageInfo.hasNextPage).toBe(true);
  });
});

describe('pageInfoOf', () => {
  it('takes the flags as given and the cursors of the first and last item', () => {
    expect(pageInfoOf([1, 2, 3], String, { hasNextPage: false, hasPreviousPage: true })).toEqual({
      hasNextPage: false,
      hasPreviousPage: true,
      startCursor: '1',
      endCursor: '3',
    });
  });
});
