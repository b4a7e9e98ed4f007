/**
 * The simulator's referee for PodDisruptionBudgets: every eviction it admits is checked against
 * the pods as they are at that moment (not against the budget's status, which the eviction used),
 * and one that leaves fewer healthy pods than the budget's desiredHealthy is recorded. Tests of
 * concurrent drains assert that none was.
 */

import { type LabelSelector, matches } from '../clusters/label-selector.js';
import type { KubeObject } from './kube-object.js';
import type { Store } from './store.js';

export interface PdbViolation {
  /** namespace/name of the budget. */
  readonly budget: string;
  /** namespace/name of the pod whose eviction broke it. */
  readonly pod: string;
  readonly at: string;
  readonly healthyAfter: number;
  readonly desiredHealthy: number;
}

const MAX_RECORDED = 1000;
const recorded = new WeakMap<Store, PdbViolation[]>();

export function pdbViolationsOf(store: Store): readonly PdbViolation[] {
  return recorded.get(store) ?? [];
}

/**
 * Checks an admitted eviction of `podName`: the healthy pods `selector` selects once it is gone
 * (ready, not terminating, not already disrupted) must still be at least `desiredHealthy`.
 */
export function checkEviction(
  store: Store,
  eviction: {
    namespace: string;
    podName: string;
    budget: string;
    selector: LabelSelector;
    disrupted: Readonly<Record<string, string>>;
    desiredHealthy: number;
    at: string;
  },
): void {
  let healthy = 0;
  for (const stored of store.list('pods', eviction.namespace)) {
    if (stored.name === eviction.podName || eviction.disrupted[stored.name]) continue;
    if (!matches(eviction.selector, stored.labels)) continue;
    const phase = stored.fields['status.phase'];
    if (phase === 'Succeeded' || phase === 'Failed') continue;
    const pod = JSON.parse(stored.json) as KubeObject;
    if (pod.metadata?.deletionTimestamp || !isReady(pod)) continue;
    healthy++;
  }
  if (healthy >= eviction.desiredHealthy) return;
  const list = recorded.get(store) ?? [];
  recorded.set(store, list);
  if (list.length < MAX_RECORDED) {
    list.push({
      budget: eviction.budget,
      pod: `${eviction.namespace}/${eviction.podName}`,
      at: eviction.at,
      healthyAfter: healthy,
      desiredHealthy: eviction.desiredHealthy,
    });
  }
}

function isReady(pod: KubeObject): boolean {
  const conditions =
    (pod.status as { conditions?: Array<{ type?: string; status?: string }> } | undefined)?.conditions ?? [];
  return conditions.some((c) => c.type === 'Ready' && c.status === 'True');
}
