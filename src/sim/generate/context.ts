/**
 * What every per-kind generator shares. The one Random stream is the cluster: each generator draws from it
 * in a fixed order, so the order in which generate-cluster.ts calls them (and the order of draws inside
 * each) is part of the output, and must not change if the same seed is to give the same cluster.
 */
import type { KubeObject } from '../kube-object.js';
import { Random } from '../random.js';
import type { ResourceName } from '../resources.js';

export const DAY = 86_400_000;
export const HOUR = 3_600_000;

/** Receives generated objects one by one (the store serializes each at once, keeping peak memory low). */
export type ObjectSink = (resource: ResourceName, obj: KubeObject) => void;

export interface GenerationContext {
  random: Random;
  /** Reference "now" that ages are measured from. */
  epoch: number;
  /** When the cluster was created: system namespaces, control-plane nodes and DaemonSets date from it. */
  clusterBirth: number;
  /** The nodes' last heartbeat, the one timestamp not derived from the epoch. */
  heartbeat: number;
  emit: ObjectSink;
}

/** Ages are relative to the start of the UTC day, so simulators started on the same day agree. */
export function startOfUtcDay(ms = Date.now()): number {
  return Math.floor(ms / DAY) * DAY;
}

export function generationContext(
  opts: { seed: number; epochMs?: number; heartbeatMs?: number },
  emit: ObjectSink,
): GenerationContext {
  const epoch = opts.epochMs ?? startOfUtcDay();
  return {
    random: new Random(opts.seed),
    epoch,
    clusterBirth: epoch - 120 * DAY,
    heartbeat: opts.heartbeatMs ?? Date.now(),
    emit,
  };
}
