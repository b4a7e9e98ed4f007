/**
 * Defaulting and minimal validation of created pods, as the apiserver's defaulters and admission plugins
 * (DefaultTolerationSeconds, ServiceAccount) would leave them.
 */
import type { KubeObject } from './kube-object.js';

interface Container {
  name?: string;
  image?: string;
  imagePullPolicy?: string;
  terminationMessagePath?: string;
  terminationMessagePolicy?: string;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  [key: string]: unknown;
}

interface PodSpec {
  containers?: Container[];
  initContainers?: Container[];
  restartPolicy?: string;
  terminationGracePeriodSeconds?: number;
  dnsPolicy?: string;
  schedulerName?: string;
  serviceAccountName?: string;
  serviceAccount?: string;
  securityContext?: Record<string, unknown>;
  tolerations?: Array<Record<string, unknown>>;
  priority?: number;
  enableServiceLinks?: boolean;
  preemptionPolicy?: string;
  [key: string]: unknown;
}

export const DEFAULT_TOLERATIONS = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
];

function defaultContainer(c: Container): void {
  const tag = c.image?.includes('@') ? 'digest' : (c.image?.split('/').pop()?.split(':')[1] ?? 'latest');
  c.imagePullPolicy ??= tag === 'latest' ? 'Always' : 'IfNotPresent';
  c.terminationMessagePath ??= '/dev/termination-log';
  c.terminationMessagePolicy ??= 'File';
  c.resources ??= {};
}

export function qosClass(containers: Container[]): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  let any = false;
  let guaranteed = containers.length > 0;
  for (const c of containers) {
    const req = c.resources?.requests ?? {};
    const lim = c.resources?.limits ?? {};
    if (Object.keys(req).length || Object.keys(lim).length) any = true;
    for (const r of ['cpu', 'memory']) {
      if (!lim[r] || (req[r] !== undefined && req[r] !== lim[r])) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

/** Defaults a pod in place; `required(field, detail)` builds the 422 thrown for a missing field. */
export function defaultPod(pod: KubeObject, required: (field: string, detail: string) => Error): void {
  const spec = (pod.spec ?? {}) as PodSpec;
  pod.spec = spec;
  if (!Array.isArray(spec.containers) || spec.containers.length === 0) {
    throw required('spec.containers', '');
  }
  for (const c of spec.containers) {
    if (!c.name) throw required('spec.containers[0].name', '');
    if (!c.image) throw required(`spec.containers[0].image`, '');
    defaultContainer(c);
  }
  for (const c of spec.initContainers ?? []) defaultContainer(c);
  spec.restartPolicy ??= 'Always';
  spec.terminationGracePeriodSeconds ??= 30;
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.serviceAccountName ??= 'default';
  spec.serviceAccount ??= spec.serviceAccountName;
  spec.securityContext ??= {};
  spec.schedulerName ??= 'default-scheduler';
  const tolerations = spec.tolerations ?? [];
  for (const t of DEFAULT_TOLERATIONS) {
    if (!tolerations.some((x) => x.key === t.key && x.effect === t.effect)) tolerations.push({ ...t });
  }
  spec.tolerations = tolerations;
  spec.priority ??= 0;
  spec.enableServiceLinks ??= true;
  spec.preemptionPolicy ??= 'PreemptLowerPriority';
  const status = (pod.status ?? {}) as Record<string, unknown>;
  pod.status = { ...status, phase: status.phase ?? 'Pending', qosClass: qosClass(spec.containers) };
}
