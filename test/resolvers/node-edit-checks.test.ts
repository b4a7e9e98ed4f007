import { describe, expect, it } from 'vitest';
import {
  checkedCordonReason,
  checkedLabelEdit,
  checkedTaintEdit,
  isReservedKey,
} from '../../src/resolvers/node-edit-checks.js';

const ruleOf = (fn: () => unknown) => {
  try {
    fn();
    return undefined;
  } catch (err) {
    return (err as { extensions?: { code?: string; rule?: string } }).extensions;
  }
};

describe('node edit checks', () => {
  it('reserves kubernetes.io and k8s.io keys except node roles and the two administrator labels', () => {
    for (const key of [
      'kubernetes.io/hostname',
      'topology.kubernetes.io/zone',
      'node.kubernetes.io/instance-type',
      'beta.kubernetes.io/arch',
      'k8s.io/anything',
      'node.k8s.io/x',
      'node.kubernetes.io/unreachable',
      'Kubernetes.IO/x',
    ]) {
      expect(isReservedKey(key), key).toBe(true);
    }
    for (const key of [
      'node-role.kubernetes.io/worker',
      'node.kubernetes.io/exclude-from-external-load-balancers',
      'node.kubernetes.io/exclude-disruption',
      'example.com/kubernetes.io',
      'notkubernetes.io/x',
      'team',
    ]) {
      expect(isReservedKey(key), key).toBe(false);
    }
  });

  it('refuses duplicate keys, set-and-remove and empty edits', () => {
    expect(
      ruleOf(() =>
        checkedLabelEdit({
          set: [
            { key: 'a', value: '' },
            { key: 'a', value: 'b' },
          ],
          remove: [],
        }),
      ),
    ).toMatchObject({ rule: 'Duplicate' });
    expect(ruleOf(() => checkedLabelEdit({ set: [], remove: [] }))).toMatchObject({
      rule: 'NothingToChange',
    });
    expect(
      ruleOf(() =>
        checkedTaintEdit({
          set: [{ key: 'k', value: null, effect: 'NoSchedule' }],
          remove: [{ key: 'k', effect: null }],
        }),
      ),
    ).toMatchObject({ rule: 'Duplicate' });
    // The same key with two effects is two taints.
    expect(
      ruleOf(() =>
        checkedTaintEdit({
          set: [
            { key: 'k', value: null, effect: 'NoSchedule' },
            { key: 'k', value: null, effect: 'NoExecute' },
          ],
          remove: [{ key: 'k', effect: 'PreferNoSchedule' }],
        }),
      ),
    ).toBeUndefined();
    expect(
      ruleOf(() =>
        checkedLabelEdit({
          set: Array.from({ length: 101 }, (_, i) => ({ key: `k${i}`, value: '' })),
          remove: [],
        }),
      ),
    ).toMatchObject({ rule: 'MaxItems' });
  });

  it('takes a cordon reason of up to 256 printable characters; empty is none', () => {
    expect(checkedCordonReason('')).toBeNull();
    expect(checkedCordonReason(undefined)).toBeNull();
    expect(checkedCordonReason('ünïcode ✓ 🚧 reason')).toBe('ünïcode ✓ 🚧 reason');
    expect(checkedCordonReason('r'.repeat(256))).toHaveLength(256);
    for (const bad of ['r'.repeat(257), 'a\tb', 'a\u0000b', 'a\u0085b', 'a\u2066b', 'a\ud800b']) {
      expect(ruleOf(() => checkedCordonReason(bad))).toMatchObject({
        code: 'BAD_USER_INPUT',
        rule: 'CordonReason',
      });
    }
  });
});
