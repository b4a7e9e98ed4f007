/** Unhealthy node states, applied to a freshly made Node object. */
import type { KubeObject } from '../kube-object.js';
import { rfc3339 } from '../kube-object.js';

/** As `kubectl cordon` leaves a node: unschedulable, with the taint the node controller adds. */
export function cordon(node: KubeObject, sinceMs: number): void {
  const spec = node.spec as { unschedulable?: boolean; taints?: unknown[] };
  spec.unschedulable = true;
  spec.taints = [
    { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule', timeAdded: rfc3339(sinceMs) },
  ];
}

/** As the node controller leaves a node whose kubelet stopped reporting: conditions Unknown, unreachable taints. */
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
