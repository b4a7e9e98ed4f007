import { describe, expect, it } from 'vitest';
import { nodeGlobalId, projectNode } from '../../src/informers/node-projection.js';
import { rawNode } from './fixtures.js';

describe('projectNode', () => {
  const raw = rawNode('node-7');
  raw.spec!.unschedulable = true;
  raw.spec!.taints = [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }];
  raw.metadata!.labels!['node-role.kubernetes.io/control-plane'] = '';
  raw.metadata!.labels!['kubernetes.io/role'] = 'legacy';
  const node = projectNode(raw, 'prod');

  it('keeps identity and derives ready, schedulable and roles once', () => {
    expect(node).toMatchObject({
      cluster: 'prod',
      name: 'node-7',
      uid: 'uid-node-7',
      ready: true,
      readyStatus: 'True',
      schedulable: false,
      roles: ['control-plane', 'legacy', 'worker'],
      id: nodeGlobalId('prod', 'node-7'),
    });
    expect(Buffer.from(node.id, 'base64url').toString()).toBe('KubeNode:prod/node-7');
  });

  it('serves labels as a key-sorted list and a record', () => {
    expect(node.labelList.map((l) => l.key)).toEqual(Object.keys(node.labels).sort());
    expect(node.labels['kubernetes.io/hostname']).toBe('node-7');
  });

  it('drops the last-applied-configuration annotation', () => {
    expect(node.annotations).toEqual([{ key: 'node.alpha.kubernetes.io/ttl', value: '0' }]);
  });

  it('treats a node without a Ready condition as not ready', () => {
    const noReady = rawNode('n');
    noReady.status!.conditions = [];
    expect(projectNode(noReady, 'c')).toMatchObject({ ready: false, readyStatus: 'Unknown' });
  });

  it('is deeply frozen', () => {
    expect(Object.isFrozen(node)).toBe(true);
    expect(Object.isFrozen(node.labels)).toBe(true);
    expect(Object.isFrozen(node.taints[0])).toBe(true);
    expect(Object.isFrozen(node.conditions)).toBe(true);
  });

  it('rejects a node without a name', () => {
    expect(() => projectNode({ metadata: {} }, 'c')).toThrow(/metadata.name/);
  });
});
