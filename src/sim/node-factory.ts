/**
 * Builds Node objects that look like the ones a kubeadm/cloud cluster reports: the usual well-known labels,
 * kubelet annotations, taints, conditions, addresses, capacity/allocatable, nodeInfo, a list of cached
 * images and managedFields. A typical node serializes to 10-20 KB, like a real one.
 */
import type { KubeObject } from './kube-object.js';
import { rfc3339 } from './kube-object.js';
import type { Random } from './random.js';

export const KUBELET_VERSION = 'v1.32.4';

export interface InstanceType {
  name: string;
  cpu: number;
  memoryGi: number;
  pods: number;
}

export const INSTANCE_TYPES: readonly InstanceType[] = [
  { name: 'm5.xlarge', cpu: 4, memoryGi: 16, pods: 58 },
  { name: 'm5.2xlarge', cpu: 8, memoryGi: 32, pods: 58 },
  { name: 'c5.4xlarge', cpu: 16, memoryGi: 32, pods: 234 },
  { name: 'r5.2xlarge', cpu: 8, memoryGi: 64, pods: 58 },
];
export const CONTROL_PLANE_INSTANCE: InstanceType = { name: 'm5.large', cpu: 2, memoryGi: 8, pods: 29 };

export interface ImageRef {
  names: string[];
  sizeBytes: number;
}

const IMAGE_REPOS: ReadonlyArray<[string, string]> = [
  ['registry.k8s.io/kube-proxy', KUBELET_VERSION],
  ['registry.k8s.io/pause', '3.10'],
  ['registry.k8s.io/coredns/coredns', 'v1.11.3'],
  ['registry.k8s.io/etcd', '3.5.16-0'],
  ['registry.k8s.io/kube-apiserver', KUBELET_VERSION],
  ['registry.k8s.io/kube-controller-manager', KUBELET_VERSION],
  ['registry.k8s.io/kube-scheduler', KUBELET_VERSION],
  ['registry.k8s.io/dns/k8s-dns-node-cache', '1.23.1'],
  ['quay.io/cilium/cilium', 'v1.16.5'],
  ['quay.io/cilium/operator-generic', 'v1.16.5'],
  ['quay.io/prometheus/node-exporter', 'v1.8.2'],
  ['quay.io/prometheus/prometheus', 'v2.55.1'],
  ['quay.io/prometheus-operator/prometheus-config-reloader', 'v0.78.2'],
  ['registry.k8s.io/ingress-nginx/controller', 'v1.11.3'],
  ['registry.k8s.io/metrics-server/metrics-server', 'v0.7.2'],
  ['docker.io/library/nginx', '1.27.3'],
  ['docker.io/library/redis', '7.4.1'],
  ['docker.io/library/postgres', '16.6'],
  ['docker.io/library/busybox', '1.37.0'],
  ['docker.io/grafana/grafana', '11.4.0'],
  ['docker.io/grafana/loki', '3.3.2'],
  ['docker.io/grafana/promtail', '3.3.2'],
  ['docker.io/bitnami/kafka', '3.9.0'],
  ['docker.io/envoyproxy/envoy', 'v1.32.2'],
  ['ghcr.io/fluxcd/source-controller', 'v1.4.1'],
  ['public.ecr.aws/eks-distro/kubernetes/pause', '3.9'],
  ['public.ecr.aws/aws-ec2/aws-node-termination-handler', 'v1.22.1'],
  ['registry.example.com/payments/api', 'v1.42.3'],
  ['registry.example.com/payments/worker', 'v1.42.3'],
  ['registry.example.com/checkout/web', 'v3.8.0'],
  ['registry.example.com/checkout/cart', 'v3.8.0'],
  ['registry.example.com/search/indexer', 'v0.19.7'],
  ['registry.example.com/search/query', 'v0.19.7'],
  ['registry.example.com/catalog/api', 'v2.1.14'],
  ['registry.example.com/catalog/images', 'v2.1.14'],
  ['registry.example.com/data/etl-runner', 'v5.0.2'],
  ['registry.example.com/data/spark-driver', 'v3.5.3'],
  ['registry.example.com/batch/report-generator', 'v1.3.0'],
  ['registry.example.com/platform/auth-proxy', 'v0.11.0'],
  ['registry.example.com/platform/feature-flags', 'v4.2.1'],
  ['registry.example.com/platform/notifications', 'v2.7.5'],
  ['registry.example.com/platform/audit-sink', 'v1.0.9'],
];

/** The images known to the cluster, with stable digests (drawn once per generated cluster). */
export function imageCatalog(random: Random): ImageRef[] {
  return IMAGE_REPOS.map(([repo, tag]) => ({
    names: [`${repo}@sha256:${random.hex(64)}`, `${repo}:${tag}`],
    sizeBytes: random.range(700_000, 400_000_000),
  }));
}

export interface NodeParams {
  name: string;
  uid: string;
  createdMs: number;
  controlPlane: boolean;
  region: string;
  zone: string;
  instance: InstanceType;
  internalIP: string;
  podCIDR: string;
  providerId: string;
  images: ImageRef[];
  machineId: string;
  bootId: string;
  systemUuid: string;
  nodePool: string;
  heartbeatMs: number;
}

const CONDITIONS: ReadonlyArray<[string, string, string, string]> = [
  ['MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'],
  ['DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'],
  ['PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'],
  ['Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'],
];

export function nodeConditions(createdMs: number, heartbeatMs: number): Array<Record<string, string>> {
  return CONDITIONS.map(([type, status, reason, message]) => ({
    type,
    status,
    lastHeartbeatTime: rfc3339(heartbeatMs),
    lastTransitionTime: rfc3339(createdMs + 45_000),
    reason,
    message,
  }));
}

function kubeletManagedFields(p: NodeParams, labels: Record<string, string>): unknown[] {
  const f = (keys: string[]): Record<string, unknown> =>
    Object.fromEntries([['.', {}], ...keys.map((k) => [`f:${k}`, {}])]);
  const condFields = Object.fromEntries(
    CONDITIONS.map(([type]) => [
      `k:{"type":"${type}"}`,
      {
        '.': {},
        'f:lastHeartbeatTime': {},
        'f:lastTransitionTime': {},
        'f:message': {},
        'f:reason': {},
        'f:status': {},
        'f:type': {},
      },
    ]),
  );
  return [
    {
      manager: 'kubelet',
      operation: 'Update',
      apiVersion: 'v1',
      time: rfc3339(p.createdMs + 30_000),
      fieldsType: 'FieldsV1',
      fieldsV1: {
        'f:metadata': {
          'f:annotations': f(['volumes.kubernetes.io/controller-managed-attach-detach']),
          'f:labels': f(Object.keys(labels).filter((k) => !k.startsWith('nodepool'))),
        },
        'f:spec': { 'f:providerID': {} },
      },
    },
    {
      manager: 'kube-controller-manager',
      operation: 'Update',
      apiVersion: 'v1',
      time: rfc3339(p.createdMs + 40_000),
      fieldsType: 'FieldsV1',
      fieldsV1: {
        'f:metadata': { 'f:annotations': { 'f:node.alpha.kubernetes.io/ttl': {} } },
        'f:spec': { 'f:podCIDR': {}, 'f:podCIDRs': { '.': {}, [`v:"${p.podCIDR}"`]: {} } },
      },
    },
    {
      manager: 'kubelet',
      operation: 'Update',
      apiVersion: 'v1',
      time: rfc3339(p.heartbeatMs),
      fieldsType: 'FieldsV1',
      fieldsV1: {
        'f:status': {
          'f:allocatable': f(['cpu', 'ephemeral-storage', 'memory', 'pods']),
          'f:capacity': f(['cpu', 'ephemeral-storage', 'memory', 'pods']),
          'f:conditions': condFields,
          'f:images': {},
          'f:nodeInfo': f([
            'bootID',
            'containerRuntimeVersion',
            'kernelVersion',
            'kubeProxyVersion',
            'kubeletVersion',
            'machineID',
            'osImage',
            'systemUUID',
          ]),
        },
      },
      subresource: 'status',
    },
  ];
}

export function makeNode(p: NodeParams, random: Random): KubeObject {
  const labels: Record<string, string> = {
    'beta.kubernetes.io/arch': 'amd64',
    'beta.kubernetes.io/instance-type': p.instance.name,
    'beta.kubernetes.io/os': 'linux',
    'failure-domain.beta.kubernetes.io/region': p.region,
    'failure-domain.beta.kubernetes.io/zone': p.zone,
    'kubernetes.io/arch': 'amd64',
    'kubernetes.io/hostname': p.name,
    'kubernetes.io/os': 'linux',
    'node.kubernetes.io/instance-type': p.instance.name,
    'topology.kubernetes.io/region': p.region,
    'topology.kubernetes.io/zone': p.zone,
  };
  if (p.controlPlane) {
    labels['node-role.kubernetes.io/control-plane'] = '';
    labels['node.kubernetes.io/exclude-from-external-load-balancers'] = '';
  } else {
    labels['node-role.kubernetes.io/worker'] = '';
    labels.nodepool = p.nodePool;
  }
  const cpuMilli = p.instance.cpu * 1000;
  const memKi = p.instance.memoryGi * 1024 * 1024;
  const images = p.images;
  return {
    metadata: {
      name: p.name,
      uid: p.uid,
      creationTimestamp: rfc3339(p.createdMs),
      labels,
      annotations: {
        'alpha.kubernetes.io/provided-node-ip': p.internalIP,
        'csi.volume.kubernetes.io/nodeid': JSON.stringify({
          'ebs.csi.aws.com': p.providerId.split('/').pop(),
        }),
        'kubeadm.alpha.kubernetes.io/cri-socket': 'unix:///run/containerd/containerd.sock',
        'node.alpha.kubernetes.io/ttl': '0',
        'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
      },
      managedFields: kubeletManagedFields(p, labels),
    },
    spec: {
      podCIDR: p.podCIDR,
      podCIDRs: [p.podCIDR],
      providerID: p.providerId,
      ...(p.controlPlane
        ? { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] }
        : {}),
    },
    status: {
      capacity: {
        cpu: String(p.instance.cpu),
        'ephemeral-storage': '104845292Ki',
        'hugepages-1Gi': '0',
        'hugepages-2Mi': '0',
        memory: `${memKi}Ki`,
        pods: String(p.instance.pods),
      },
      allocatable: {
        cpu: `${cpuMilli - 80 - 10 * p.instance.cpu}m`,
        'ephemeral-storage': '95551679124',
        'hugepages-1Gi': '0',
        'hugepages-2Mi': '0',
        memory: `${memKi - 1_000_000 - p.instance.memoryGi * 11_000}Ki`,
        pods: String(p.instance.pods),
      },
      conditions: nodeConditions(p.createdMs, p.heartbeatMs),
      addresses: [
        { type: 'InternalIP', address: p.internalIP },
        { type: 'InternalDNS', address: `ip-${p.internalIP.replaceAll('.', '-')}.ec2.internal` },
        { type: 'Hostname', address: p.name },
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        machineID: p.machineId,
        systemUUID: p.systemUuid,
        bootID: p.bootId,
        kernelVersion: '6.1.119-129.201.amzn2023.x86_64',
        osImage: 'Amazon Linux 2023.6.20241212',
        containerRuntimeVersion: 'containerd://1.7.23',
        kubeletVersion: KUBELET_VERSION,
        kubeProxyVersion: KUBELET_VERSION,
        operatingSystem: 'linux',
        architecture: 'amd64',
      },
      images: images.filter(() => random.chance(0.8)),
    },
  };
}
