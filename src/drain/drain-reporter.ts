import type { KubePod } from '../pods/kube-pod.js';
import type { DrainPhase } from './drain-job.js';
import type { DrainPlan } from './drain-plan.js';

/**
 * Progress callbacks of the drain workflow (kubectl's OnPodDeletionOrEvictionStarted and
 * friends). The job runner turns each call into a job change and a progress event. Calls are
 * synchronous and must not throw; pod callbacks may come from many pods at once.
 */
export interface DrainReporter {
  phase(phase: DrainPhase): void;
  cordoned(): void;
  planned(plan: DrainPlan): void;
  /** An eviction (or delete) request is about to be sent; `attempt` counts from 1. */
  podEvicting(pod: KubePod, attempt: number): void;
  /** A PodDisruptionBudget refused the eviction; `message` is the apiserver's, naming the budget. */
  podBlocked(pod: KubePod, attempt: number, message: string): void;
  /** The eviction was accepted; the pod is terminating. */
  podEvicted(pod: KubePod): void;
  /** The pod is gone (or replaced by a pod with another uid) after its eviction. */
  podDeleted(pod: KubePod, message: string): void;
  /** The eviction found no such pod (404): it went before we asked. */
  podAlreadyGone(pod: KubePod): void;
  /** Left behind while running (skipWaitForDeleteTimeoutSeconds); planned skips come with `planned`. */
  podSkipped(pod: KubePod, message: string): void;
  podFailed(pod: KubePod, message: string): void;
}
