/**
 * Mirror pods: the API server's copies of the static control-plane pods, 4 per control-plane node, owned
 * by the Node and annotated as kubelet file-sourced pods (which drain must leave alone).
 */
import { rfc3339 } from '../kube-object.js';
import { makeTemplate, ownerRef } from '../pod-factory.js';
import type { GenerationContext } from './context.js';
import type { NodeSlot } from './nodes.js';
import type { PodPlacer } from './pod-placer.js';

const STATIC_COMPONENTS: Array<[component: string, image: string]> = [
  ['etcd', 'registry.k8s.io/etcd:3.5.16-0'],
  ['kube-apiserver', 'registry.k8s.io/kube-apiserver:v1.32.4'],
  ['kube-controller-manager', 'registry.k8s.io/kube-controller-manager:v1.32.4'],
  ['kube-scheduler', 'registry.k8s.io/kube-scheduler:v1.32.4'],
];

/** Stops once `podLimit` pods exist in all, so a tiny pod count is not exceeded. */
export function generateMirrorPods(
  ctx: GenerationContext,
  placer: PodPlacer,
  nodes: NodeSlot[],
  podLimit: number,
): void {
  for (const node of nodes.filter((n) => n.controlPlane)) {
    for (const [component, image] of STATIC_COMPONENTS) {
      if (placer.count >= podLimit) return;
      const hash = ctx.random.hex(32);
      const template = makeTemplate({
        labels: { component, tier: 'control-plane' },
        containers: [{ name: component, image, cpu: '250m', memory: '256Mi' }],
        tolerateEverything: true,
        hostNetwork: true,
        priorityClassName: 'system-node-critical',
      });
      placer.place(template, `${component}-${node.name}`, 'kube-system', node, 'Running', {
        owner: ownerRef('Node', node.name, node.uid),
        hostNetwork: true,
        annotations: {
          'kubernetes.io/config.hash': hash,
          'kubernetes.io/config.mirror': hash,
          'kubernetes.io/config.seen': rfc3339(node.createdMs + 5_000),
          'kubernetes.io/config.source': 'file',
        },
      });
    }
  }
}
