import { describe, expect, it } from 'vitest';
import { checkedName, checkedNames, checkedOptionalName } from '../../src/resolvers/argument-checks.js';
import { quoteInput } from '../../src/resolvers/graphql-errors.js';
import { graphqlErrorOf } from '../support/graphql-error-of.js';

describe('argument checks', () => {
  it.each([
    ['nodeName', 'name', '.', 'IsDNS1123Subdomain'],
    ['nodeName', 'name', '..', 'IsDNS1123Subdomain'],
    ['nodeName', 'name', 'Node-1', 'IsDNS1123Subdomain'],
    ['namespace', 'namespace', '..', 'IsDNS1123Label'],
    ['namespace', 'namespace', 'a.b', 'IsDNS1123Label'],
    ['drainJobId', 'id', '3f8e6c2a-1b4d-4e9f-9a7c-5d2e8b1f0c6a:events', 'UUID'],
    ['taintKey', 'filter.taintKey', 'a/b/c', 'IsQualifiedName'],
  ] as const)('%s %j is BAD_USER_INPUT naming the argument and the rule', (kind, argument, value, rule) => {
    const err = graphqlErrorOf(() => checkedName(kind, argument, value));
    expect(err.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument, rule });
    expect(err.message).toMatch(new RegExp(`^${argument.replace('.', '\\.')}: Invalid value: `));
  });

  it('passes valid names through, and null or undefined optional ones', () => {
    expect(checkedName('nodeName', 'name', 'node-0001.example.com')).toBe('node-0001.example.com');
    expect(checkedOptionalName('namespace', 'namespace', null)).toBeNull();
    expect(checkedOptionalName('namespace', 'namespace', undefined)).toBeUndefined();
  });

  it('names the index of the first bad item of a list', () => {
    expect(
      graphqlErrorOf(() => checkedNames('nodeName', 'names', ['a', 'b', '..'])).extensions.argument,
    ).toBe('names[2]');
  });

  it('quotes a 100 KB value in about 100 characters', () => {
    const err = graphqlErrorOf(() => checkedName('nodeName', 'name', 'X'.repeat(100_000)));
    expect(err.message.length).toBeLessThan(700);
    expect(quoteInput('short')).toBe('"short"');
    expect(quoteInput('\u{1f600}'.repeat(150))).toBe(`"${'\u{1f600}'.repeat(100)}"... (300 characters)`);
  });
});
