/** How the pods left after DaemonSet and mirror pods are shared out among the other kinds of pod. */
export interface PodMix {
  /** Job pods that completed. */
  succeeded: number;
  /** Job pods that failed. */
  failed: number;
  /** Pods without an owner (ad hoc debug and migration pods). */
  bare: number;
  /** ReplicaSet pods that no node can take (they stay Pending). */
  unschedulable: number;
  /** ReplicaSet pods that run. */
  replicaSet: number;
}

export function splitRemainingPods(remaining: number): PodMix {
  const succeeded = Math.floor(remaining * 0.02);
  const failed = Math.floor(remaining * 0.01);
  const bare = Math.floor(remaining * 0.02);
  const unschedulable = Math.floor(remaining * 0.003);
  const replicaSet = remaining - succeeded - failed - bare - unschedulable;
  return { succeeded, failed, bare, unschedulable, replicaSet };
}
