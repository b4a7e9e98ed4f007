import { KubeApiError } from '../clusters/kube-api-error.js';
import type { KubePod } from '../pods/kube-pod.js';
import { controllerOf } from '../pods/pod-ownership.js';
import type { DrainClusterApi, PodsOnNode, PodWatcher } from './drain-cluster-api.js';
import { type DaemonSetLookup, isDaemonSetRef, isFinished, makeFilters } from './drain-filters.js';
import type { DrainOptions } from './drain-options.js';
import { type DrainPlan, planDrain, podKey } from './drain-plan.js';
import type { DrainReporter } from './drain-reporter.js';
import { type DrainTimings, forEachConcurrently, pause } from './drain-timings.js';
import { PodDeletionWatch } from './pod-deletion-watch.js';
import { type PodRemovalResult, removePod } from './pod-removal.js';

export interface DrainWorkflowInput {
  readonly api: DrainClusterApi;
  readonly node: string;
  readonly options: DrainOptions;
  readonly timings: DrainTimings;
  readonly reporter: DrainReporter;
  /** Aborting stops the drain: no request is sent after it fires. */
  readonly signal: AbortSignal;
  /** Epoch ms at which evicting and waiting give up (timeoutSeconds), or null. */
  readonly deadline: number | null;
}

export type DrainOutcome =
  | { kind: 'succeeded' }
  | { kind: 'failed'; error: string }
  /** The signal fired; the caller knows why (cancel, lost lease, shutdown). */
  | { kind: 'stopped' };

/**
 * kubectl drain's RunNodeDrain: cordon, list and filter the node's pods, then evict them and
 * wait for them to go. Idempotent, so a replica taking a job over simply runs it again: the
 * cordon is a no-op, the plan is made from the pods still there.
 */
export async function runDrainWorkflow(input: DrainWorkflowInput): Promise<DrainOutcome> {
  const { options, reporter, signal } = input;
  try {
    if (!options.dryRun) {
      reporter.phase('CORDONING');
      await step(`cordoning node ${input.node}`, () =>
        withTransientRetries(input, () => input.api.setUnschedulable(input.node, true)),
      );
      reporter.cordoned();
    }
    if (signal.aborted) return { kind: 'stopped' };
    reporter.phase('PLANNING');
    const listed = await step(`listing the pods of node ${input.node}`, () => listPods(input));
    const plan = await step(`looking up the DaemonSets of node ${input.node}`, () =>
      makePlan(input, listed.pods),
    );
    reporter.planned(plan);
    if (plan.errors.length > 0) return { kind: 'failed', error: plan.errors.join('; ') };
    if (signal.aborted) return { kind: 'stopped' };
    if (options.dryRun) return { kind: 'succeeded' };
    reporter.phase('EVICTING');
    return await removeAll(plan.toEvict, input, listed);
  } catch (err) {
    if (signal.aborted) return { kind: 'stopped' };
    if (err instanceof KubeApiError) return { kind: 'failed', error: err.message };
    throw err;
  }
}

function listPods(input: DrainWorkflowInput): Promise<PodsOnNode> {
  return withTransientRetries(input, () => input.api.listPodsOnNode(input.node, input.options.podSelector));
}

/** Runs kubectl's filters over the node's pods. */
export async function makePlan(input: DrainWorkflowInput, pods: readonly KubePod[]): Promise<DrainPlan> {
  const daemonSets = await lookupDaemonSets(pods, input);
  return planDrain(pods, makeFilters({ options: input.options, daemonSets, now: Date.now() }));
}

async function removeAll(
  pods: readonly KubePod[],
  input: DrainWorkflowInput,
  listed: PodsOnNode,
): Promise<DrainOutcome> {
  const failed: string[] = [];
  let stopped = false;
  const watch = deletionWatch(input, listed);
  watch?.start();
  try {
    await forEachConcurrently(pods, input.timings.concurrency, async (pod) => {
      const result: PodRemovalResult = await removePod(pod, { ...input, watch });
      if (result === 'failed') failed.push(podKey(pod));
      if (result === 'stopped') stopped = true;
    });
  } finally {
    await watch?.stop();
  }
  if (stopped || input.signal.aborted) return { kind: 'stopped' };
  if (failed.length === 0) return { kind: 'succeeded' };
  return {
    kind: 'failed',
    error: `${failed.length} pod(s) could not be drained: ${failed.sort().join(', ')}`,
  };
}

/** One watch of the node's pods from the plan's LIST, when the API can watch (else pods are polled). */
function deletionWatch(input: DrainWorkflowInput, listed: PodsOnNode): PodDeletionWatch | undefined {
  const { api } = input;
  if (!canWatch(api) || listed.resourceVersion === undefined) return undefined;
  return new PodDeletionWatch({
    api,
    node: input.node,
    pods: listed.pods,
    resourceVersion: listed.resourceVersion,
    signal: input.signal,
    retryDelayMs: input.timings.transientRetryDelayMs,
  });
}

function canWatch(api: DrainClusterApi): api is DrainClusterApi & PodWatcher {
  return typeof (api as Partial<PodWatcher>).watchPodsOnNode === 'function';
}

/** Looks up each DaemonSet named as a controller once; kubectl looks it up per pod. */
async function lookupDaemonSets(
  pods: readonly KubePod[],
  input: DrainWorkflowInput,
): Promise<Map<string, DaemonSetLookup>> {
  const keys = new Set<string>();
  for (const pod of pods) {
    const ref = controllerOf(pod);
    if (ref && isDaemonSetRef(ref) && !isFinished(pod))
      keys.add(`${pod.metadata.namespace ?? ''}/${ref.name}`);
  }
  const entries = await Promise.all(
    [...keys].map(async (key): Promise<[string, DaemonSetLookup]> => {
      const [namespace = '', name = ''] = key.split('/');
      return [key, await input.api.lookupDaemonSet(namespace, name)];
    }),
  );
  return new Map(entries);
}

/** Prefixes a Kubernetes error with the step that failed, so a job's error says where it stopped. */
async function step<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (!(err instanceof KubeApiError)) throw err;
    throw new KubeApiError(err.kind, `${what}: ${err.message}`, err.statusCode, err.status, { cause: err });
  }
}

/** Retries a call that failed for a transient reason (timeout, 5xx, unreachable). */
async function withTransientRetries<T>(input: DrainWorkflowInput, call: () => Promise<T>): Promise<T> {
  for (let failures = 0; ; failures++) {
    try {
      return await call();
    } catch (err) {
      const transient =
        err instanceof KubeApiError && ['TIMEOUT', 'UNAVAILABLE', 'SERVER_ERROR'].includes(err.kind);
      if (!transient || failures >= input.timings.transientRetries || input.signal.aborted) throw err;
      await pause(input.timings.transientRetryDelayMs, input.signal);
    }
  }
}
