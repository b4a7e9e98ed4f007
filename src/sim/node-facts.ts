/**
 * The few node properties scheduling decisions need (labels, taints, readiness, cordon, pod capacity),
 * extracted once when a node is written so that the scheduler and DaemonSet controller never re-parse
 * 10-20 KB node objects.
 */
import type { KubeObject } from './kube-object.js';

export interface Taint {
  key?: string;
  value?: string;
  effect?: string;
}

export interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
}

export interface NodeFacts {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly taints: readonly Taint[];
  readonly ready: boolean;
  readonly unschedulable: boolean;
  readonly capacity: number;
}

export function nodeFacts(node: KubeObject): NodeFacts {
  const spec = (node.spec ?? {}) as { taints?: Taint[]; unschedulable?: boolean };
  const status = (node.status ?? {}) as {
    conditions?: Array<{ type?: string; status?: string }>;
    allocatable?: { pods?: string };
  };
  return {
    name: node.metadata?.name ?? '',
    labels: node.metadata?.labels ?? {},
    taints: (spec.taints ?? []).map((t) => ({
      ...(t.key !== undefined ? { key: t.key } : {}),
      ...(t.value !== undefined ? { value: t.value } : {}),
      ...(t.effect !== undefined ? { effect: t.effect } : {}),
    })),
    ready: (status.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True'),
    unschedulable: spec.unschedulable === true,
    capacity: Number(status.allocatable?.pods ?? 110),
  };
}

export function tolerates(tolerations: readonly Toleration[], taint: Taint): boolean {
  return tolerations.some((t) => {
    if (t.effect && t.effect !== taint.effect) return false;
    if (t.operator === 'Exists') return !t.key || t.key === taint.key;
    return t.key === taint.key && (t.value ?? '') === (taint.value ?? '');
  });
}

/** Taints that keep pods without a matching toleration off the node. */
export function repels(taint: Taint, tolerations: readonly Toleration[]): boolean {
  return (taint.effect === 'NoSchedule' || taint.effect === 'NoExecute') && !tolerates(tolerations, taint);
}
