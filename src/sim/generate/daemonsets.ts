/** Up to 4 DaemonSets (fewer in sparse clusters), each with a pod on every node. */
import { type KubeObject, rfc3339 } from '../kube-object.js';
import { makeTemplate, ownerRef, type PodTemplate } from '../pod-factory.js';
import type { GenerationContext } from './context.js';
import type { NodeSlot } from './nodes.js';
import type { PodPlacer } from './pod-placer.js';

interface DaemonSetDef {
  name: string;
  namespace: string;
  image: string;
  cpu: string;
  memory: string;
}

/** In the order they are added as the cluster gets denser. All use the host network. */
const DAEMONSETS: DaemonSetDef[] = [
  {
    name: 'kube-proxy',
    namespace: 'kube-system',
    image: 'registry.k8s.io/kube-proxy:v1.32.4',
    cpu: '100m',
    memory: '128Mi',
  },
  {
    name: 'cilium',
    namespace: 'kube-system',
    image: 'quay.io/cilium/cilium:v1.16.5',
    cpu: '100m',
    memory: '256Mi',
  },
  {
    name: 'node-local-dns',
    namespace: 'kube-system',
    image: 'registry.k8s.io/dns/k8s-dns-node-cache:1.23.1',
    cpu: '25m',
    memory: '64Mi',
  },
  {
    name: 'node-exporter',
    namespace: 'monitoring',
    image: 'quay.io/prometheus/node-exporter:v1.8.2',
    cpu: '50m',
    memory: '64Mi',
  },
];

/** About one DaemonSet per 3.3 pods per node, so DaemonSet pods stay under ~30% of all pods. */
function daemonSetCount(nodes: number, pods: number): number {
  const perNode = nodes > 0 ? pods / nodes : 0;
  return Math.max(0, Math.min(DAEMONSETS.length, Math.floor(0.3 * perNode)));
}

export function generateDaemonSets(
  ctx: GenerationContext,
  placer: PodPlacer,
  nodes: NodeSlot[],
  pods: number,
): void {
  for (const def of DAEMONSETS.slice(0, daemonSetCount(nodes.length, pods))) {
    const uid = ctx.random.uuid();
    const revisionHash = ctx.random.hex(8).slice(0, 8);
    const template = makeTemplate({
      labels: {
        'app.kubernetes.io/name': def.name,
        'controller-revision-hash': revisionHash,
        'pod-template-generation': '1',
      },
      containers: [{ name: def.name, image: def.image, cpu: def.cpu, memory: def.memory }],
      tolerateEverything: true,
      hostNetwork: true,
      priorityClassName: 'system-node-critical',
      serviceAccountName: def.name,
    });
    ctx.emit('daemonsets', daemonSetObject(ctx, def, uid, template, nodes.length));
    for (const node of nodes) {
      placer.place(template, `${def.name}-${ctx.random.nameSuffix()}`, def.namespace, node, 'Running', {
        owner: ownerRef('DaemonSet', def.name, uid),
        generateName: `${def.name}-`,
        hostNetwork: true,
      });
    }
  }
}

/** A settled DaemonSet: every node runs its (only) revision. */
function daemonSetObject(
  ctx: GenerationContext,
  def: DaemonSetDef,
  uid: string,
  podTemplate: PodTemplate,
  nodes: number,
): KubeObject {
  // The controller adds the revision labels to pods, not to the DaemonSet's own template.
  const {
    'controller-revision-hash': _h,
    'pod-template-generation': _g,
    ...templateLabels
  } = podTemplate.metadata.labels;
  return {
    metadata: {
      name: def.name,
      namespace: def.namespace,
      uid,
      generation: 1,
      creationTimestamp: rfc3339(ctx.clusterBirth + 600_000),
      labels: { 'app.kubernetes.io/name': def.name },
      annotations: { 'deprecated.daemonset.template.generation': '1' },
    },
    spec: {
      selector: { matchLabels: { 'app.kubernetes.io/name': def.name } },
      template: { metadata: { labels: templateLabels }, spec: podTemplate.spec },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
      revisionHistoryLimit: 10,
    },
    status: {
      currentNumberScheduled: nodes,
      numberMisscheduled: 0,
      desiredNumberScheduled: nodes,
      numberReady: nodes,
      observedGeneration: 1,
      updatedNumberScheduled: nodes,
      numberAvailable: nodes,
    },
  };
}
