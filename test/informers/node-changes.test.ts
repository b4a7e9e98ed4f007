import { describe, expect, it } from 'vitest';
import type { RawNode } from '../../src/informers/kube-node.js';
import { classifyNodeChange, type NodeChangeKind } from '../../src/informers/node-changes.js';
import { projectNode } from '../../src/informers/node-projection.js';
import { cloneNode, rawNode } from './fixtures.js';

type Case = [description: string, mutate: (n: RawNode) => void, expected: NodeChangeKind[]];

const CASES: Case[] = [
  [
    'a heartbeat (new heartbeat times and resourceVersion) is not a change',
    (n) => {
      n.metadata!.resourceVersion = '2';
      for (const c of n.status!.conditions!) c.lastHeartbeatTime = 't1';
    },
    [],
  ],
  [
    'a changed last-applied-configuration annotation is not a change',
    (n) => {
      n.metadata!.annotations!['kubectl.kubernetes.io/last-applied-configuration'] = '{}';
    },
    [],
  ],
  [
    'an image list update is not a change',
    (n) => {
      (n.status as Record<string, unknown>).images = [{ names: ['nginx'] }];
    },
    [],
  ],
  [
    'cordon',
    (n) => {
      n.spec!.unschedulable = true;
    },
    ['SCHEDULABLE'],
  ],
  [
    'a new label',
    (n) => {
      n.metadata!.labels!.team = 'payments';
    },
    ['LABELS'],
  ],
  [
    'a changed label value',
    (n) => {
      n.metadata!.labels!['topology.kubernetes.io/zone'] = 'us-east-1b';
    },
    ['LABELS'],
  ],
  [
    'a removed label',
    (n) => {
      delete n.metadata!.labels!['kubernetes.io/os'];
    },
    ['LABELS'],
  ],
  [
    'a taint',
    (n) => {
      n.spec!.taints = [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }];
    },
    ['TAINTS'],
  ],
  [
    'Ready goes False',
    (n) => {
      n.status!.conditions![1]!.status = 'False';
      n.status!.conditions![1]!.reason = 'KubeletNotReady';
    },
    ['CONDITIONS', 'READY'],
  ],
  [
    'a pressure condition flips (health changes, readiness does not)',
    (n) => {
      n.status!.conditions![0]!.status = 'True';
    },
    ['CONDITIONS'],
  ],
  [
    'allocatable shrinks',
    (n) => {
      n.status!.allocatable!.memory = '14Gi';
    },
    ['RESOURCES'],
  ],
  [
    'an annotation',
    (n) => {
      n.metadata!.annotations!.note = 'x';
    },
    ['ANNOTATIONS'],
  ],
  [
    'a new address',
    (n) => {
      n.status!.addresses!.push({ type: 'ExternalIP', address: '1.2.3.4' });
    },
    ['ADDRESSES'],
  ],
  [
    'a kubelet upgrade',
    (n) => {
      n.status!.nodeInfo!.kubeletVersion = 'v1.33.0';
    },
    ['NODE_INFO'],
  ],
  [
    'cordon and taint together',
    (n) => {
      n.spec!.unschedulable = true;
      n.spec!.taints = [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }];
    },
    ['SCHEDULABLE', 'TAINTS'],
  ],
];

describe('classifyNodeChange', () => {
  it.each(CASES)('%s', (_description, mutate, expected) => {
    const before = rawNode('node-1');
    const after = cloneNode(before);
    mutate(after);
    expect(classifyNodeChange(projectNode(before, 'c'), projectNode(after, 'c'))).toEqual(expected);
  });
});
