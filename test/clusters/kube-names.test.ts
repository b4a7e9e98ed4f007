import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  isDNS1123Label,
  isDNS1123Subdomain,
  isQualifiedName,
  isTaintEffect,
  isUUID,
  isValidLabelValue,
  nameProblem,
} from '../../src/clusters/kube-names.js';

// Reference regexes written out independently of the module, straight from validation.go.
const REF_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const REF_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const REF_QNAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

const refLabel = (s: string) => s.length <= 63 && REF_LABEL.test(s);
const refSubdomain = (s: string) => s.length <= 253 && REF_SUBDOMAIN.test(s);
const refLabelValue = (s: string) => s === '' || (s.length <= 63 && REF_QNAME.test(s));
function refQualifiedName(s: string): boolean {
  const parts = s.split('/');
  if (parts.length > 2) return false;
  const name = parts.at(-1)!;
  const prefixOk = parts.length === 1 || (parts[0] !== '' && refSubdomain(parts[0]!));
  return prefixOk && name.length <= 63 && REF_QNAME.test(name);
}

const alnum = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789');
const labelInner = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789-');
/** Valid DNS-1123 labels of 1..maxLength characters. */
const dnsLabel = (maxLength = 63) =>
  fc
    .tuple(alnum, fc.array(labelInner, { maxLength: Math.max(0, maxLength - 2) }), alnum, fc.boolean())
    .map(([a, mid, z, short]) => (short ? a : `${a}${mid.join('')}${z}`));
const dnsSubdomain = fc.array(dnsLabel(20), { minLength: 1, maxLength: 5 }).map((labels) => labels.join('.'));

/** Characters that show up in hostile input: case, separators, path tricks, unicode. */
const anyChar = fc.constantFrom(...'aZ09-_./%:!@ \u0000\u00e9\u{1f600}A.-');
const hostile = fc.oneof(
  fc.string(),
  fc.array(anyChar, { maxLength: 40 }).map((c) => c.join('')),
  fc.constantFrom('.', '..', '/', '%2F', '-a', 'a-', 'a..b', 'A', ''),
);

describe('DNS-1123 names', () => {
  it('accepts every generated valid label and subdomain', () => {
    fc.assert(
      fc.property(dnsLabel(), (s) => isDNS1123Label(s).length === 0 && isDNS1123Subdomain(s).length === 0),
    );
    fc.assert(fc.property(dnsSubdomain, (s) => isDNS1123Subdomain(s).length === 0));
  });

  it('rejects mutations of valid names: an uppercase letter, a leading or trailing dash, one character too many', () => {
    fc.assert(
      fc.property(dnsSubdomain, fc.nat(), (s, at) => {
        const i = at % s.length;
        const upper = `${s.slice(0, i)}X${s.slice(i + 1)}`;
        expect(isDNS1123Subdomain(upper)).not.toEqual([]);
        expect(isDNS1123Subdomain(`-${s}`)).not.toEqual([]);
        expect(isDNS1123Subdomain(`${s}-`)).not.toEqual([]);
        expect(isDNS1123Subdomain(`${s}.`)).not.toEqual([]);
      }),
    );
    fc.assert(fc.property(dnsLabel(), (s) => isDNS1123Label(s.padEnd(64, 'a')).length > 0));
    expect(isDNS1123Subdomain('a'.repeat(253))).toEqual([]);
    expect(isDNS1123Subdomain('a'.repeat(254))).toEqual(['must be no more than 253 characters']);
  });

  it('agrees with the reference regexes on any string', () => {
    fc.assert(
      fc.property(hostile, (s) => {
        expect(isDNS1123Label(s).length === 0).toBe(refLabel(s));
        expect(isDNS1123Subdomain(s).length === 0).toBe(refSubdomain(s));
        expect(isQualifiedName(s).length === 0).toBe(refQualifiedName(s));
        expect(isValidLabelValue(s).length === 0).toBe(refLabelValue(s));
      }),
      { numRuns: 2000 },
    );
  });

  it('words problems as Kubernetes does', () => {
    expect(isDNS1123Subdomain('..')).toEqual([
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
    ]);
    expect(isDNS1123Label('a.b')).toEqual(['must not contain dots']);
    expect(isDNS1123Label('A')[0]).toMatch(
      /^a lowercase RFC 1123 label must consist of .* \(e\.g\. 'my-name', or '123-abc', regex/,
    );
    expect(isQualifiedName('/a')).toEqual(['prefix part must be non-empty']);
    expect(isQualifiedName('a/b/c')[0]).toMatch(/^a qualified name must consist of/);
    expect(isQualifiedName(`${'a'.repeat(64)}`)).toEqual(['name part must be no more than 63 characters']);
  });
});

describe('label values, taints, drain job ids', () => {
  it.each([
    ['', true],
    ['v1.2_3-x', true],
    ['-a', false],
    ['a'.repeat(63), true],
    ['a'.repeat(64), false],
  ])('label value %j valid: %s', (value, valid) => {
    expect(isValidLabelValue(value).length === 0).toBe(valid);
  });

  it.each([
    ['NoSchedule', true],
    ['PreferNoSchedule', true],
    ['NoExecute', true],
    ['noschedule', false],
    ['', false],
  ])('taint effect %j valid: %s', (value, valid) => {
    expect(isTaintEffect(value).length === 0).toBe(valid);
  });

  it('takes UUIDs as drain job ids, and nothing else', () => {
    fc.assert(fc.property(fc.uuid(), (id) => isUUID(id).length === 0));
    fc.assert(fc.property(fc.uuid(), (id) => isUUID(`${id}:events`).length > 0));
    expect(isUUID('..').length).toBeGreaterThan(0);
  });
});

describe('nameProblem', () => {
  it('names the rule and quotes at most about 100 characters of the value', () => {
    const problem = nameProblem('nodeName', 'x'.repeat(100_000));
    expect(problem?.rule).toBe('IsDNS1123Subdomain');
    expect(problem?.message.length).toBeLessThan(600);
    expect(problem?.message).toContain('(100000 characters)');
    expect(nameProblem('namespace', 'kube-system')).toBeUndefined();
    expect(nameProblem('taintEffect', 'Never')?.message).toBe(
      'Unsupported value: "Never": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"',
    );
  });
});
