import { type KubeOwnerReference, type KubePod, TERMINAL_POD_PHASES } from '../pods/kube-pod.js';
import { controllerOf, hasEmptyDir, isMirrorPod } from '../pods/pod-ownership.js';
import type { DrainOptions } from './drain-options.js';

/**
 * The pod filters of `kubectl drain` (k8s.io/kubectl pkg/drain/filters.go), one small function
 * each, applied in a fixed order. Outcomes are plain data. The fatal messages name the GraphQL
 * option that overrides them, where kubectl names its flag.
 */

export type PodDeleteReason = 'OKAY' | 'SKIP' | 'WARNING' | 'ERROR';

export interface PodDeleteStatus {
  /** Whether the pod is to be evicted. */
  readonly delete: boolean;
  readonly reason: PodDeleteReason;
  /** Why; for ERROR and WARNING statuses the pods sharing a message are reported together. */
  readonly message: string | null;
}

export type PodFilter = (pod: KubePod) => PodDeleteStatus;

export const DAEMON_SET_FATAL = 'DaemonSet-managed Pods (use ignoreDaemonSets: true to ignore)';
export const DAEMON_SET_WARNING = 'ignoring DaemonSet-managed Pods';
export const LOCAL_STORAGE_FATAL = 'Pods with local storage (use deleteEmptyDirData: true to override)';
export const LOCAL_STORAGE_WARNING = 'deleting Pods with local storage';
export const UNMANAGED_FATAL = 'Pods that declare no controller (use force: true to override)';
export const UNMANAGED_WARNING = 'deleting Pods that declare no controller';
export const MIRROR_POD_SKIP = 'mirror Pod: the kubelet manages it from a static manifest';

export const okay = (): PodDeleteStatus => ({ delete: true, reason: 'OKAY', message: null });
export const skip = (message: string): PodDeleteStatus => ({ delete: false, reason: 'SKIP', message });
export const warning = (del: boolean, message: string): PodDeleteStatus => ({
  delete: del,
  reason: 'WARNING',
  message,
});
export const error = (message: string): PodDeleteStatus => ({ delete: false, reason: 'ERROR', message });

/** What is known about the DaemonSet a pod names as its controller (kubectl GETs it). */
export type DaemonSetLookup =
  | { kind: 'found' }
  | { kind: 'not-found'; message: string }
  | { kind: 'error'; message: string };

export interface FilterContext {
  readonly options: Pick<
    DrainOptions,
    'ignoreDaemonSets' | 'deleteEmptyDirData' | 'force' | 'skipWaitForDeleteTimeoutSeconds'
  >;
  /** The result of looking up each DaemonSet the pods name, keyed by `namespace/name`. */
  readonly daemonSets: ReadonlyMap<string, DaemonSetLookup>;
  /** Epoch milliseconds; a parameter so that tests are deterministic. */
  readonly now: number;
}

/** The filters in kubectl's order; the first that does not delete a pod decides its fate. */
export function makeFilters(ctx: FilterContext): readonly PodFilter[] {
  return [
    (pod) => skipDeletedFilter(pod, ctx),
    (pod) => daemonSetFilter(pod, ctx),
    mirrorPodFilter,
    (pod) => localStorageFilter(pod, ctx),
    (pod) => unreplicatedFilter(pod, ctx),
  ];
}

/**
 * Runs the filters on one pod, stopping at the first that keeps it, like kubectl's filterPods.
 * Unlike kubectl, a warning is not lost when a later filter says OKAY (kubectl drops the
 * emptyDir and orphaned-DaemonSet warnings that way); of several warnings the last is kept.
 */
export function filterPod(pod: KubePod, filters: readonly PodFilter[]): PodDeleteStatus {
  let verdict = okay();
  for (const filter of filters) {
    const status = filter(pod);
    if (!status.delete) return status;
    if (status.reason !== 'OKAY') verdict = status;
  }
  return verdict;
}

export function skipDeletedFilter(pod: KubePod, ctx: FilterContext): PodDeleteStatus {
  const seconds = ctx.options.skipWaitForDeleteTimeoutSeconds;
  if (shouldSkipDeletingPod(pod, seconds, ctx.now)) {
    return skip(`being deleted for more than ${seconds}s (skipWaitForDeleteTimeoutSeconds)`);
  }
  return okay();
}

export function daemonSetFilter(pod: KubePod, ctx: FilterContext): PodDeleteStatus {
  const ref = controllerOf(pod);
  if (!ref || !isDaemonSetRef(ref)) return okay();
  // A finished pod can be removed whatever manages it.
  if (isFinished(pod)) return okay();
  const lookup = ctx.daemonSets.get(`${pod.metadata.namespace ?? ''}/${ref.name}`);
  if (lookup === undefined || lookup.kind === 'error')
    return error(lookup?.message ?? 'DaemonSet was not looked up');
  if (lookup.kind === 'not-found') {
    // An orphan: nothing will recreate it, so it goes only when the caller forces.
    return ctx.options.force ? warning(true, lookup.message) : error(lookup.message);
  }
  return ctx.options.ignoreDaemonSets ? warning(false, DAEMON_SET_WARNING) : error(DAEMON_SET_FATAL);
}

export function mirrorPodFilter(pod: KubePod): PodDeleteStatus {
  return isMirrorPod(pod) ? skip(MIRROR_POD_SKIP) : okay();
}

export function localStorageFilter(pod: KubePod, ctx: FilterContext): PodDeleteStatus {
  if (!hasEmptyDir(pod) || isFinished(pod)) return okay();
  return ctx.options.deleteEmptyDirData ? warning(true, LOCAL_STORAGE_WARNING) : error(LOCAL_STORAGE_FATAL);
}

export function unreplicatedFilter(pod: KubePod, ctx: FilterContext): PodDeleteStatus {
  if (isFinished(pod) || controllerOf(pod)) return okay();
  return ctx.options.force ? warning(true, UNMANAGED_WARNING) : error(UNMANAGED_FATAL);
}

export function isDaemonSetRef(ref: KubeOwnerReference): boolean {
  return ref.kind === 'DaemonSet' && ref.apiVersion === 'apps/v1';
}

export function isFinished(pod: KubePod): boolean {
  return TERMINAL_POD_PHASES.includes(pod.status?.phase ?? '');
}

/** kubectl's shouldSkipPod: a deletion that started more than `seconds` ago (0 = never skip). */
export function shouldSkipDeletingPod(pod: KubePod, seconds: number, now: number): boolean {
  const since = pod.metadata.deletionTimestamp;
  if (seconds <= 0 || !since) return false;
  return Math.floor((now - Date.parse(since)) / 1000) > seconds;
}
