/**
 * Turns a pod template into a Pod on a node (or unplaced), handing out the node's pod IPs in turn and
 * counting pods, since later generators fill whatever part of the requested pod count is left.
 */
import type { KubeObject, OwnerReference } from '../kube-object.js';
import type { ImageRef } from '../node-factory.js';
import { type PodState, type PodTemplate, podFromTemplate } from '../pod-factory.js';
import { DAY, type GenerationContext } from './context.js';
import type { NodeSlot } from './nodes.js';

export interface PodExtras {
  owner?: OwnerReference;
  generateName?: string;
  annotations?: Record<string, string>;
  /** Uses the node's IP as the pod IP (and takes none from the node's pod CIDR). */
  hostNetwork?: boolean;
}

export class PodPlacer {
  /** Pods placed so far. */
  count = 0;
  private readonly imageIds: Map<string, string>;

  constructor(
    private readonly ctx: GenerationContext,
    images: ImageRef[],
  ) {
    // Tag -> digest reference, for the containers' imageID.
    this.imageIds = new Map(images.map((i) => [i.names[1]!, i.names[0]!]));
  }

  /** `node` undefined, or state Unschedulable, gives a pod no node has taken. */
  place(
    template: PodTemplate,
    name: string,
    namespace: string,
    node: NodeSlot | undefined,
    state: PodState,
    extra: PodExtras,
  ): void {
    const { random } = this.ctx;
    const pod: KubeObject = podFromTemplate(
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
              podIP: extra.hostNetwork ? node.internalIP : this.nextPodIP(node),
            }
          : {}),
        createdMs: node ? this.createdOn(node) : this.ctx.epoch - random.range(600, 86_400) * 1000,
      },
      state,
      random,
      this.imageIds,
    );
    this.count++;
    this.ctx.emit('pods', pod);
  }

  /** Cycles through .2-.254 of the node's /24, as a node's IPAM reuses freed addresses. */
  private nextPodIP(node: NodeSlot): string {
    const ip = `${node.podPrefix}${node.nextPodIP}`;
    node.nextPodIP = node.nextPodIP >= 254 ? 2 : node.nextPodIP + 1;
    return ip;
  }

  /** After the node joined, within the last 60 days, and at least 10 minutes before the epoch. */
  private createdOn(node: NodeSlot): number {
    const epoch = this.ctx.epoch;
    const min = Math.max(node.createdMs, epoch - 60 * DAY) + 60_000;
    return min + this.ctx.random.int(Math.max(1, epoch - min - 600_000));
  }
}
