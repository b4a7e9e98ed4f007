import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../src/sim/kube-object.js';
import { applyJsonPatch, JsonPatchError } from '../../src/sim/patch/json-patch.js';
import { applyMergePatch } from '../../src/sim/patch/merge-patch.js';
import { applyStrategicMergePatch } from '../../src/sim/patch/strategic-merge-patch.js';

const node: JsonObject = {
  metadata: { name: 'n1', labels: { a: '1', b: '2' }, finalizers: ['x'] },
  spec: { taints: [{ key: 'k1', effect: 'NoSchedule' }], podCIDRs: ['10.0.0.0/24'] },
  status: {
    conditions: [
      { type: 'Ready', status: 'True' },
      { type: 'DiskPressure', status: 'False' },
    ],
    addresses: [{ type: 'InternalIP', address: '10.0.0.1' }],
  },
};

describe('strategic merge patch', () => {
  it('sets spec.unschedulable as kubectl cordon does', () => {
    const out = applyStrategicMergePatch('nodes', node, { spec: { unschedulable: true } });
    expect(out.spec).toMatchObject({ unschedulable: true, taints: [{ key: 'k1' }] });
  });

  it('replaces the atomic taints list (kubectl taint sends the whole list)', () => {
    const out = applyStrategicMergePatch('nodes', node, {
      spec: { taints: [{ key: 'k2', value: 'v', effect: 'NoExecute' }] },
    });
    expect((out.spec as JsonObject).taints).toEqual([{ key: 'k2', value: 'v', effect: 'NoExecute' }]);
  });

  it('removes a key with null and keeps the rest', () => {
    const out = applyStrategicMergePatch('nodes', node, { metadata: { labels: { a: null, c: '3' } } });
    expect((out.metadata as JsonObject).labels).toEqual({ b: '2', c: '3' });
  });

  it('merges conditions by type', () => {
    const out = applyStrategicMergePatch('nodes', node, {
      status: {
        conditions: [
          { type: 'Ready', status: 'False' },
          { type: 'PIDPressure', status: 'False' },
        ],
      },
    });
    expect((out.status as JsonObject).conditions).toEqual([
      { type: 'Ready', status: 'False' },
      { type: 'DiskPressure', status: 'False' },
      { type: 'PIDPressure', status: 'False' },
    ]);
  });

  it('deletes list elements with $patch: delete and honours $setElementOrder', () => {
    const out = applyStrategicMergePatch('nodes', node, {
      status: {
        '$setElementOrder/conditions': [{ type: 'Ready' }],
        conditions: [{ type: 'DiskPressure', $patch: 'delete' }],
      },
    });
    expect((out.status as JsonObject).conditions).toEqual([{ type: 'Ready', status: 'True' }]);
  });

  it('unions primitive merge lists and deletes from them', () => {
    const added = applyStrategicMergePatch('nodes', node, { metadata: { finalizers: ['y'] } });
    expect((added.metadata as JsonObject).finalizers).toEqual(['x', 'y']);
    const removed = applyStrategicMergePatch('nodes', added, {
      metadata: { '$deleteFromPrimitiveList/finalizers': ['x'] },
    });
    expect((removed.metadata as JsonObject).finalizers).toEqual(['y']);
  });

  it('replaces a map with $patch: replace', () => {
    const out = applyStrategicMergePatch('nodes', node, {
      metadata: { labels: { z: '9', $patch: 'replace' } },
    });
    expect((out.metadata as JsonObject).labels).toEqual({ z: '9' });
  });

  it('merges pod containers by name and their env by name', () => {
    const pod: JsonObject = {
      spec: {
        containers: [
          { name: 'a', image: 'x:1', env: [{ name: 'A', value: '1' }] },
          { name: 'b', image: 'y:1' },
        ],
      },
    };
    const out = applyStrategicMergePatch('pods', pod, {
      spec: { containers: [{ name: 'a', image: 'x:2', env: [{ name: 'B', value: '2' }] }] },
    });
    expect((out.spec as JsonObject).containers).toEqual([
      {
        name: 'a',
        image: 'x:2',
        env: [
          { name: 'A', value: '1' },
          { name: 'B', value: '2' },
        ],
      },
      { name: 'b', image: 'y:1' },
    ]);
  });

  it('applies $retainKeys', () => {
    const pod: JsonObject = { spec: { volumes: [{ name: 'v', emptyDir: {} }] } };
    const out = applyStrategicMergePatch('pods', pod, {
      spec: { volumes: [{ name: 'v', hostPath: { path: '/x' }, $retainKeys: ['name', 'hostPath'] }] },
    });
    expect((out.spec as JsonObject).volumes).toEqual([{ name: 'v', hostPath: { path: '/x' } }]);
  });
});

describe('JSON merge patch', () => {
  it('merges objects, replaces arrays and deletes with null', () => {
    expect(applyMergePatch({ a: 1, b: { c: 2, d: 3 }, e: [1, 2] }, { b: { c: null, x: 1 }, e: [3] })).toEqual(
      {
        a: 1,
        b: { d: 3, x: 1 },
        e: [3],
      },
    );
  });
});

describe('JSON patch', () => {
  it('applies add, remove, replace, move, copy and test', () => {
    const out = applyJsonPatch({ a: { b: [1, 2] }, c: 'x' }, [
      { op: 'add', path: '/a/b/-', value: 3 },
      { op: 'replace', path: '/c', value: 'y' },
      { op: 'copy', from: '/c', path: '/d' },
      { op: 'move', from: '/d', path: '/e~1f' },
      { op: 'remove', path: '/a/b/0' },
      { op: 'test', path: '/c', value: 'y' },
    ]);
    expect(out).toEqual({ a: { b: [2, 3] }, c: 'y', 'e/f': 'y' });
  });

  it('fails a test operation and a missing path', () => {
    expect(() => applyJsonPatch({ a: 1 }, [{ op: 'test', path: '/a', value: 2 }])).toThrow(JsonPatchError);
    expect(() => applyJsonPatch({ a: 1 }, [{ op: 'remove', path: '/b' }])).toThrow(JsonPatchError);
    expect(() => applyJsonPatch({ a: 1 }, [{ op: 'replace', path: '/x/y', value: 1 }])).toThrow(
      JsonPatchError,
    );
  });
});
