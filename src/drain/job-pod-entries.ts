import type { KubePod } from '../pods/kube-pod.js';
import { countPods, type DrainCounts, type DrainJob, type DrainPodEntry } from './drain-job.js';
import { type DrainPlan, podKey } from './drain-plan.js';

const UNFINISHED: readonly DrainPodEntry['status'][] = ['PENDING', 'EVICTING', 'BLOCKED'];

/** The per-pod entries of a job, found by namespace/name. Changes the job's `pods` in place. */
export class JobPodEntries {
  private readonly byKey = new Map<string, DrainPodEntry>();

  constructor(private readonly job: DrainJob) {
    for (const entry of job.pods) this.byKey.set(`${entry.namespace}/${entry.name}`, entry);
  }

  /**
   * Records a plan. On a resumed job, entries the plan no longer lists that were still in
   * progress are the pods that went while nobody watched: they are marked DELETED.
   */
  applyPlan(
    plan: DrainPlan,
    dryRun: boolean,
    now: string,
  ): { skipped: { pod: KubePod; message: string }[]; gone: KubePod[] } {
    const seen = new Set<string>();
    const skipped: { pod: KubePod; message: string }[] = [];
    for (const { pod, status } of plan.pods) {
      seen.add(podKey(pod));
      const entry = this.upsert(pod, now);
      if (status.delete) {
        entry.status = 'PENDING';
        entry.message = dryRun ? 'would be evicted (dry run)' : status.message;
      } else if (status.reason === 'ERROR') {
        entry.status = 'FAILED';
        entry.message = status.message;
      } else {
        entry.status = 'SKIPPED';
        entry.message = status.message;
        skipped.push({ pod, message: status.message ?? 'skipped' });
      }
    }
    const gone: KubePod[] = [];
    for (const [key, entry] of this.byKey) {
      if (seen.has(key) || !UNFINISHED.includes(entry.status)) continue;
      entry.status = 'DELETED';
      entry.message = 'gone before this replica resumed the drain';
      entry.updatedAt = now;
      gone.push({ metadata: { namespace: entry.namespace, name: entry.name, uid: entry.uid } });
    }
    return { skipped, gone };
  }

  update(pod: KubePod, now: string, change: (entry: DrainPodEntry) => void): void {
    const entry = this.upsert(pod, now);
    change(entry);
  }

  counts(): DrainCounts {
    return countPods(this.job);
  }

  /** The entry of `pod`; a pod with a new uid under an old name starts a fresh entry. */
  private upsert(pod: KubePod, now: string): DrainPodEntry {
    const key = podKey(pod);
    const uid = pod.metadata.uid ?? '';
    const existing = this.byKey.get(key);
    if (existing && existing.uid === uid) {
      existing.updatedAt = now;
      return existing;
    }
    const entry: DrainPodEntry = {
      namespace: pod.metadata.namespace ?? '',
      name: pod.metadata.name ?? '',
      uid,
      status: 'PENDING',
      attempts: 0,
      message: null,
      updatedAt: now,
    };
    if (existing) this.job.pods[this.job.pods.indexOf(existing)] = entry;
    else this.job.pods.push(entry);
    this.byKey.set(key, entry);
    return entry;
  }
}
