import { describe, expect, it } from 'vitest';
import type { KubePod } from '../../src/pods/kube-pod.js';
import { decodePodCursor, podCursor, projectPod } from '../../src/pods/pod-projection.js';
import { trimPod } from '../../src/pods/pods-on-node.js';

const base: KubePod = {
  metadata: {
    namespace: 'kube-system',
    name: 'fluentd-abc',
    uid: 'u-1',
    creationTimestamp: '2026-01-02T03:04:05Z',
    ownerReferences: [
      { kind: 'Node', name: 'n1' },
      { kind: 'DaemonSet', name: 'fluentd', controller: true },
    ],
  },
  spec: {
    nodeName: 'n1',
    volumes: [{ name: 'cfg' }, { name: 'scratch', emptyDir: {} }],
    containers: [
      { name: 'main', image: 'fluentd:1' },
      { name: 'sidecar', image: 'proxy:2' },
    ],
  },
  status: {
    phase: 'Running',
    conditions: [{ type: 'Ready', status: 'False' }],
    containerStatuses: [
      { name: 'sidecar', ready: false, restartCount: 4, state: { waiting: { reason: 'CrashLoopBackOff' } } },
      { name: 'main', ready: true, restartCount: 1, state: { running: {} } },
    ],
  },
};

describe('projectPod', () => {
  it('projects what a node pod list and a drain plan need', () => {
    expect(projectPod('c1', base)).toEqual({
      cluster: 'c1',
      namespace: 'kube-system',
      name: 'fluentd-abc',
      uid: 'u-1',
      nodeName: 'n1',
      phase: 'Running',
      ready: false,
      restarts: 5,
      owner: { kind: 'DaemonSet', name: 'fluentd' },
      daemonSet: true,
      mirror: false,
      emptyDir: true,
      createdAt: '2026-01-02T03:04:05Z',
      deletingSince: null,
      containers: [
        { name: 'main', image: 'fluentd:1', ready: true, restartCount: 1, state: 'RUNNING', reason: null },
        {
          name: 'sidecar',
          image: 'proxy:2',
          ready: false,
          restartCount: 4,
          state: 'WAITING',
          reason: 'CrashLoopBackOff',
        },
      ],
    });
  });

  it('tells a mirror pod, an unowned pod and an unknown phase', () => {
    const pod: KubePod = {
      metadata: {
        namespace: 'kube-system',
        name: 'etcd-n1',
        annotations: { 'kubernetes.io/config.mirror': 'x' },
      },
      status: { phase: 'Weird' },
    };
    const view = projectPod('c1', pod);
    expect(view).toMatchObject({
      mirror: true,
      owner: null,
      daemonSet: false,
      emptyDir: false,
      phase: 'Unknown',
    });
    expect(view.ready).toBe(false);
    expect(view.containers).toEqual([]);
  });

  it('without a Ready condition, a pod is ready when every container is', () => {
    const pod: KubePod = {
      metadata: { name: 'p' },
      status: {
        containerStatuses: [{ name: 'a', ready: true, state: { terminated: { reason: 'Completed' } } }],
      },
    };
    const view = projectPod('c', pod);
    expect(view.ready).toBe(true);
    expect(view.containers[0]).toMatchObject({
      name: 'a',
      state: 'TERMINATED',
      reason: 'Completed',
      image: null,
    });
  });

  it('cursors round-trip', () => {
    expect(decodePodCursor(podCursor({ namespace: 'a', name: 'b' }))).toEqual({ namespace: 'a', name: 'b' });
    expect(decodePodCursor('bm9zbGFzaA')).toBeUndefined();
  });
});

describe('trimPod', () => {
  it('keeps the declared fields and drops the rest', () => {
    const full = {
      ...base,
      metadata: { ...base.metadata, managedFields: [{ manager: 'kubelet' }] },
      spec: { ...base.spec, containers: [{ name: 'main', image: 'i', env: [{ name: 'A', value: 'b' }] }] },
    } as unknown as KubePod;
    const trimmed = trimPod(full);
    expect(trimmed.metadata).not.toHaveProperty('managedFields');
    expect(trimmed.spec?.containers).toEqual([{ name: 'main', image: 'i' }]);
    expect(projectPod('c', trimmed).owner).toEqual({ kind: 'DaemonSet', name: 'fluentd' });
  });
});
