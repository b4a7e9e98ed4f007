import type { KubePod } from '../pods/kube-pod.js';
import { filterPod, type PodDeleteStatus, type PodFilter } from './drain-filters.js';

/** One pod and what the filters decided for it. */
export interface PlannedPod {
  readonly pod: KubePod;
  readonly status: PodDeleteStatus;
}

/**
 * What a drain will do with each pod on the node (kubectl's PodDeleteList). A plan with
 * `errors` must not be carried out at all: the drain fails before any pod is touched.
 */
export interface DrainPlan {
  readonly pods: readonly PlannedPod[];
  /** Pods to evict (or delete). */
  readonly toEvict: readonly KubePod[];
  /** One line per warning message, naming its pods: "deleting Pods with local storage: ns/a, ns/b". */
  readonly warnings: readonly string[];
  /** One line per error message, naming its pods: "cannot delete Pods with local storage (...): ns/a". */
  readonly errors: readonly string[];
}

export function planDrain(pods: readonly KubePod[], filters: readonly PodFilter[]): DrainPlan {
  const planned = pods.map((pod) => ({ pod, status: filterPod(pod, filters) }));
  return {
    pods: planned,
    toEvict: planned.filter((p) => p.status.delete).map((p) => p.pod),
    warnings: groupByMessage(planned, 'WARNING').map(([msg, names]) => `${msg}: ${names.join(', ')}`),
    errors: groupByMessage(planned, 'ERROR').map(
      ([msg, names]) => `cannot delete ${msg}: ${names.join(', ')}`,
    ),
  };
}

export function podKey(pod: KubePod): string {
  return `${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`;
}

/** Pods per message, in the order the messages first appear (kubectl's map order is random). */
function groupByMessage(planned: readonly PlannedPod[], reason: 'WARNING' | 'ERROR'): [string, string[]][] {
  const byMessage = new Map<string, string[]>();
  for (const { pod, status } of planned) {
    if (status.reason !== reason) continue;
    const message = status.message || 'unexpected error';
    const names = byMessage.get(message) ?? [];
    names.push(podKey(pod));
    byMessage.set(message, names);
  }
  return [...byMessage];
}
