import type { Logger } from '../platform/logger.js';
import type { KubePod } from '../pods/kube-pod.js';
import type { DrainClusterApi } from './drain-cluster-api.js';
import type { DrainEventKind } from './drain-event.js';
import type { DrainJob, DrainJobState, DrainPhase } from './drain-job.js';
import type { DrainJobStore } from './drain-job-store.js';
import type { DrainMetrics } from './drain-metrics.js';
import type { DrainPlan } from './drain-plan.js';
import type { DrainReporter } from './drain-reporter.js';
import type { DrainTimings } from './drain-timings.js';
import { type DrainOutcome, runDrainWorkflow } from './drain-workflow.js';
import { JobCommitQueue } from './job-commit-queue.js';
import { JobPodEntries } from './job-pod-entries.js';
import { LeaseKeeper } from './lease-keeper.js';
import { checkLostLease } from './lost-lease-check.js';
import type { NodeLease, NodeLock } from './node-lock.js';

export interface DrainRunDeps {
  readonly store: DrainJobStore;
  readonly lock: NodeLock;
  readonly api: DrainClusterApi;
  readonly timings: DrainTimings;
  readonly leaseMs: number;
  readonly replicaId: string;
  readonly logger: Logger;
  readonly metrics: DrainMetrics;
}

/** How long a run whose lease was lost keeps trying to find out why (the store is unreachable). */
const RECOVERY_WINDOW_MS = 60_000;

/** Why a run stopped before its workflow ended. */
export type DrainStopReason = 'cancel' | 'lease-lost' | 'shutdown';

export interface DrainRunStart {
  /** The job was running on another replica whose lease lapsed. */
  readonly takeover: boolean;
  readonly cancelRequested: boolean;
  /** On shutdown, leave the job RUNNING for another replica (Redis) rather than fail it (memory). */
  readonly handOverOnShutdown: boolean;
}

/**
 * Runs one drain job on this replica while holding the node's lease: keeps the lease alive
 * (LeaseKeeper), turns the workflow's progress into job changes and events, and hands them to a
 * JobCommitQueue that saves them in order.
 */
export class DrainJobRun implements DrainReporter {
  private abort = new AbortController();
  private stopReason: DrainStopReason | undefined;
  /** Shutdown or cancel asked for while the run was finding out about a lost lease. */
  private ending: DrainStopReason | undefined;
  private keeper: LeaseKeeper | undefined;
  /** The store lost the job and it could not be re-created: its end is written by `restore`. */
  private lostForGood = false;
  private readonly entries: JobPodEntries;
  private readonly log: Logger;
  private readonly commits: JobCommitQueue;
  private lastPlanSize = 0;

  constructor(
    private readonly deps: DrainRunDeps,
    private readonly job: DrainJob,
    private readonly lease: NodeLease,
    private readonly start: DrainRunStart,
  ) {
    this.entries = new JobPodEntries(job);
    this.log = deps.logger.child({ job: job.id, cluster: job.cluster, node: job.node });
    this.commits = new JobCommitQueue({
      store: deps.store,
      job,
      lease,
      retryDelayMs: Math.min(500, deps.leaseMs / 3),
      onLeaseLost: () => this.stop('lease-lost'),
      logger: this.log,
    });
  }

  get id(): string {
    return this.job.id;
  }

  /** Stops the drain: no request is sent after this; the job ends as the reason says. */
  stop(reason: DrainStopReason): void {
    if (reason !== 'lease-lost') this.ending ??= reason;
    this.stopReason ??= reason;
    if (reason === 'lease-lost') this.commits.abandon();
    this.abort.abort(reason);
  }

  async run(): Promise<void> {
    this.deps.metrics.running.inc();
    try {
      await this.keepLease();
      this.begin();
      if (this.start.cancelRequested) this.stop('cancel');
      let outcome = await this.drive();
      while (outcome.kind === 'stopped' && this.stopReason === 'lease-lost') {
        const next = await this.afterLeaseLost();
        if (next === 'stop') break;
        outcome = next === 'resume' ? await this.drive() : next;
      }
      this.finish(outcome);
      if (this.lostForGood) await this.recordLostJob();
      else await this.commits.flushed();
    } catch (err) {
      this.log.error({ err }, 'drain run failed unexpectedly');
      this.finish({
        kind: 'failed',
        error: `internal error: ${err instanceof Error ? err.message : String(err)}`,
      });
      await this.commits.flushed();
    } finally {
      this.deps.metrics.running.dec();
      await this.keeper?.stop(!this.keeper.lost);
    }
  }

  private async keepLease(): Promise<void> {
    this.keeper = new LeaseKeeper({ ...this.deps, lease: this.lease, jobId: this.job.id, logger: this.log });
    await this.keeper.start((reason) => this.stop(reason));
  }

  private drive(): Promise<DrainOutcome> {
    if (this.stopReason) return Promise.resolve({ kind: 'stopped' });
    return runDrainWorkflow({
      api: this.deps.api,
      node: this.job.node,
      options: this.job.options,
      timings: this.deps.timings,
      reporter: this,
      signal: this.abort.signal,
      deadline: this.deadline(),
    });
  }

  /**
   * The lease could not be renewed (or a commit was refused). If another replica may hold it,
   * the run stops as before (`stop`): the takeover watcher decides who resumes. If the store lost
   * the job and the lease together (Redis restarted empty), nobody else knows the job: the run
   * re-creates it from memory and goes on (`resume`), or, when it cannot, fails it.
   *
   * Subscribers meanwhile: a Redis restart closes the event connection, so every drainProgress
   * stream gets one UPSTREAM_UNAVAILABLE error and completes; drainJob(id) is null (and
   * drainProgress(id) NOT_FOUND) from the restart until the job is re-created, at most about a
   * third of the lease later. Then drainProgress(id) starts again from a snapshot, and
   * drainJob(id).events holds the newest events the runner remembered, numbered on from the last
   * sequence it stored, followed by a JOB_TAKEN_OVER event saying the job was re-created.
   */
  private async afterLeaseLost(): Promise<DrainOutcome | 'resume' | 'stop'> {
    const retryDelayMs = Math.min(500, this.deps.leaseMs / 3);
    const verdict = await checkLostLease({
      store: this.deps.store,
      lock: this.deps.lock,
      lease: this.lease,
      jobId: this.job.id,
      deadline: Date.now() + Math.max(RECOVERY_WINDOW_MS, this.deps.leaseMs * 4),
      retryDelayMs,
      cancelled: () => this.ending !== undefined,
    });
    this.log.warn({ verdict }, 'checked the lost node lease');
    if (verdict === 'elsewhere' || verdict === 'unknown') return 'stop';
    if (verdict === 'emptied') {
      const restored = await this.restoreUntil(Date.now() + RECOVERY_WINDOW_MS, retryDelayMs);
      if (restored === 'refused') {
        this.lostForGood = true;
        return {
          kind: 'failed',
          error:
            'the store lost this job (Redis restarted without its data) and another drain of the node ' +
            'started meanwhile; this run stopped, the node stays cordoned',
        };
      }
      if (restored === 'unreachable') return 'stop';
      this.job.takeovers.push({ at: this.now(), from: this.deps.replicaId, to: this.deps.replicaId });
      this.record(
        'JOB_TAKEN_OVER',
        null,
        `replica ${this.deps.replicaId} re-created the job after the store lost it; resuming the drain`,
      );
    }
    await this.keeper?.stop(false);
    this.stopReason = undefined;
    this.abort = new AbortController();
    this.commits.resume();
    await this.keepLease();
    return 'resume';
  }

  private async restoreUntil(
    deadline: number,
    retryDelayMs: number,
  ): Promise<'done' | 'refused' | 'unreachable'> {
    while (this.ending === undefined && Date.now() < deadline) {
      try {
        if (await this.commits.restore(this.deps.leaseMs)) {
          this.log.warn('re-created the drain job the store lost');
          return 'done';
        }
        this.log.error('cannot re-create the lost drain job: another job or lease holds the node');
        return 'refused';
      } catch (err) {
        this.log.warn({ err: String(err) }, 'cannot re-create the lost drain job yet; retrying');
        await new Promise((r) => setTimeout(r, retryDelayMs));
      }
    }
    this.log.error('gave up re-creating the lost drain job: the store stayed unreachable');
    return 'unreachable';
  }

  phase(phase: DrainPhase): void {
    this.job.phase = phase;
    this.touch();
  }

  cordoned(): void {
    this.record('NODE_CORDONED', null, `node ${this.job.node} is unschedulable`);
  }

  planned(plan: DrainPlan): void {
    const { skipped, gone } = this.entries.applyPlan(plan, this.job.options.dryRun, this.now());
    this.job.warnings = [...plan.warnings];
    this.lastPlanSize = plan.toEvict.length;
    const verb = this.job.options.dryRun ? 'would be evicted' : 'to evict';
    this.record('PODS_PLANNED', null, `${plan.toEvict.length} pod(s) ${verb}, ${skipped.length} skipped`);
    for (const pod of gone) this.record('POD_DELETED', pod, 'gone before this replica resumed the drain');
    for (const { pod, message } of skipped) this.record('POD_SKIPPED', pod, message);
    for (const planned of plan.pods) {
      if (planned.status.reason === 'ERROR') this.record('POD_FAILED', planned.pod, planned.status.message);
    }
    for (const warning of plan.warnings) this.log.warn({ warning }, 'drain warning');
    this.log.info(
      { toEvict: plan.toEvict.length, skipped: skipped.length, errors: plan.errors.length },
      'planned',
    );
  }

  podEvicting(pod: KubePod, attempt: number): void {
    this.entries.update(pod, this.now(), (e) => {
      e.attempts = attempt;
      if (attempt === 1) e.status = 'EVICTING';
    });
    if (attempt === 1)
      this.record('POD_EVICTING', pod, this.job.options.disableEviction ? 'deleting' : 'evicting');
  }

  podBlocked(pod: KubePod, attempt: number, message: string): void {
    this.entries.update(pod, this.now(), (e) => {
      e.status = 'BLOCKED';
      e.message = message;
    });
    this.deps.metrics.evictions.inc({ result: 'blocked' });
    this.deps.metrics.blockedRetries.inc();
    this.log.info({ pod: key(pod), attempt, message }, 'eviction blocked; will retry');
    this.record('POD_BLOCKED', pod, `attempt ${attempt}: ${message}`);
  }

  podEvicted(pod: KubePod): void {
    const verb = this.job.options.disableEviction ? 'deleted' : 'evicted';
    this.entries.update(pod, this.now(), (e) => {
      e.status = 'EVICTING';
      e.message = `${verb}; waiting for the pod to terminate`;
    });
    this.deps.metrics.evictions.inc({ result: verb });
    this.log.info({ pod: key(pod) }, `pod ${verb}`);
    this.record('POD_EVICTED', pod, `${verb}; waiting for the pod to terminate`);
  }

  podDeleted(pod: KubePod, message: string): void {
    this.settle(pod, 'DELETED', 'POD_DELETED', message);
  }

  podAlreadyGone(pod: KubePod): void {
    this.deps.metrics.evictions.inc({ result: 'not_found' });
    this.settle(pod, 'DELETED', 'POD_DELETED', 'already gone');
  }

  podSkipped(pod: KubePod, message: string): void {
    this.settle(pod, 'SKIPPED', 'POD_SKIPPED', message);
  }

  podFailed(pod: KubePod, message: string): void {
    this.deps.metrics.evictions.inc({ result: 'failed' });
    this.log.warn({ pod: key(pod), message }, 'pod could not be drained');
    this.settle(pod, 'FAILED', 'POD_FAILED', message);
  }

  private settle(
    pod: KubePod,
    status: 'DELETED' | 'SKIPPED' | 'FAILED',
    kind: DrainEventKind,
    message: string,
  ) {
    this.entries.update(pod, this.now(), (e) => {
      e.status = status;
      e.message = message;
    });
    this.record(kind, pod, message);
  }

  private begin(): void {
    const now = this.now();
    const previous = this.job.runner;
    this.job.state = 'RUNNING';
    this.job.startedAt ??= now;
    this.job.runner = this.deps.replicaId;
    if (this.start.takeover) {
      this.job.takeovers.push({ at: now, from: previous, to: this.deps.replicaId });
      this.deps.metrics.takeovers.inc();
      this.log.warn({ from: previous }, 'took the drain over');
      this.record(
        'JOB_TAKEN_OVER',
        null,
        `replica ${this.deps.replicaId} took over from ${previous ?? 'nobody'}`,
      );
    } else {
      this.log.info({ options: this.job.options }, 'drain started');
      this.record('JOB_STARTED', null, this.job.options.dryRun ? 'dry run: nothing will be changed' : null);
    }
  }

  private finish(outcome: DrainOutcome): void {
    if (outcome.kind === 'stopped' && this.stopReason !== 'cancel') {
      if (this.stopReason === 'lease-lost' || this.start.handOverOnShutdown) {
        this.log.warn({ reason: this.stopReason }, 'drain stopped; another replica may take it over');
        return;
      }
      outcome = { kind: 'failed', error: 'the gateway shut down during the drain; the node stays cordoned' };
    }
    const [state, kind, message]: [DrainJobState, DrainEventKind, string] =
      outcome.kind === 'succeeded'
        ? ['SUCCEEDED', 'JOB_SUCCEEDED', this.summary()]
        : outcome.kind === 'failed'
          ? ['FAILED', 'JOB_FAILED', outcome.error]
          : ['CANCELLED', 'JOB_CANCELLED', 'cancelled; the node stays cordoned'];
    this.job.state = state;
    this.job.phase = 'DONE';
    this.job.finishedAt = this.now();
    if (outcome.kind === 'failed') this.job.error = outcome.error;
    const outcomeLabel = state.toLowerCase();
    this.deps.metrics.jobs.inc({ outcome: outcomeLabel });
    const seconds =
      (Date.parse(this.job.finishedAt) - Date.parse(this.job.startedAt ?? this.job.createdAt)) / 1000;
    this.deps.metrics.duration.observe({ outcome: outcomeLabel }, seconds);
    this.log.info({ state, seconds, error: this.job.error }, 'drain finished');
    this.record(kind, null, message);
  }

  /** Writes a job that failed after its store lost it, finished, where nobody else will. */
  private async recordLostJob(): Promise<void> {
    try {
      if (!(await this.commits.restore(this.deps.leaseMs))) this.log.error('could not record the failed job');
    } catch (err) {
      this.log.error({ err: String(err) }, 'could not record the failed job: store unreachable');
    }
  }

  private summary(): string {
    const { DELETED, SKIPPED } = this.entries.counts();
    if (this.job.options.dryRun) {
      return `dry run: ${this.lastPlanSize} pod(s) would be evicted, ${SKIPPED} skipped; nothing was changed`;
    }
    return `${DELETED} pod(s) ${this.job.options.disableEviction ? 'deleted' : 'evicted'}, ${SKIPPED} skipped`;
  }

  private deadline(): number | null {
    const seconds = this.job.options.timeoutSeconds;
    if (seconds <= 0) return null;
    return Date.parse(this.job.startedAt ?? this.job.createdAt) + seconds * 1000;
  }

  private record(kind: DrainEventKind, pod: KubePod | null, message: string | null): void {
    const at = this.touch();
    const ref = pod ? { namespace: pod.metadata.namespace ?? '', name: pod.metadata.name ?? '' } : null;
    this.commits.push({ kind, at, pod: ref, message, state: this.job.state });
  }

  private touch(): string {
    this.job.updatedAt = this.now();
    return this.job.updatedAt;
  }

  private now(): string {
    return new Date().toISOString();
  }
}

function key(pod: KubePod): string {
  return `${pod.metadata.namespace}/${pod.metadata.name}`;
}
