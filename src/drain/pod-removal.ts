import { KubeApiError } from '../clusters/kube-api-error.js';
import type { KubePod } from '../pods/kube-pod.js';
import type { PodEvicter, PodGetter } from './drain-cluster-api.js';
import { shouldSkipDeletingPod } from './drain-filters.js';
import type { DrainOptions } from './drain-options.js';
import type { DrainReporter } from './drain-reporter.js';
import { type DrainTimings, pause } from './drain-timings.js';
import type { PodDeletionWatch } from './pod-deletion-watch.js';

/** What removing one pod needs; shared by every pod of a drain. */
export interface PodRemovalContext {
  readonly api: PodEvicter & PodGetter;
  readonly options: DrainOptions;
  readonly timings: DrainTimings;
  readonly reporter: DrainReporter;
  /** Aborts on cancel, lost lease or shutdown: nothing new is sent after it fires. */
  readonly signal: AbortSignal;
  /** Epoch ms after which the drain gives up (timeoutSeconds), or null. */
  readonly deadline: number | null;
  /** The one watch of the node's pods; without it (or once refused) each pod is polled. */
  readonly watch?: PodDeletionWatch;
}

export type PodRemovalResult = 'removed' | 'failed' | 'stopped';

/** kubectl's per-pod goroutine: evict (retrying while a budget refuses), then wait until the pod is gone. */
export async function removePod(pod: KubePod, ctx: PodRemovalContext): Promise<PodRemovalResult> {
  const requested = await requestRemoval(pod, ctx);
  if (requested !== 'requested') return requested;
  return waitForDeletion(pod, ctx);
}

type RequestResult = 'requested' | 'removed' | 'failed' | 'stopped';

type RemovalError =
  | { kind: 'gone' }
  | { kind: 'accepted' }
  | { kind: 'blocked'; message: string }
  | { kind: 'transient'; message: string }
  | { kind: 'fatal'; message: string };

async function requestRemoval(pod: KubePod, ctx: PodRemovalContext): Promise<RequestResult> {
  const removal = { gracePeriodSeconds: ctx.options.gracePeriodSeconds };
  let current = pod;
  let transientFailures = 0;
  for (let attempt = 1; ; attempt++) {
    if (ctx.signal.aborted) return 'stopped';
    if (pastDeadline(ctx)) return fail(pod, ctx, timeoutMessage(ctx, 'evicting'));
    ctx.reporter.podEvicting(pod, attempt);
    try {
      if (ctx.options.disableEviction) await ctx.api.deletePod(current, removal);
      else await ctx.api.evictPod(current, removal);
      ctx.reporter.podEvicted(pod);
      return 'requested';
    } catch (err) {
      const outcome = classifyRemovalError(err, current);
      if (outcome.kind === 'gone') {
        ctx.reporter.podAlreadyGone(pod);
        return 'removed';
      }
      if (outcome.kind === 'accepted') return 'requested';
      if (outcome.kind === 'fatal') return fail(pod, ctx, outcome.message);
      if (outcome.kind === 'transient' && ++transientFailures > ctx.timings.transientRetries) {
        return fail(pod, ctx, outcome.message);
      }
      if (outcome.kind === 'blocked') ctx.reporter.podBlocked(pod, attempt, outcome.message);
      const delay =
        outcome.kind === 'blocked' ? ctx.timings.evictRetryDelayMs : ctx.timings.transientRetryDelayMs;
      await pause(delay, ctx.signal, ctx.deadline);
    }
    current = (ctx.watch?.available ? ctx.watch.current(current) : await getQuietly(ctx, current)) ?? current;
  }
}

/** Waits until the pod is gone or replaced by one with another uid (kubectl's waitForDelete). */
async function waitForDeletion(pod: KubePod, ctx: PodRemovalContext): Promise<PodRemovalResult> {
  const watch = ctx.watch;
  if (!watch) return pollForDeletion(pod, ctx);
  for (;;) {
    if (ctx.signal.aborted) return 'stopped';
    if (!watch.available) return pollForDeletion(pod, ctx);
    const fate = watch.fateOf(pod);
    if (fate !== undefined) {
      ctx.reporter.podDeleted(pod, fate === 'deleted' ? 'deleted' : 'deleted and replaced by a new pod');
      return 'removed';
    }
    const seen = watch.current(pod);
    const seconds = ctx.options.skipWaitForDeleteTimeoutSeconds;
    if (seen && shouldSkipDeletingPod(seen, seconds, Date.now())) return skipWaiting(pod, ctx, seconds);
    if (pastDeadline(ctx)) return fail(pod, ctx, timeoutMessage(ctx, 'waiting for the pod to terminate'));
    // Wakes at the pod's next change; the timeout only re-checks the deadline and skip rule (no request).
    const left = ctx.deadline === null ? Number.POSITIVE_INFINITY : ctx.deadline - Date.now();
    await watch.changed(pod, Math.max(1, Math.min(ctx.timings.deletePollIntervalMs, left)));
  }
}

function skipWaiting(pod: KubePod, ctx: PodRemovalContext, seconds: number): 'removed' {
  ctx.reporter.podSkipped(
    pod,
    `still terminating after ${seconds}s; not waiting (skipWaitForDeleteTimeoutSeconds)`,
  );
  return 'removed';
}

/** Polls until the pod is gone or replaced by one with another uid (kubectl's waitForDelete). */
async function pollForDeletion(pod: KubePod, ctx: PodRemovalContext): Promise<PodRemovalResult> {
  const { namespace = '', name = '', uid } = pod.metadata;
  const { deletePollInitialMs, deletePollIntervalMs } = ctx.timings;
  for (let interval = Math.min(deletePollInitialMs, deletePollIntervalMs); ; ) {
    if (ctx.signal.aborted) return 'stopped';
    let found: KubePod | undefined | 'unknown';
    try {
      found = await ctx.api.getPod(namespace, name);
    } catch {
      found = 'unknown'; // a failed poll proves nothing; poll again until the deadline
    }
    if (found === undefined || (found !== 'unknown' && found.metadata.uid !== uid)) {
      ctx.reporter.podDeleted(pod, found === undefined ? 'deleted' : 'deleted and replaced by a new pod');
      return 'removed';
    }
    const seconds = ctx.options.skipWaitForDeleteTimeoutSeconds;
    if (found !== 'unknown' && shouldSkipDeletingPod(found, seconds, Date.now()))
      return skipWaiting(pod, ctx, seconds);
    if (pastDeadline(ctx)) return fail(pod, ctx, timeoutMessage(ctx, 'waiting for the pod to terminate'));
    await pause(interval, ctx.signal, ctx.deadline);
    interval = Math.min(interval * 2, deletePollIntervalMs);
  }
}

export function classifyRemovalError(err: unknown, pod: KubePod): RemovalError {
  if (!(err instanceof KubeApiError)) return { kind: 'fatal', message: String(err) };
  switch (err.kind) {
    case 'NOT_FOUND':
      return { kind: 'gone' };
    case 'TOO_MANY_REQUESTS':
      return { kind: 'blocked', message: err.message };
    case 'TIMEOUT':
    case 'UNAVAILABLE':
    case 'SERVER_ERROR':
      return { kind: 'transient', message: err.message };
    case 'FORBIDDEN':
      if (!isNamespaceTerminating(err)) break;
      // An eviction in a terminating namespace is refused; a pod already being deleted will go anyway.
      return pod.metadata.deletionTimestamp
        ? { kind: 'accepted' }
        : { kind: 'blocked', message: err.message };
  }
  return { kind: 'fatal', message: err.message };
}

function isNamespaceTerminating(err: KubeApiError): boolean {
  return err.status?.details?.causes?.some((c) => c.reason === 'NamespaceTerminating') ?? false;
}

async function getQuietly(ctx: PodRemovalContext, pod: KubePod): Promise<KubePod | undefined> {
  try {
    return await ctx.api.getPod(pod.metadata.namespace ?? '', pod.metadata.name ?? '');
  } catch {
    return undefined; // like kubectl: let the next eviction sort it out with the pod we have
  }
}

function fail(pod: KubePod, ctx: PodRemovalContext, message: string): 'failed' {
  ctx.reporter.podFailed(pod, message);
  return 'failed';
}

function pastDeadline(ctx: PodRemovalContext): boolean {
  return ctx.deadline !== null && Date.now() >= ctx.deadline;
}

function timeoutMessage(ctx: PodRemovalContext, doing: string): string {
  return `global timeout reached while ${doing} (timeoutSeconds: ${ctx.options.timeoutSeconds})`;
}
