import { describe, expect, it } from 'vitest';
import {
  formatLabelSelector,
  isEverything,
  LabelSelectorError,
  labelSelectorFromSpec,
  matches,
  parseLabelSelector,
} from '../../src/clusters/label-selector.js';
import { fieldsMatch, parseFieldSelector } from '../../src/sim/field-selector.js';

const labels = { app: 'web', tier: 'frontend', 'topology.kubernetes.io/zone': 'us-east-1a', replicas: '3' };

describe('parseLabelSelector', () => {
  it('treats an empty selector as matching everything', () => {
    const sel = parseLabelSelector('');
    expect(isEverything(sel)).toBe(true);
    expect(matches(sel, {})).toBe(true);
  });

  it.each([
    ['app=web', true],
    ['app==web', true],
    ['app!=web', false],
    ['app!=api', true],
    ['missing!=x', true],
    ['app', true],
    ['!app', false],
    ['!missing', true],
    ['app in (web,api)', true],
    ['app in (api)', false],
    ['app notin (api, db)', true],
    ['missing notin (a)', true],
    ['missing in (a)', false],
    ['app=web,tier=frontend', true],
    ['app=web,tier=backend', false],
    ['topology.kubernetes.io/zone in (us-east-1a,us-east-1b),!node-role.kubernetes.io/control-plane', true],
    ['replicas>2', true],
    ['replicas<3', false],
    ['  app = web ', true],
  ])('%s matches: %s', (input, expected) => {
    expect(matches(parseLabelSelector(input), labels)).toBe(expected);
  });

  it('parses an empty value after = as the empty string', () => {
    const sel = parseLabelSelector('node-role.kubernetes.io/control-plane=');
    expect(matches(sel, { 'node-role.kubernetes.io/control-plane': '' })).toBe(true);
    expect(matches(sel, {})).toBe(false);
  });

  it.each(['app=', 'app in ()', 'app in (a,)'])('accepts empty values in %s', (input) => {
    expect(() => parseLabelSelector(input)).not.toThrow();
  });

  it.each([
    ['app in web', "expected: '('"],
    ['app in (web', "expected: ',' or ')'"],
    ['=web', 'expected: identifier'],
    ['app=web,', 'identifier'],
    ['app=we b', "',' or end of string"],
    ['-bad=x', 'invalid label key'],
    ['app=-bad-', 'invalid label value'],
    ['replicas>x', 'must be an integer'],
    ['!app=web', "',' or end of string"],
  ])('rejects %s with a clear message', (input, message) => {
    expect(() => parseLabelSelector(input)).toThrow(LabelSelectorError);
    expect(() => parseLabelSelector(input)).toThrow(message);
  });

  it('formats back to the canonical string', () => {
    expect(formatLabelSelector(parseLabelSelector('a=b,c in (d,e),!f,g'))).toBe('a=b,c in (d,e),!f,g');
  });

  it('converts metav1.LabelSelector objects', () => {
    const sel = labelSelectorFromSpec({
      matchLabels: { app: 'web' },
      matchExpressions: [
        { key: 'tier', operator: 'In', values: ['frontend'] },
        { key: 'x', operator: 'DoesNotExist' },
      ],
    });
    expect(matches(sel, labels)).toBe(true);
    expect(matches(sel, { ...labels, x: '1' })).toBe(false);
    expect(() => labelSelectorFromSpec({ matchExpressions: [{ key: 'a', operator: 'Bogus' }] })).toThrow(
      LabelSelectorError,
    );
  });
});

describe('parseFieldSelector', () => {
  const fields = { 'spec.nodeName': 'node-0001', 'status.phase': 'Running', 'metadata.name': 'a' };
  it.each([
    ['spec.nodeName=node-0001', true],
    ['spec.nodeName==node-0001', true],
    ['spec.nodeName!=node-0001', false],
    ['spec.nodeName=node-0001,status.phase!=Failed', true],
    ['status.phase=Succeeded', false],
    ['spec.nodeName=', false],
    ['', true],
  ])('%s matches: %s', (input, expected) => {
    expect(fieldsMatch(parseFieldSelector(input), fields)).toBe(expected);
  });

  it('matches an empty value against an unset field', () => {
    expect(fieldsMatch(parseFieldSelector('spec.nodeName='), { 'spec.nodeName': '' })).toBe(true);
  });

  it('unescapes backslash-escaped values', () => {
    expect(parseFieldSelector('metadata.name=a\\,b').requirements[0]).toEqual({
      field: 'metadata.name',
      operator: '=',
      value: 'a,b',
    });
  });

  it('rejects terms without an operator', () => {
    expect(() => parseFieldSelector('spec.nodeName')).toThrow("can't understand 'spec.nodeName'");
  });
});
