import type { RawNode } from '../informers/kube-node.js';
import type { KubePod } from '../pods/kube-pod.js';
import type { DaemonSetLookup } from './drain-filters.js';

/**
 * The narrow views of a cluster that a drain needs. Each failure rejects with KubeApiError
 * (src/clusters/kube-api-error.ts) so the workflow can tell 404 and 429 apart.
 */

/**
 * Sets spec.unschedulable with a strategic-merge patch and returns the patched node; the same
 * patch sets (or, for null, removes) `annotations`, when given.
 */
export interface NodePatcher {
  setUnschedulable(
    node: string,
    unschedulable: boolean,
    annotations?: Readonly<Record<string, string | null>>,
  ): Promise<RawNode>;
}

/** Reads a node; resolves undefined when it does not exist (drainNode checks before queueing a job). */
export interface NodeGetter {
  getNode(node: string): Promise<unknown | undefined>;
}

/** The pods of a node as one LIST saw them. */
export interface PodsOnNode {
  readonly pods: KubePod[];
  /** The LIST's resourceVersion, to watch from; undefined when the API gave none. */
  readonly resourceVersion: string | undefined;
}

/** Lists every pod bound to a node (fieldSelector spec.nodeName), following `continue` tokens. */
export interface PodLister {
  listPodsOnNode(node: string, labelSelector: string | null): Promise<PodsOnNode>;
}

/** One event of a watch of a node's pods (for ERROR, `object` is a metav1.Status). */
export interface PodWatchEvent {
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  readonly object: KubePod & { code?: number; message?: string };
}

/** An open watch; `events` ends when the server closes it (timeoutSeconds) or `close` is called. */
export interface PodWatch {
  readonly events: AsyncIterable<PodWatchEvent>;
  close(): void;
}

/**
 * Watches the pods bound to a node (fieldSelector spec.nodeName) from a resourceVersion, so a
 * drain waits for all its pods with one request instead of a GET per pod. Optional: a drain
 * whose API has none polls each pod as kubectl does.
 */
export interface PodWatcher {
  /**
   * Resolves once the server accepted the watch (rejects with KubeApiError: GONE when
   * `resourceVersion` is too old). The server ends it after `timeoutSeconds`.
   */
  watchPodsOnNode(
    node: string,
    resourceVersion: string,
    timeoutSeconds: number,
    signal: AbortSignal,
  ): Promise<PodWatch>;
}

/** Reads one pod; resolves undefined when it does not exist. */
export interface PodGetter {
  getPod(namespace: string, name: string): Promise<KubePod | undefined>;
}

export interface PodRemovalOptions {
  /** null = the pod's own terminationGracePeriodSeconds. */
  readonly gracePeriodSeconds: number | null;
}

/** Removes pods: by the Eviction API (which honours PodDisruptionBudgets) or by DELETE. */
export interface PodEvicter {
  /** POST pods/NAME/eviction (policy/v1); 429 means a budget forbids it now. */
  evictPod(pod: KubePod, options: PodRemovalOptions): Promise<void>;
  /** DELETE the pod, with no regard for budgets (disableEviction). */
  deletePod(pod: KubePod, options: PodRemovalOptions): Promise<void>;
}

/** Looks up the DaemonSet a pod names as its controller, as kubectl's daemonSetFilter does. */
export interface DaemonSetGetter {
  lookupDaemonSet(namespace: string, name: string): Promise<DaemonSetLookup>;
}

/** Everything one drain uses, for one cluster. */
export type DrainClusterApi = NodePatcher & PodLister & PodGetter & PodEvicter & DaemonSetGetter;
