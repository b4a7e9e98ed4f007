/**
 * Deterministic cluster generation: the same (nodes, pods, seed, day) gives the same names, UIDs and
 * placement. Composition, for N nodes and P pods:
 *  - node-0001.. ; the first 3 (N >= 10) or 1 (N >= 4) are control-plane nodes (label + NoSchedule taint);
 *    workers carry zone / instance-type / nodepool labels. From 100 nodes up, ~1% of workers are cordoned
 *    and ~0.5% NotReady, so larger clusters are not uniformly healthy.
 *  - up to 4 DaemonSets (kube-proxy, cilium, node-local-dns in kube-system, node-exporter in monitoring)
 *    with a pod on every node; 4 mirror pods (static control-plane pods) per control-plane node;
 *  - of the rest: ~2% Succeeded and ~1% Failed Job pods, ~2% bare pods (no owner; some with emptyDir),
 *    ~0.3% unschedulable Pending pods, the remainder owned by ReplicaSets (a quarter of them use emptyDir),
 *    spread one per worker node per ReplicaSet; ~15% of ReplicaSets with 2+ replicas have a PDB that allows
 *    exactly one disruption.
 * Timestamps are relative to the start of the current UTC day, so two simulators started the same day
 * produce identical objects (except the nodes' lastHeartbeatTime, which is the start time).
 */
import type { KubeObject } from './kube-object.js';
import { rfc3339 } from './kube-object.js';
import { CONTROL_PLANE_INSTANCE, INSTANCE_TYPES, imageCatalog, makeNode } from './node-factory.js';
import {
  type ContainerSpec,
  makeTemplate,
  ownerRef,
  type PodState,
  type PodTemplate,
  podFromTemplate,
} from './pod-factory.js';
import { Random } from './random.js';
import type { ResourceName } from './resources.js';

export interface GenerateOptions {
  nodes: number;
  pods: number;
  seed: number;
  /** Reference "now" for ages; defaults to the start of the current UTC day. */
  epochMs?: number;
  /** Time of the nodes' last heartbeat (the one timestamp not derived from epochMs); defaults to now. */
  heartbeatMs?: number;
}

/** Receives generated objects one by one (the store serializes each at once, keeping peak memory low). */
export type ObjectSink = (resource: ResourceName, obj: KubeObject) => void;

export type GeneratedCluster = Record<ResourceName, KubeObject[]>;

const DAY = 86_400_000;
const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];
const APP_NAMESPACES: Record<string, string[]> = {
  payments: ['api', 'worker', 'ledger', 'fraud-check', 'webhooks'],
  checkout: ['web', 'cart', 'pricing', 'tax'],
  search: ['query', 'indexer', 'suggest'],
  catalog: ['api', 'images', 'inventory'],
  'data-pipeline': ['etl', 'stream-processor', 'scheduler'],
  monitoring: ['prometheus', 'grafana', 'alertmanager', 'kube-state-metrics'],
  'ingress-nginx': ['controller'],
  platform: ['auth-proxy', 'feature-flags', 'notifications', 'audit-sink'],
};
const APP_IMAGES: Record<string, string> = {
  payments: 'registry.example.com/payments/api:v1.42.3',
  checkout: 'registry.example.com/checkout/web:v3.8.0',
  search: 'registry.example.com/search/query:v0.19.7',
  catalog: 'registry.example.com/catalog/api:v2.1.14',
  'data-pipeline': 'registry.example.com/data/etl-runner:v5.0.2',
  monitoring: 'quay.io/prometheus/prometheus:v2.55.1',
  'ingress-nginx': 'registry.k8s.io/ingress-nginx/controller:v1.11.3',
  platform: 'registry.example.com/platform/auth-proxy:v0.11.0',
};

interface NodeInfo {
  name: string;
  index: number;
  controlPlane: boolean;
  internalIP: string;
  podPrefix: string;
  nextPodIP: number;
  createdMs: number;
}

export function startOfUtcDay(ms = Date.now()): number {
  return Math.floor(ms / DAY) * DAY;
}

export function controlPlaneCount(nodes: number): number {
  return nodes >= 10 ? 3 : nodes >= 4 ? 1 : 0;
}

export function nodeName(index: number, total: number): string {
  return `node-${String(index + 1).padStart(Math.max(4, String(total).length), '0')}`;
}

/** The whole cluster as arrays (convenient for small clusters and tests). */
export function generateCluster(opts: GenerateOptions): GeneratedCluster {
  const out: GeneratedCluster = {
    nodes: [],
    pods: [],
    namespaces: [],
    daemonsets: [],
    replicasets: [],
    poddisruptionbudgets: [],
  };
  generateClusterInto(opts, (resource, obj) => out[resource].push(obj));
  return out;
}

export function generateClusterInto(opts: GenerateOptions, sink: ObjectSink): void {
  const random = new Random(opts.seed);
  const epoch = opts.epochMs ?? startOfUtcDay();
  const clusterBirth = epoch - 120 * DAY;
  const heartbeat = opts.heartbeatMs ?? Date.now();
  let podCount = 0;
  const out = {
    namespaces: { push: (o: KubeObject) => sink('namespaces', o) },
    nodes: { push: (o: KubeObject) => sink('nodes', o) },
    pods: {
      push: (o: KubeObject) => {
        podCount++;
        sink('pods', o);
      },
    },
    daemonsets: { push: (o: KubeObject) => sink('daemonsets', o) },
    replicasets: { push: (o: KubeObject) => sink('replicasets', o) },
    poddisruptionbudgets: { push: (o: KubeObject) => sink('poddisruptionbudgets', o) },
  };
  const images = imageCatalog(random);
  const imageIds = new Map(images.map((i) => [i.names[1]!, i.names[0]!]));

  for (const ns of [...SYSTEM_NAMESPACES, ...Object.keys(APP_NAMESPACES), 'batch-jobs']) {
    const created = SYSTEM_NAMESPACES.includes(ns) ? clusterBirth : clusterBirth + random.range(1, 30) * DAY;
    out.namespaces.push({
      metadata: {
        name: ns,
        uid: random.uuid(),
        creationTimestamp: rfc3339(created),
        labels: { 'kubernetes.io/metadata.name': ns },
      },
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active' },
    });
  }

  // Nodes.
  const cp = controlPlaneCount(opts.nodes);
  const zones = ['us-east-1a', 'us-east-1b', 'us-east-1c'];
  const nodes: NodeInfo[] = [];
  const nodeUids: string[] = [];
  for (let i = 0; i < opts.nodes; i++) {
    const name = nodeName(i, opts.nodes);
    const controlPlane = i < cp;
    const createdMs = controlPlane ? clusterBirth : epoch - random.range(1, 90 * 24) * 3_600_000;
    const internalIP = `172.20.${Math.floor(i / 250)}.${(i % 250) + 2}`;
    const cidrHi = 64 + Math.floor(i / 256);
    const cidrLo = i % 256;
    const instance = controlPlane ? CONTROL_PLANE_INSTANCE : random.pick(INSTANCE_TYPES);
    const zone = zones[i % zones.length]!;
    const node = makeNode(
      {
        name,
        uid: random.uuid(),
        createdMs,
        controlPlane,
        region: 'us-east-1',
        zone,
        instance,
        internalIP,
        podCIDR: `10.${cidrHi}.${cidrLo}.0/24`,
        providerId: `aws:///${zone}/i-0${random.hex(16)}`,
        images,
        machineId: random.hex(32),
        bootId: random.uuid(),
        systemUuid: `ec2${random.hex(5)}-${random.hex(4)}-${random.hex(4)}-${random.hex(4)}-${random.hex(12)}`,
        nodePool: `pool-${instance.name.split('.')[0]}`,
        heartbeatMs: heartbeat,
      },
      random,
    );
    nodes.push({
      name,
      index: i,
      controlPlane,
      internalIP,
      podPrefix: `10.${cidrHi}.${cidrLo}.`,
      nextPodIP: 2,
      createdMs,
    });
    nodeUids.push(node.metadata!.uid!);
    const w = i - cp;
    if (opts.nodes >= 100 && !controlPlane) {
      // Some unhealthy workers make a big cluster look real (and give filters something to find).
      if (w % 100 === 50) {
        (node.spec as Record<string, unknown>).unschedulable = true;
        (node.spec as { taints?: unknown[] }).taints = [
          { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule', timeAdded: rfc3339(epoch - DAY) },
        ];
      }
      if (w % 200 === 120) markNotReady(node, epoch - 2 * 3_600_000);
    }
    out.nodes.push(node);
  }
  if (nodes.length === 0) return;
  const workers = nodes.filter((n) => !n.controlPlane);
  const schedulable = workers.length > 0 ? workers : nodes;

  const podIP = (n: NodeInfo): string => {
    const ip = `${n.podPrefix}${n.nextPodIP}`;
    n.nextPodIP = n.nextPodIP >= 254 ? 2 : n.nextPodIP + 1;
    return ip;
  };
  const podCreated = (n: NodeInfo): number => {
    const min = Math.max(n.createdMs, epoch - 60 * DAY) + 60_000;
    return min + random.int(Math.max(1, epoch - min - 600_000));
  };
  const addPod = (
    template: PodTemplate,
    name: string,
    namespace: string,
    node: NodeInfo | undefined,
    state: PodState,
    extra: {
      owner?: ReturnType<typeof ownerRef>;
      generateName?: string;
      annotations?: Record<string, string>;
      hostNetwork?: boolean;
    },
  ): void => {
    out.pods.push(
      podFromTemplate(
        template,
        {
          name,
          namespace,
          uid: random.uuid(),
          ...(extra.generateName ? { generateName: extra.generateName } : {}),
          ...(extra.owner ? { owner: extra.owner } : {}),
          ...(extra.annotations ? { annotations: extra.annotations } : {}),
          ...(node && state !== 'Unschedulable'
            ? {
                nodeName: node.name,
                hostIP: node.internalIP,
                podIP: extra.hostNetwork ? node.internalIP : podIP(node),
              }
            : {}),
          createdMs: node ? podCreated(node) : epoch - random.range(600, 86_400) * 1000,
        },
        state,
        random,
        imageIds,
      ),
    );
  };

  // DaemonSets: one pod per node.
  const dsDefs: Array<{
    name: string;
    ns: string;
    image: string;
    hostNetwork: boolean;
    cpu: string;
    memory: string;
  }> = [
    {
      name: 'kube-proxy',
      ns: 'kube-system',
      image: 'registry.k8s.io/kube-proxy:v1.32.4',
      hostNetwork: true,
      cpu: '100m',
      memory: '128Mi',
    },
    {
      name: 'cilium',
      ns: 'kube-system',
      image: 'quay.io/cilium/cilium:v1.16.5',
      hostNetwork: true,
      cpu: '100m',
      memory: '256Mi',
    },
    {
      name: 'node-local-dns',
      ns: 'kube-system',
      image: 'registry.k8s.io/dns/k8s-dns-node-cache:1.23.1',
      hostNetwork: true,
      cpu: '25m',
      memory: '64Mi',
    },
    {
      name: 'node-exporter',
      ns: 'monitoring',
      image: 'quay.io/prometheus/node-exporter:v1.8.2',
      hostNetwork: true,
      cpu: '50m',
      memory: '64Mi',
    },
  ];
  const perNode = opts.nodes > 0 ? opts.pods / opts.nodes : 0;
  const dsCount = Math.max(0, Math.min(dsDefs.length, Math.floor(0.3 * perNode)));
  for (const def of dsDefs.slice(0, dsCount)) {
    const uid = random.uuid();
    const labels = {
      'app.kubernetes.io/name': def.name,
      'controller-revision-hash': random.hex(8).slice(0, 8),
      'pod-template-generation': '1',
    };
    const selector = { matchLabels: { 'app.kubernetes.io/name': def.name } };
    const template = makeTemplate({
      labels,
      containers: [{ name: def.name, image: def.image, cpu: def.cpu, memory: def.memory }],
      tolerateEverything: true,
      hostNetwork: def.hostNetwork,
      priorityClassName: 'system-node-critical',
      serviceAccountName: def.name,
    });
    const { 'controller-revision-hash': _h, 'pod-template-generation': _g, ...templateLabels } = labels;
    out.daemonsets.push({
      metadata: {
        name: def.name,
        namespace: def.ns,
        uid,
        generation: 1,
        creationTimestamp: rfc3339(clusterBirth + 600_000),
        labels: { 'app.kubernetes.io/name': def.name },
        annotations: { 'deprecated.daemonset.template.generation': '1' },
      },
      spec: {
        selector,
        template: { metadata: { labels: templateLabels }, spec: template.spec },
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
        revisionHistoryLimit: 10,
      },
      status: {
        currentNumberScheduled: opts.nodes,
        numberMisscheduled: 0,
        desiredNumberScheduled: opts.nodes,
        numberReady: opts.nodes,
        observedGeneration: 1,
        updatedNumberScheduled: opts.nodes,
        numberAvailable: opts.nodes,
      },
    });
    for (const n of nodes) {
      addPod(template, `${def.name}-${random.nameSuffix()}`, def.ns, n, 'Running', {
        owner: ownerRef('DaemonSet', def.name, uid),
        generateName: `${def.name}-`,
        hostNetwork: true,
      });
    }
  }

  // Mirror pods of the static control-plane components.
  const mirrorDefs: Array<[string, string]> = [
    ['etcd', 'registry.k8s.io/etcd:3.5.16-0'],
    ['kube-apiserver', 'registry.k8s.io/kube-apiserver:v1.32.4'],
    ['kube-controller-manager', 'registry.k8s.io/kube-controller-manager:v1.32.4'],
    ['kube-scheduler', 'registry.k8s.io/kube-scheduler:v1.32.4'],
  ];
  for (const n of nodes.filter((x) => x.controlPlane)) {
    for (const [component, image] of mirrorDefs) {
      if (podCount >= opts.pods) break;
      const hash = random.hex(32);
      const template = makeTemplate({
        labels: { component, tier: 'control-plane' },
        containers: [{ name: component, image, cpu: '250m', memory: '256Mi' }],
        tolerateEverything: true,
        hostNetwork: true,
        priorityClassName: 'system-node-critical',
      });
      addPod(template, `${component}-${n.name}`, 'kube-system', n, 'Running', {
        owner: ownerRef('Node', n.name, nodeUids[n.index]!),
        hostNetwork: true,
        annotations: {
          'kubernetes.io/config.hash': hash,
          'kubernetes.io/config.mirror': hash,
          'kubernetes.io/config.seen': rfc3339(n.createdMs + 5_000),
          'kubernetes.io/config.source': 'file',
        },
      });
    }
  }

  // The rest: batch, bare, pending and ReplicaSet pods.
  const remaining = Math.max(0, opts.pods - podCount);
  const succeeded = Math.floor(remaining * 0.02);
  const failed = Math.floor(remaining * 0.01);
  const bare = Math.floor(remaining * 0.02);
  const unschedulable = Math.floor(remaining * 0.003);
  const rsPods = remaining - succeeded - failed - bare - unschedulable;

  const batchTemplate = (job: string): PodTemplate =>
    makeTemplate({
      labels: { 'batch.kubernetes.io/job-name': job, 'job-name': job },
      containers: [
        {
          name: 'report',
          image: 'registry.example.com/batch/report-generator:v1.3.0',
          cpu: '500m',
          memory: '512Mi',
        },
      ],
      restartPolicy: 'Never',
    });
  for (let i = 0; i < succeeded + failed; i++) {
    const job = `nightly-report-${28_000_000 + random.int(999_999)}`;
    const n = random.pick(schedulable);
    addPod(
      batchTemplate(job),
      `${job}-${random.nameSuffix()}`,
      'batch-jobs',
      n,
      i < succeeded ? 'Succeeded' : 'Failed',
      {
        owner: ownerRef('Job', job, random.uuid()),
        generateName: `${job}-`,
      },
    );
  }
  for (let i = 0; i < bare; i++) {
    const ns = random.pick(['default', 'data-pipeline', 'platform']);
    const name = `${random.pick(['debug', 'adhoc', 'migration', 'toolbox', 'netshoot'])}-${random.nameSuffix(6)}`;
    const template = makeTemplate({
      labels: { run: name },
      containers: [{ name: 'main', image: 'docker.io/library/busybox:1.37.0', cpu: '10m', memory: '32Mi' }],
      emptyDir: i % 3 === 0,
    });
    addPod(template, name, ns, random.pick(schedulable), 'Running', {});
  }

  // ReplicaSets: sized 1-10 replicas (mostly 2-4), names per namespace component.
  const appNs = Object.keys(APP_NAMESPACES);
  let placed = 0;
  let rsIndex = 0;
  while (placed < rsPods + unschedulable) {
    const ns = appNs[rsIndex % appNs.length]!;
    const components = APP_NAMESPACES[ns]!;
    const component = components[Math.floor(rsIndex / appNs.length) % components.length]!;
    const generation = Math.floor(rsIndex / (appNs.length * components.length));
    const deployment = generation === 0 ? component : `${component}-${generation + 1}`;
    const hash = random.nameSuffix(10);
    const rsName = `${deployment}-${hash}`;
    const wanted = Math.min(
      rsPods + unschedulable - placed,
      random.pick([1, 2, 2, 3, 3, 3, 4, 4, 5, 6, 8, 10]),
    );
    const replicas = Math.max(1, wanted);
    const rsUid = random.uuid();
    const labels = { app: deployment, 'app.kubernetes.io/part-of': ns, 'pod-template-hash': hash };
    const container: ContainerSpec = {
      name: component,
      image: APP_IMAGES[ns] ?? 'docker.io/library/nginx:1.27.3',
      port: 8080,
      cpu: random.pick(['50m', '100m', '250m', '500m']),
      memory: random.pick(['64Mi', '128Mi', '256Mi', '512Mi']),
      limits: random.chance(0.2),
    };
    const emptyDir = random.chance(0.25);
    const pendingHere = placed >= rsPods; // the last few ReplicaSets cannot be scheduled anywhere
    const template = makeTemplate({
      labels,
      containers: [
        container,
        ...(random.chance(0.2)
          ? [
              {
                name: 'envoy',
                image: 'docker.io/envoyproxy/envoy:v1.32.2',
                port: 9901,
                cpu: '50m',
                memory: '64Mi',
              },
            ]
          : []),
      ],
      emptyDir,
      ...(pendingHere ? { nodeSelector: { 'example.com/gpu': 'a100' } } : {}),
    });
    const rsCreated = epoch - random.range(1, 60) * DAY;
    out.replicasets.push({
      metadata: {
        name: rsName,
        namespace: ns,
        uid: rsUid,
        generation: 1,
        creationTimestamp: rfc3339(rsCreated),
        labels,
        annotations: {
          'deployment.kubernetes.io/desired-replicas': String(replicas),
          'deployment.kubernetes.io/max-replicas': String(replicas + 1),
          'deployment.kubernetes.io/revision': String(random.range(1, 12)),
        },
        ownerReferences: [
          {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            name: deployment,
            uid: random.uuid(),
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
      },
      spec: {
        replicas,
        selector: { matchLabels: { app: deployment, 'pod-template-hash': hash } },
        template: { metadata: { labels }, spec: template.spec },
      },
      status: {
        replicas,
        fullyLabeledReplicas: replicas,
        readyReplicas: pendingHere ? 0 : replicas,
        availableReplicas: pendingHere ? 0 : replicas,
        observedGeneration: 1,
      },
    });
    const start = random.int(schedulable.length);
    for (let r = 0; r < replicas; r++) {
      const node = schedulable[(start + r) % schedulable.length];
      addPod(
        template,
        `${rsName}-${random.nameSuffix()}`,
        ns,
        pendingHere ? undefined : node,
        pendingHere ? 'Unschedulable' : 'Running',
        {
          owner: ownerRef('ReplicaSet', rsName, rsUid),
          generateName: `${rsName}-`,
        },
      );
    }
    if (!pendingHere && replicas >= 2 && random.chance(0.15)) {
      const pdbSpec: Record<string, unknown> = { selector: { matchLabels: { app: deployment } } };
      if (random.chance(0.5)) pdbSpec.minAvailable = replicas - 1;
      else pdbSpec.maxUnavailable = 1;
      out.poddisruptionbudgets.push({
        metadata: {
          name: `${deployment}-pdb`,
          namespace: ns,
          uid: random.uuid(),
          generation: 1,
          creationTimestamp: rfc3339(rsCreated),
        },
        spec: pdbSpec,
        status: {
          disruptionsAllowed: 0,
          currentHealthy: 0,
          desiredHealthy: 0,
          expectedPods: 0,
          observedGeneration: 0,
        },
      });
    }
    placed += replicas;
    rsIndex++;
  }
}

export function markNotReady(node: KubeObject, sinceMs: number): void {
  const status = node.status as { conditions?: Array<Record<string, string>> };
  for (const c of status.conditions ?? []) {
    c.lastHeartbeatTime = rfc3339(sinceMs);
    if (c.type === 'Ready') {
      c.status = 'Unknown';
      c.reason = 'NodeStatusUnknown';
      c.message = 'Kubelet stopped posting node status.';
      c.lastTransitionTime = rfc3339(sinceMs);
    } else {
      c.status = 'Unknown';
      c.reason = 'NodeStatusUnknown';
      c.message = 'Kubelet stopped posting node status.';
    }
  }
  const spec = node.spec as { taints?: Array<Record<string, string>> };
  spec.taints = [
    ...(spec.taints ?? []),
    { key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule', timeAdded: rfc3339(sinceMs) },
    { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: rfc3339(sinceMs) },
  ];
}
