/**
 * Nodes node-0001.. : the first 3 (N >= 10) or 1 (N >= 4) are control-plane nodes (label + NoSchedule
 * taint); workers carry zone / instance-type / nodepool labels. From 100 nodes up ~1% of workers are
 * cordoned and ~0.5% NotReady, so larger clusters are not uniformly healthy.
 */
import type { KubeObject } from '../kube-object.js';
import { CONTROL_PLANE_INSTANCE, type ImageRef, INSTANCE_TYPES, makeNode } from '../node-factory.js';
import { DAY, type GenerationContext, HOUR } from './context.js';
import { cordon, markNotReady } from './node-health.js';

const REGION = 'us-east-1';
const ZONES = ['us-east-1a', 'us-east-1b', 'us-east-1c'];

/** What pod generators need to know about a node, plus the pod IPs it has handed out so far. */
export interface NodeSlot {
  name: string;
  uid: string;
  controlPlane: boolean;
  internalIP: string;
  /** The node's pod CIDR (a /24) without its last octet. */
  podPrefix: string;
  nextPodIP: number;
  createdMs: number;
}

export function controlPlaneCount(nodes: number): number {
  return nodes >= 10 ? 3 : nodes >= 4 ? 1 : 0;
}

/** Zero-padded to at least 4 digits, so names sort in creation order. */
export function nodeName(index: number, total: number): string {
  return `node-${String(index + 1).padStart(Math.max(4, String(total).length), '0')}`;
}

export function generateNodes(ctx: GenerationContext, count: number, images: ImageRef[]): NodeSlot[] {
  const controlPlanes = controlPlaneCount(count);
  const slots: NodeSlot[] = [];
  for (let i = 0; i < count; i++) {
    const { node, slot } = buildNode(ctx, i, count, i < controlPlanes, images);
    if (count >= 100 && !slot.controlPlane) degradeSomeWorkers(node, i - controlPlanes, ctx.epoch);
    slots.push(slot);
    ctx.emit('nodes', node);
  }
  return slots;
}

/** Some unhealthy workers make a big cluster look real (and give filters something to find). */
function degradeSomeWorkers(node: KubeObject, workerIndex: number, epoch: number): void {
  if (workerIndex % 100 === 50) cordon(node, epoch - DAY);
  if (workerIndex % 200 === 120) markNotReady(node, epoch - 2 * HOUR);
}

function buildNode(
  ctx: GenerationContext,
  index: number,
  total: number,
  controlPlane: boolean,
  images: ImageRef[],
): { node: KubeObject; slot: NodeSlot } {
  const { random } = ctx;
  const name = nodeName(index, total);
  const createdMs = controlPlane ? ctx.clusterBirth : ctx.epoch - random.range(1, 90 * 24) * HOUR;
  const internalIP = `172.20.${Math.floor(index / 250)}.${(index % 250) + 2}`;
  const podPrefix = `10.${64 + Math.floor(index / 256)}.${index % 256}.`;
  const instance = controlPlane ? CONTROL_PLANE_INSTANCE : random.pick(INSTANCE_TYPES);
  const zone = ZONES[index % ZONES.length]!;
  const node = makeNode(
    {
      name,
      uid: random.uuid(),
      createdMs,
      controlPlane,
      region: REGION,
      zone,
      instance,
      internalIP,
      podCIDR: `${podPrefix}0/24`,
      providerId: `aws:///${zone}/i-0${random.hex(16)}`,
      images,
      machineId: random.hex(32),
      bootId: random.uuid(),
      systemUuid: `ec2${random.hex(5)}-${random.hex(4)}-${random.hex(4)}-${random.hex(4)}-${random.hex(12)}`,
      nodePool: `pool-${instance.name.split('.')[0]}`,
      heartbeatMs: ctx.heartbeat,
    },
    random,
  );
  const uid = node.metadata!.uid!;
  return { node, slot: { name, uid, controlPlane, internalIP, podPrefix, nextPodIP: 2, createdMs } };
}
