/**
 * The parts of a core/v1 Pod the gateway reads. Narrow on purpose: pods are never cached, and
 * whoever lists them (node pod lists, drain planning) needs only these fields.
 */
export interface KubePod {
  metadata: {
    namespace?: string;
    name?: string;
    uid?: string;
    creationTimestamp?: string;
    deletionTimestamp?: string;
    annotations?: Record<string, string>;
    labels?: Record<string, string>;
    ownerReferences?: KubeOwnerReference[];
    resourceVersion?: string;
  };
  spec?: {
    nodeName?: string;
    volumes?: KubePodVolume[];
    containers?: { name: string; image?: string }[];
    terminationGracePeriodSeconds?: number;
  };
  status?: {
    phase?: string;
    conditions?: { type: string; status: string }[];
    containerStatuses?: KubeContainerStatus[];
  };
}

export interface KubeOwnerReference {
  apiVersion?: string;
  kind: string;
  name: string;
  uid?: string;
  controller?: boolean;
}

export interface KubePodVolume {
  name: string;
  emptyDir?: Record<string, unknown>;
}

export interface KubeContainerStatus {
  name: string;
  image?: string;
  ready?: boolean;
  restartCount?: number;
  state?: {
    running?: { startedAt?: string };
    waiting?: { reason?: string; message?: string };
    terminated?: { reason?: string; exitCode?: number };
  };
}

/** A meta.k8s.io/v1 Table column, as the apiserver describes the cells of each row. */
export interface KubeTableColumn {
  name: string;
  type?: string;
  priority?: number;
}

/** One row of a server-side Table asked for with includeObject=None: cells only. */
export interface KubeTableRow {
  cells: unknown[];
}

/** Phases a pod can be in (core/v1 PodPhase). */
export const POD_PHASES = ['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown'] as const;
export type KubePodPhase = (typeof POD_PHASES)[number];

/** Pods in these phases have finished: they hold no resources and are not counted on a node. */
export const TERMINAL_POD_PHASES: readonly string[] = ['Succeeded', 'Failed'];

/** The server-side filter equivalent to "not terminal". */
export const NON_TERMINAL_FIELD_SELECTOR = 'status.phase!=Succeeded,status.phase!=Failed';

/** Pods per page: a 500-row Table page is ~100 KB, a 500-pod page a few MB (parsed row by row). */
export const DEFAULT_POD_PAGE_SIZE = 500;
