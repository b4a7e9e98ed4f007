/**
 * Deterministic cluster generation: the same (nodes, pods, seed, day) gives the same names, UIDs and
 * placement. Composition, for N nodes and P pods (each kind's generator, in src/sim/generate/, says more):
 *  - namespaces: the system ones, 8 application namespaces and batch-jobs;
 *  - node-0001.. ; the first 3 (N >= 10) or 1 (N >= 4) are control-plane nodes; from 100 nodes up, ~1% of
 *    workers are cordoned and ~0.5% NotReady;
 *  - up to 4 DaemonSets (kube-proxy, cilium, node-local-dns in kube-system, node-exporter in monitoring)
 *    with a pod on every node; 4 mirror pods (static control-plane pods) per control-plane node;
 *  - of the rest: ~2% Succeeded and ~1% Failed Job pods, ~2% bare pods (no owner; some with emptyDir),
 *    ~0.3% unschedulable Pending pods, the remainder owned by ReplicaSets (a quarter of them use emptyDir),
 *    spread one per worker node per ReplicaSet; ~15% of ReplicaSets with 2+ replicas have a PDB that allows
 *    exactly one disruption.
 * Timestamps are relative to the start of the current UTC day, so two simulators started the same day
 * produce identical objects (except the nodes' lastHeartbeatTime, which is the start time).
 * All generators draw from one random stream, so the order of the calls below is part of the output.
 */
import { generateBarePods } from './generate/bare-pods.js';
import { generationContext, type ObjectSink } from './generate/context.js';
import { generateDaemonSets } from './generate/daemonsets.js';
import { generateJobPods } from './generate/job-pods.js';
import { generateMirrorPods } from './generate/mirror-pods.js';
import { generateNamespaces } from './generate/namespaces.js';
import { generateNodes } from './generate/nodes.js';
import { splitRemainingPods } from './generate/pod-mix.js';
import { PodPlacer } from './generate/pod-placer.js';
import { generateReplicaSets } from './generate/replicasets.js';
import type { KubeObject } from './kube-object.js';
import { imageCatalog } from './node-factory.js';
import type { ResourceName } from './resources.js';

export { type ObjectSink, startOfUtcDay } from './generate/context.js';
export { markNotReady } from './generate/node-health.js';
export { controlPlaneCount, nodeName } from './generate/nodes.js';

export interface GenerateOptions {
  nodes: number;
  pods: number;
  seed: number;
  /** Reference "now" for ages; defaults to the start of the current UTC day. */
  epochMs?: number;
  /** Time of the nodes' last heartbeat (the one timestamp not derived from epochMs); defaults to now. */
  heartbeatMs?: number;
}

export type GeneratedCluster = Record<ResourceName, KubeObject[]>;

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
  const ctx = generationContext(opts, sink);
  // Drawn first: every node lists the images and every pod's containers resolve their digests from them.
  const images = imageCatalog(ctx.random);
  generateNamespaces(ctx);
  const nodes = generateNodes(ctx, opts.nodes, images);
  if (nodes.length === 0) return;
  // Control-plane nodes are tainted NoSchedule: ordinary pods go to workers, unless there are none.
  const workers = nodes.filter((n) => !n.controlPlane);
  const schedulable = workers.length > 0 ? workers : nodes;

  const placer = new PodPlacer(ctx, images);
  generateDaemonSets(ctx, placer, nodes, opts.pods);
  generateMirrorPods(ctx, placer, nodes, opts.pods);
  const mix = splitRemainingPods(Math.max(0, opts.pods - placer.count));
  generateJobPods(ctx, placer, schedulable, mix);
  generateBarePods(ctx, placer, schedulable, mix.bare);
  generateReplicaSets(ctx, placer, schedulable, mix);
}
