import type { RawNode } from '../../src/informers/kube-node.js';

/** A worker node as a kubelet reports it, small but with every field the projection reads. */
export function rawNode(name: string, rv = '1'): RawNode {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      uid: `uid-${name}`,
      resourceVersion: rv,
      creationTimestamp: '2026-01-10T08:00:00Z',
      labels: {
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        'node-role.kubernetes.io/worker': '',
        'topology.kubernetes.io/zone': 'us-east-1a',
      },
      annotations: {
        'node.alpha.kubernetes.io/ttl': '0',
        'kubectl.kubernetes.io/last-applied-configuration': '{"huge":"json"}',
      },
    },
    spec: { providerID: `aws:///us-east-1a/i-${name}`, podCIDRs: ['10.64.0.0/24'] },
    status: {
      capacity: { cpu: '4', memory: '16Gi', pods: '110' },
      allocatable: { cpu: '3900m', memory: '15Gi', pods: '110' },
      conditions: [
        {
          type: 'MemoryPressure',
          status: 'False',
          reason: 'KubeletHasSufficientMemory',
          lastHeartbeatTime: 't0',
        },
        {
          type: 'Ready',
          status: 'True',
          reason: 'KubeletReady',
          message: 'kubelet is posting ready status',
          lastHeartbeatTime: 't0',
        },
      ],
      addresses: [
        { type: 'InternalIP', address: '10.0.0.1' },
        { type: 'Hostname', address: name },
      ],
      nodeInfo: { kubeletVersion: 'v1.32.4', architecture: 'amd64', operatingSystem: 'linux' },
    },
  };
}

/** A deep copy to mutate. */
export function cloneNode(node: RawNode): RawNode {
  return structuredClone(node);
}
