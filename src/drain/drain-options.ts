import { LabelSelectorError, parseLabelSelector } from '../clusters/label-selector.js';

/**
 * What a caller asks of one drain. Mirrors `kubectl drain` flags (k8s.io/kubectl pkg/drain Helper)
 * with one deliberate difference: `ignoreDaemonSets` defaults to true, because a DaemonSet pod
 * tolerates the cordon taint and would be recreated on the node at once, so evicting it only
 * churns; kubectl makes users type --ignore-daemonsets on nearly every drain for that reason.
 */
export interface DrainOptions {
  /** Leave DaemonSet-managed pods on the node. @default true (kubectl: false) */
  readonly ignoreDaemonSets: boolean;
  /** Evict pods with emptyDir volumes, losing that data. @default false */
  readonly deleteEmptyDirData: boolean;
  /** Evict pods that declare no controller (nothing recreates them). @default false */
  readonly force: boolean;
  /** Grace period given to each pod; null = the pod's own terminationGracePeriodSeconds. */
  readonly gracePeriodSeconds: number | null;
  /** Give up evicting and waiting after this long; 0 = never (kubectl's default). */
  readonly timeoutSeconds: number;
  /** Only pods matching this label selector are drained. */
  readonly podSelector: string | null;
  /** Delete pods instead of evicting them: bypasses PodDisruptionBudgets. @default false */
  readonly disableEviction: boolean;
  /** Skip pods whose deletion began more than this many seconds ago; 0 = never skip. */
  readonly skipWaitForDeleteTimeoutSeconds: number;
  /** Cordon nothing and evict nothing: list, filter and report what a drain would do. */
  readonly dryRun: boolean;
}

export const DEFAULT_DRAIN_OPTIONS: DrainOptions = Object.freeze({
  ignoreDaemonSets: true,
  deleteEmptyDirData: false,
  force: false,
  gracePeriodSeconds: null,
  timeoutSeconds: 0,
  podSelector: null,
  disableEviction: false,
  skipWaitForDeleteTimeoutSeconds: 0,
  dryRun: false,
});

/** Options as a client sends them: every field optional, nulls meaning "default". */
export type DrainOptionsInput = { readonly [K in keyof DrainOptions]?: DrainOptions[K] | null | undefined };

export type ResolvedDrainOptions = { ok: true; options: DrainOptions } | { ok: false; problems: string[] };

const MAX_SECONDS = 7 * 24 * 3600;

/** Fills defaults and validates; every problem is reported at once. */
export function resolveDrainOptions(input: DrainOptionsInput | null | undefined): ResolvedDrainOptions {
  const given = input ?? {};
  const problems: string[] = [];
  const seconds = (name: keyof DrainOptions, value: number | null | undefined, fallback: number) => {
    if (value === null || value === undefined) return fallback;
    if (!Number.isInteger(value) || value < 0 || value > MAX_SECONDS) {
      problems.push(`${name} must be an integer from 0 to ${MAX_SECONDS}, got ${value}`);
      return fallback;
    }
    return value;
  };
  const d = DEFAULT_DRAIN_OPTIONS;
  const podSelector = given.podSelector?.trim() || null;
  if (podSelector !== null) {
    const problem = labelSelectorProblem(podSelector);
    if (problem) problems.push(`podSelector is not a valid label selector: ${problem}`);
  }
  const grace = given.gracePeriodSeconds;
  const options: DrainOptions = {
    ignoreDaemonSets: given.ignoreDaemonSets ?? d.ignoreDaemonSets,
    deleteEmptyDirData: given.deleteEmptyDirData ?? d.deleteEmptyDirData,
    force: given.force ?? d.force,
    gracePeriodSeconds:
      grace === null || grace === undefined ? null : seconds('gracePeriodSeconds', grace, 0),
    timeoutSeconds: seconds('timeoutSeconds', given.timeoutSeconds, d.timeoutSeconds),
    podSelector,
    disableEviction: given.disableEviction ?? d.disableEviction,
    skipWaitForDeleteTimeoutSeconds: seconds(
      'skipWaitForDeleteTimeoutSeconds',
      given.skipWaitForDeleteTimeoutSeconds,
      d.skipWaitForDeleteTimeoutSeconds,
    ),
    dryRun: given.dryRun ?? d.dryRun,
  };
  return problems.length > 0 ? { ok: false, problems } : { ok: true, options };
}

function labelSelectorProblem(selector: string): string | undefined {
  try {
    parseLabelSelector(selector);
    return undefined;
  } catch (err) {
    if (err instanceof LabelSelectorError) return err.message;
    throw err;
  }
}
