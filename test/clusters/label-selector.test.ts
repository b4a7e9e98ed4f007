import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatLabelSelector,
  type LabelOperator,
  type LabelRequirement,
  LabelSelectorError,
  labelSelectorFromSpec,
  matches,
  parseLabelSelector,
} from '../../src/clusters/label-selector.js';

const qnameChar = fc.constantFrom(...'abcXYZ019-_.');
const alnum = fc.constantFrom(...'abcXYZ019');
const qualifiedName = fc
  .tuple(alnum, fc.array(qnameChar, { maxLength: 8 }), alnum)
  .map(([a, mid, z]) => `${a}${mid.join('')}${z}`);
const prefix = fc.constantFrom('', 'example.com/', 'node-role.kubernetes.io/', 'a/');
const labelKey = fc.tuple(prefix, qualifiedName).map(([p, n]) => p + n);
const labelValue = fc.oneof(fc.constant(''), qualifiedName);
const intValue = fc.bigInt({ min: 0n, max: 2n ** 63n - 1n }).map(String);

const requirement: fc.Arbitrary<LabelRequirement> = fc.oneof(
  labelKey.map((key) => ({ key, operator: 'exists' as const, values: [] })),
  labelKey.map((key) => ({ key, operator: 'doesNotExist' as const, values: [] })),
  fc
    .tuple(labelKey, fc.constantFrom<LabelOperator>('equals', 'notEquals'), labelValue)
    .map(([key, operator, v]) => ({ key, operator, values: [v] })),
  fc
    .tuple(labelKey, fc.constantFrom<LabelOperator>('gt', 'lt'), intValue)
    .map(([key, operator, v]) => ({ key, operator, values: [v] })),
  fc
    .tuple(
      labelKey,
      fc.constantFrom<LabelOperator>('in', 'notIn'),
      fc.uniqueArray(labelValue, { minLength: 1, maxLength: 4 }),
    )
    .map(([key, operator, values]) => ({ key, operator, values: [...values].sort() })),
);
/** Sorted by key, as the parser returns them. */
const selector = fc
  .array(requirement, { maxLength: 5 })
  .map((rs) => ({ requirements: [...rs].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)) }));

describe('label selector parser (properties)', () => {
  it('parse(format(x)) is x for generated valid selectors', () => {
    fc.assert(
      fc.property(selector, (sel) => {
        expect(parseLabelSelector(formatLabelSelector(sel))).toEqual(sel);
      }),
      { numRuns: 1000 },
    );
  });

  it('throws nothing but LabelSelectorError on any string', () => {
    const pieces = fc.constantFrom(
      'a',
      'in',
      'notin',
      '(',
      ')',
      ',',
      '!',
      '=',
      '==',
      '!=',
      '<',
      '>',
      ' ',
      '-',
      '9',
      'x/y',
      '/',
    );
    const input = fc.oneof(
      fc.string({ maxLength: 60 }),
      fc.array(pieces, { maxLength: 20 }).map((p) => p.join('')),
    );
    fc.assert(
      fc.property(input, (text) => {
        try {
          const parsed = parseLabelSelector(text);
          // Whatever parses formats to something that parses to the same selector.
          expect(parseLabelSelector(formatLabelSelector(parsed))).toEqual(parsed);
        } catch (err) {
          expect(err).toBeInstanceOf(LabelSelectorError);
        }
      }),
      { numRuns: 3000 },
    );
  });
});

describe('label selector parser, as the Go parser reads it', () => {
  it('parses the upstream doc example "x in (foo,,baz),y,z notin ()": () is the set {\'\'}', () => {
    const sel = parseLabelSelector('x in (foo,,baz),y,z notin ()');
    expect(sel.requirements).toEqual([
      { key: 'x', operator: 'in', values: ['', 'baz', 'foo'] },
      { key: 'y', operator: 'exists', values: [] },
      { key: 'z', operator: 'notIn', values: [''] },
    ]);
    expect(matches(sel, { x: 'foo', y: '1', z: 'v' })).toBe(true);
    expect(matches(sel, { x: 'foo', y: '1', z: '' })).toBe(false);
  });

  it.each([
    ['values are a sorted set', 'a in (c,b,c)', 'a in (b,c)'],
    ['requirements sorted by key', 'b=1,a', 'a,b=1'],
    ['in and notin are keys and values too', 'in in (notin)', 'in in (notin)'],
  ])('%s: %s prints as %s', (_what, input, printed) => {
    expect(formatLabelSelector(parseLabelSelector(input))).toBe(printed);
  });

  it.each([
    ['a list ending in ",,)"', 'a in (b,,)', "',', or identifier"],
    ['an integer beyond int64', 'a>9223372036854775808', 'must be an integer'],
    ['a comma then nothing', 'a,', "identifier after ','"],
  ])('rejects %s (%s)', (_what, input, message) => {
    expect(() => parseLabelSelector(input)).toThrow(LabelSelectorError);
    expect(() => parseLabelSelector(input)).toThrow(message);
  });

  it('compares Gt and Lt as int64, not as floats', () => {
    expect(matches(parseLabelSelector('n>9007199254740992'), { n: '9007199254740993' })).toBe(true);
    expect(matches(parseLabelSelector('n<9223372036854775807'), { n: '99999999999999999999' })).toBe(false);
  });

  it('quotes at most about 100 characters of a long bad key or value', () => {
    for (const input of [
      `${'k'.repeat(100_000)}!x`,
      `a=${'-'.repeat(100_000)}`,
      `${'A-'.repeat(50_000)}-=b`,
    ]) {
      try {
        parseLabelSelector(input);
        expect.unreachable();
      } catch (err) {
        expect(err).toBeInstanceOf(LabelSelectorError);
        expect((err as Error).message.length).toBeLessThan(700);
      }
    }
  });
});

describe('labelSelectorFromSpec, as LabelSelectorAsSelector checks it', () => {
  it.each([
    [
      'In with no values',
      { matchExpressions: [{ key: 'a', operator: 'In', values: [] }] },
      "values set can't be empty",
    ],
    [
      'NotIn with no values',
      { matchExpressions: [{ key: 'a', operator: 'NotIn' }] },
      "values set can't be empty",
    ],
    [
      'Exists with values',
      { matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] },
      'must be empty',
    ],
    ['a bad key', { matchLabels: { '-a': 'x' } }, 'invalid label key'],
    ['a bad value', { matchLabels: { a: '-x' } }, 'invalid label value'],
  ])('rejects %s', (_what, spec, message) => {
    expect(() => labelSelectorFromSpec(spec)).toThrow(message);
  });
});
