import { describe, expect, it } from 'vitest';
import { applyTaintEdit } from '../../src/drain/node-edits.js';

describe('applyTaintEdit', () => {
  const current = [
    { key: 'a', value: '1', effect: 'NoSchedule' },
    { key: 'a', effect: 'NoExecute', timeAdded: '2026-12-01T00:00:00Z' },
    { key: 'b', value: 'x', effect: 'PreferNoSchedule' },
  ];

  it('replaces in place (keeping timeAdded), appends new taints, removes by key or key and effect', () => {
    expect(
      applyTaintEdit(current, {
        set: [
          { key: 'a', value: '2', effect: 'NoExecute' },
          { key: 'c', value: null, effect: 'NoSchedule' },
        ],
        remove: [{ key: 'b', effect: null }],
      }),
    ).toEqual([
      { key: 'a', value: '1', effect: 'NoSchedule' },
      { key: 'a', value: '2', effect: 'NoExecute', timeAdded: '2026-12-01T00:00:00Z' },
      { key: 'c', effect: 'NoSchedule' },
    ]);
    expect(applyTaintEdit(current, { set: [], remove: [{ key: 'a', effect: 'NoSchedule' }] })).toHaveLength(
      2,
    );
    expect(
      applyTaintEdit(current, { set: [{ key: 'a', value: '', effect: 'NoSchedule' }], remove: [] })[0],
    ).toEqual({
      key: 'a',
      effect: 'NoSchedule',
    });
  });

  it('leaves the input alone', () => {
    const copy = structuredClone(current);
    applyTaintEdit(current, {
      set: [{ key: 'a', value: 'z', effect: 'NoSchedule' }],
      remove: [{ key: 'b', effect: null }],
    });
    expect(current).toEqual(copy);
  });
});
