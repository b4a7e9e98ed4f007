/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
/** BULK_SNAPSHOT is the first event of every bulkDrainProgress stream; NODE_STATE says a node moved (nodeState); NODE_DRAIN_EVENT carries a step of a node drain (drainEvent); BULK_TAKEN_OVER says another replica became the coordinator (the previous one died or shut down; `runner` changes): it goes on from the stored state, following the nodes already draining; BULK_SUCCEEDED, BULK_FAILED and BULK_CANCELLED are the last */
export type BulkDrainEventKind =
  | 'BULK_CANCELLED'
  | 'BULK_FAILED'
  | 'BULK_SNAPSHOT'
  | 'BULK_STARTED'
  | 'BULK_SUCCEEDED'
  | 'BULK_TAKEN_OVER'
  | 'CANCEL_REQUESTED'
  | 'NODE_DRAIN_EVENT'
  | 'NODE_STATE';

/** QUEUED (not started), DRAINING (its drain job runs), then DRAINED, FAILED (also: unknown or forbidden node, see errorCode) or CANCELLED (its drain was cancelled, or it never started) */
export type BulkDrainNodeState =
  | 'CANCELLED'
  | 'DRAINED'
  | 'DRAINING'
  | 'FAILED'
  | 'QUEUED';

/** PENDING (created), RUNNING, then SUCCEEDED (every node drained), FAILED or CANCELLED */
export type BulkDrainState =
  | 'CANCELLED'
  | 'FAILED'
  | 'PENDING'
  | 'RUNNING'
  | 'SUCCEEDED';

export type ClusterStatus =
  /** The cache is not in sync (watch lost or failing, or the API missed a probe of a silent watch): node queries answer from the last cache, marked stale */
  | 'DEGRADED'
  /** Nodes are answered from an in-sync informer cache */
  | 'READY'
  /** A full LIST is replacing the cache (the watch expired, 410): node queries answer from the previous cache, marked stale, until it completes; see `relist` for its progress */
  | 'RELISTING'
  /** The first LIST of nodes has not completed yet: node queries use direct API calls */
  | 'SYNCING'
  /** The API does not answer (connection refused, timeouts, probes failing in a row); retrying with backoff. Node queries answer from the last cache, marked stale */
  | 'UNREACHABLE';

/** JOB_SNAPSHOT is the first event of every drainProgress stream (the job as it is now); JOB_SUCCEEDED, JOB_FAILED and JOB_CANCELLED are the last */
export type DrainEventKind =
  | 'CANCEL_REQUESTED'
  | 'JOB_CANCELLED'
  | 'JOB_FAILED'
  | 'JOB_SNAPSHOT'
  | 'JOB_STARTED'
  | 'JOB_SUCCEEDED'
  | 'JOB_TAKEN_OVER'
  | 'NODE_CORDONED'
  | 'PODS_PLANNED'
  | 'POD_BLOCKED'
  | 'POD_DELETED'
  | 'POD_EVICTED'
  | 'POD_EVICTING'
  | 'POD_FAILED'
  | 'POD_SKIPPED';

/** PENDING (queued), RUNNING, then one of SUCCEEDED, FAILED, CANCELLED */
export type DrainJobState =
  | 'CANCELLED'
  | 'FAILED'
  | 'PENDING'
  | 'RUNNING'
  | 'SUCCEEDED';

/** How to drain; the options of kubectl drain. Omitted fields take kubectl's defaults, except ignoreDaemonSets. */
export type DrainOptions = {
  /** Evict pods with emptyDir volumes (their data is lost). Default false */
  deleteEmptyDirData?: boolean | null | undefined;
  /** Delete pods instead of evicting them: PodDisruptionBudgets are NOT honoured. Default false */
  disableEviction?: boolean | null | undefined;
  /** Change nothing: list, filter and report what a drain would do. Default false */
  dryRun?: boolean | null | undefined;
  /** Evict pods that no controller manages (nothing recreates them). Default false */
  force?: boolean | null | undefined;
  /** Grace period for each pod; omitted = the pod's own */
  gracePeriodSeconds?: number | null | undefined;
  /** Leave DaemonSet-managed pods on the node. Default true (kubectl: false): a DaemonSet pod would be recreated on the cordoned node at once. false makes a node with DaemonSet pods fail to drain. */
  ignoreDaemonSets?: boolean | null | undefined;
  /** Only drain pods matching this label selector */
  podSelector?: string | null | undefined;
  /** Do not wait for pods whose deletion began more than this many seconds ago; 0 = always wait */
  skipWaitForDeleteTimeoutSeconds?: number | null | undefined;
  /** Give up evicting and waiting after this long; 0 or omitted = never */
  timeoutSeconds?: number | null | undefined;
};

/** PENDING (to evict), EVICTING (requested, waiting for it to go), BLOCKED (a PodDisruptionBudget refused; retrying), DELETED (gone), SKIPPED (left on the node: DaemonSet, mirror pod, ...), FAILED */
export type DrainPodStatus =
  | 'BLOCKED'
  | 'DELETED'
  | 'EVICTING'
  | 'FAILED'
  | 'PENDING'
  | 'SKIPPED';

/** An inclusive range of shares (0.5 = 50%); either end may be omitted */
export type FractionRange = {
  max?: number | null | undefined;
  min?: number | null | undefined;
};

/** An inclusive range; either end may be omitted */
export type IntRange = {
  max?: number | null | undefined;
  min?: number | null | undefined;
};

/** What about a node changed. Heartbeats (timestamps, resourceVersion, images) are never events. */
export type NodeChangeKind =
  | 'ADDRESSES'
  | 'ANNOTATIONS'
  | 'CONDITIONS'
  | 'LABELS'
  | 'NODE_INFO'
  | 'READY'
  | 'RESOURCES'
  | 'SCHEDULABLE'
  | 'TAINTS';

export type NodeChangeType =
  /** A node appeared (changes: every kind) */
  | 'ADDED'
  /** The cluster's kubeconfig context was removed; a subscription to that cluster alone ends here */
  | 'CLUSTER_REMOVED'
  /** A node is gone; `node` is its last known state */
  | 'DELETED'
  /** A node changed in the ways listed in `changes` */
  | 'MODIFIED'
  /** Events were lost (the `since` cursor is older than the history, or from another gateway process): re-query nodes, then resubscribe with this event's cursor */
  | 'RESYNC';

/** Node conditions; every field given must hold */
export type NodeFilter = {
  /** allocated.requests.cpu.fraction (reads every pod: needs list pods) */
  cpuRequestsFraction?: FractionRange | null | undefined;
  /** usage.cpu.fraction (reads the metrics API); nodes without a sample never match */
  cpuUsageFraction?: FractionRange | null | undefined;
  /** Kubernetes label selector, equality- and set-based: "zone=a,tier in (web,api),!spot" */
  labelSelector?: string | null | undefined;
  /** allocated.requests.memory.fraction (reads every pod: needs list pods) */
  memoryRequestsFraction?: FractionRange | null | undefined;
  /** usage.memory.fraction (reads the metrics API); nodes without a sample never match */
  memoryUsageFraction?: FractionRange | null | undefined;
  /** Name contains this text (case-insensitive) */
  nameContains?: string | null | undefined;
  /** Non-terminal pods on the node (reads the pod LIST, as podCount: needs list pods) */
  podCount?: IntRange | null | undefined;
  /** Ready condition is True (true) or not (false) */
  ready?: boolean | null | undefined;
  /** Has this role, e.g. control-plane, worker */
  role?: string | null | undefined;
  /** Not cordoned (true) or cordoned (false) */
  schedulable?: boolean | null | undefined;
  /** Has a taint with this key, whatever its value and effect */
  taintKey?: string | null | undefined;
};

export type NodeOrder = {
  direction?: SortDirection | null | undefined;
  field: NodeOrderField;
};

export type NodeOrderField =
  /** allocated.limits.cpu.fraction, then name */
  | 'CPU_LIMITS_FRACTION'
  /** allocated.requests.cpu.fraction, then name */
  | 'CPU_REQUESTS_FRACTION'
  /** usage.cpu.fraction, then name (one metrics LIST per request) */
  | 'CPU_USAGE_FRACTION'
  /** Creation time, then name */
  | 'CREATED_AT'
  /** allocated.limits.memory.fraction, then name */
  | 'MEMORY_LIMITS_FRACTION'
  /** allocated.requests.memory.fraction, then name */
  | 'MEMORY_REQUESTS_FRACTION'
  /** usage.memory.fraction, then name */
  | 'MEMORY_USAGE_FRACTION'
  /** Node name */
  | 'NAME'
  /** podCount, then name (one pod LIST per request) */
  | 'POD_COUNT';

/** core/v1 PodPhase */
export type PodPhase =
  | 'FAILED'
  | 'PENDING'
  | 'RUNNING'
  | 'SUCCEEDED'
  | 'UNKNOWN';

export type SortDirection =
  | 'ASC'
  | 'DESC';

export type ConsoleNodeRowFragment = { id: string, cluster: string, name: string, status: string, ready: boolean, schedulable: boolean, roles: Array<string>, resourceVersion: string, createdAt: string | null, taints: Array<{ key: string, value: string | null, effect: string }> };

export type ConsoleNodeLoadFragment = { allocated: { requests: { cpu: { fraction: number | null, quantity: string }, memory: { fraction: number | null, quantity: string } } } | null, usage: { cpu: { fraction: number | null, quantity: string }, memory: { fraction: number | null, quantity: string } } | null };

export type ConsoleSessionQueryVariables = Exact<{ [key: string]: never; }>;


export type ConsoleSessionQuery = { viewer: { username: string, groups: Array<string>, clusters: Array<{ cluster: string, canListNodes: boolean, canListPods: boolean, canCordon: boolean, canDrain: boolean }> }, clusters: Array<{ name: string, isDefault: boolean, status: ClusterStatus, nodeCount: number | null, error: string | null }> };

export type ConsoleNodesQueryVariables = Exact<{
  cluster?: string | null | undefined;
  filter?: NodeFilter | null | undefined;
  orderBy?: NodeOrder | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type ConsoleNodesQuery = { nodes: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ podCount: number | null, id: string, cluster: string, name: string, status: string, ready: boolean, schedulable: boolean, roles: Array<string>, resourceVersion: string, createdAt: string | null, taints: Array<{ key: string, value: string | null, effect: string }>, allocated: { requests: { cpu: { fraction: number | null, quantity: string }, memory: { fraction: number | null, quantity: string } } } | null, usage: { cpu: { fraction: number | null, quantity: string }, memory: { fraction: number | null, quantity: string } } | null }> } | null };

export type ConsoleNodeChangedSubscriptionVariables = Exact<{
  cluster?: string | null | undefined;
  labelSelector?: string | null | undefined;
  since?: string | null | undefined;
}>;


export type ConsoleNodeChangedSubscription = { nodeChanged: { type: NodeChangeType, name: string | null, cursor: string, changes: Array<NodeChangeKind>, node: { id: string, cluster: string, name: string, status: string, ready: boolean, schedulable: boolean, roles: Array<string>, resourceVersion: string, createdAt: string | null, taints: Array<{ key: string, value: string | null, effect: string }> } | null } };

export type ConsoleNodeDetailQueryVariables = Exact<{
  cluster?: string | null | undefined;
  name: string;
}>;


export type ConsoleNodeDetailQuery = { nodeByName: { internalIP: string | null, id: string, cluster: string, name: string, status: string, ready: boolean, schedulable: boolean, roles: Array<string>, resourceVersion: string, createdAt: string | null, cordon: { reason: string | null, by: string | null, at: string | null } | null, allocated: { pods: number, requests: { cpu: { quantity: string, percent: number | null }, memory: { quantity: string, percent: number | null } }, limits: { cpu: { quantity: string, percent: number | null }, memory: { quantity: string, percent: number | null } } } | null, usage: { window: string, cpu: { quantity: string, percent: number | null }, memory: { quantity: string, percent: number | null } } | null, events: { nodes: Array<{ type: string, reason: string, message: string, source: string, count: number, lastSeen: string | null }> } | null, labels: Array<{ key: string, value: string }>, conditions: Array<{ type: string, status: string, reason: string | null, message: string | null, lastTransitionTime: string | null }>, capacity: { cpu: string | null, memory: string | null, ephemeralStorage: string | null, pods: string | null }, allocatable: { cpu: string | null, memory: string | null, ephemeralStorage: string | null, pods: string | null }, nodeInfo: { kubeletVersion: string | null, osImage: string | null, containerRuntimeVersion: string | null, architecture: string | null }, pods: { totalCount: number, edges: Array<{ node: { namespace: string, name: string, phase: PodPhase, ready: boolean, restarts: number, daemonSet: boolean, mirror: boolean } }> } | null, taints: Array<{ key: string, value: string | null, effect: string }> } | null };

export type ConsoleCordonMutationVariables = Exact<{
  cluster?: string | null | undefined;
  name: string;
  reason?: string | null | undefined;
}>;


export type ConsoleCordonMutation = { cordonNode: { id: string, cluster: string, name: string, status: string, ready: boolean, schedulable: boolean, roles: Array<string>, resourceVersion: string, createdAt: string | null, taints: Array<{ key: string, value: string | null, effect: string }> } | null };

export type ConsoleUncordonMutationVariables = Exact<{
  cluster?: string | null | undefined;
  name: string;
}>;


export type ConsoleUncordonMutation = { uncordonNode: { id: string, cluster: string, name: string, status: string, ready: boolean, schedulable: boolean, roles: Array<string>, resourceVersion: string, createdAt: string | null, taints: Array<{ key: string, value: string | null, effect: string }> } | null };

export type ConsoleDrainMutationVariables = Exact<{
  cluster?: string | null | undefined;
  name: string;
  options?: DrainOptions | null | undefined;
}>;


export type ConsoleDrainMutation = { drainNode: { id: string, node: string, state: DrainJobState } | null };

export type ConsoleCancelDrainMutationVariables = Exact<{
  id: string | number;
}>;


export type ConsoleCancelDrainMutation = { cancelDrain: { id: string, state: DrainJobState } | null };

export type ConsoleDrainPodsQueryVariables = Exact<{
  id: string | number;
}>;


export type ConsoleDrainPodsQuery = { drainJob: { id: string, node: string, state: DrainJobState, error: string | null, counts: { total: number, pending: number, evicting: number, blocked: number, deleted: number, skipped: number, failed: number }, pods: Array<{ namespace: string, name: string, status: DrainPodStatus, message: string | null }> } | null };

export type ConsoleDrainProgressSubscriptionVariables = Exact<{
  id: string | number;
}>;


export type ConsoleDrainProgressSubscription = { drainProgress: { sequence: number, kind: DrainEventKind, state: DrainJobState, message: string | null, at: string, pod: { namespace: string, name: string } | null, job: { id: string, node: string, error: string | null, counts: { total: number, pending: number, evicting: number, blocked: number, deleted: number, skipped: number, failed: number } } } };

export type ConsoleBulkDrainMutationVariables = Exact<{
  cluster?: string | null | undefined;
  names?: Array<string> | string | null | undefined;
  options?: DrainOptions | null | undefined;
  maxConcurrent?: number | null | undefined;
}>;


export type ConsoleBulkDrainMutation = { drainNodes: { id: string, state: BulkDrainState } | null };

export type ConsoleCancelBulkDrainMutationVariables = Exact<{
  id: string | number;
}>;


export type ConsoleCancelBulkDrainMutation = { cancelBulkDrain: { id: string, state: BulkDrainState } | null };

export type ConsoleBulkDrainProgressSubscriptionVariables = Exact<{
  id: string | number;
}>;


export type ConsoleBulkDrainProgressSubscription = { bulkDrainProgress: { sequence: number, kind: BulkDrainEventKind, state: BulkDrainState, node: string | null, nodeState: BulkDrainNodeState | null, message: string | null, job: { id: string, state: BulkDrainState, counts: { total: number, queued: number, draining: number, drained: number, failed: number, cancelled: number }, nodes: Array<{ name: string, state: BulkDrainNodeState, message: string | null }> } } };

export const ConsoleNodeRowFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ConsoleNodeRow"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"KubeNode"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"cluster"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"ready"}},{"kind":"Field","name":{"kind":"Name","value":"schedulable"}},{"kind":"Field","name":{"kind":"Name","value":"roles"}},{"kind":"Field","name":{"kind":"Name","value":"resourceVersion"}},{"kind":"Field","name":{"kind":"Name","value":"taints"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"value"}},{"kind":"Field","name":{"kind":"Name","value":"effect"}}]}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}}]}}]} as unknown as DocumentNode<ConsoleNodeRowFragment, unknown>;
export const ConsoleNodeLoadFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ConsoleNodeLoad"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"KubeNode"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"allocated"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"requests"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cpu"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"fraction"}},{"kind":"Field","name":{"kind":"Name","value":"quantity"}}]}},{"kind":"Field","name":{"kind":"Name","value":"memory"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"fraction"}},{"kind":"Field","name":{"kind":"Name","value":"quantity"}}]}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"usage"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cpu"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"fraction"}},{"kind":"Field","name":{"kind":"Name","value":"quantity"}}]}},{"kind":"Field","name":{"kind":"Name","value":"memory"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"fraction"}},{"kind":"Field","name":{"kind":"Name","value":"quantity"}}]}}]}}]}}]} as unknown as DocumentNode<ConsoleNodeLoadFragment, unknown>;
export const ConsoleSessionDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ConsoleSession"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"viewer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"username"}},{"kind":"Field","name":{"kind":"Name","value":"groups"}},{"kind":"Field","name":{"kind":"Name","value":"clusters"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cluster"}},{"kind":"Field","name":{"kind":"Name","value":"canListNodes"}},{"kind":"Field","name":{"kind":"Name","value":"canListPods"}},{"kind":"Field","name":{"kind":"Name","value":"canCordon"}},{"kind":"Field","name":{"kind":"Name","value":"canDrain"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"clusters"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"isDefault"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"nodeCount"}},{"kind":"Field","name":{"kind":"Name","value":"error"}}]}}]}}]} as unknown as DocumentNode<ConsoleSessionQuery, ConsoleSessionQueryVariables>;
export const ConsoleNodesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ConsoleNodes"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"cluster"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"NodeFilter"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"orderBy"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"NodeOrder"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"nodes"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"cluster"},"value":{"kind":"Variable","name":{"kind":"Name","value":"cluster"}}},{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}},{"kind":"Argument","name":{"kind":"Name","value":"orderBy"},"value":{"kind":"Variable","name":{"kind":"Name","value":"orderBy"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ConsoleNodeRow"}},{"kind":"Field","name":{"kind":"Name","value":"podCount"}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"ConsoleNodeLoad"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ConsoleNodeRow"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"KubeNode"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"cluster"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"ready"}},{"kind":"Field","name":{"kind":"Name","value":"schedulable"}},{"kind":"Field","name":{"kind":"Name","value":"roles"}},{"kind":"Field","name":{"kind":"Name","value":"resourceVersion"}},{"kind":"Field","name":{"kind":"Name","value":"taints"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"value"}},{"kind":"Field","name":{"kind":"Name","value":"effect"}}]}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ConsoleNodeLoad"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"KubeNode"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"allocated"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"requests"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cpu"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"fraction"}},{"kind":"Field","name":{"kind":"Name","value":"quantity"}}]}},{"kind":"Field","name":{"kind":"Name","value":"memory"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"fraction"}},{"kind":"Field","name":{"kind":"Name","value":"quantity"}}]}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"usage"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cpu"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"fraction"}},{"kind":"Field","name":{"kind":"Name","value":"quantity"}}]}},{"kind":"Field","name":{"kind":"Name","value":"memory"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"fraction"}},{"kind":"Field","name":{"kind":"Name","value":"quantity"}}]}}]}}]}}]} as unknown as DocumentNode<ConsoleNodesQuery, ConsoleNodesQueryVariables>;
export const ConsoleNodeChangedDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"ConsoleNodeChanged"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"cluster"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"labelSelector"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"since"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"nodeChanged"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"cluster"},"value":{"kind":"Variable","name":{"kind":"Name","value":"cluster"}}},{"kind":"Argument","name":{"kind":"Name","value":"labelSelector"},"value":{"kind":"Variable","name":{"kind":"Name","value":"labelSelector"}}},{"kind":"Argument","name":{"kind":"Name","value":"since"},"value":{"kind":"Variable","name":{"kind":"Name","value":"since"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"changes"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ConsoleNodeRow"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ConsoleNodeRow"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"KubeNode"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"cluster"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"ready"}},{"kind":"Field","name":{"kind":"Name","value":"schedulable"}},{"kind":"Field","name":{"kind":"Name","value":"roles"}},{"kind":"Field","name":{"kind":"Name","value":"resourceVersion"}},{"kind":"Field","name":{"kind":"Name","value":"taints"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"value"}},{"kind":"Field","name":{"kind":"Name","value":"effect"}}]}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}}]}}]} as unknown as DocumentNode<ConsoleNodeChangedSubscription, ConsoleNodeChangedSubscriptionVariables>;
export const ConsoleNodeDetailDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ConsoleNodeDetail"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"cluster"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"name"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"nodeByName"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"cluster"},"value":{"kind":"Variable","name":{"kind":"Name","value":"cluster"}}},{"kind":"Argument","name":{"kind":"Name","value":"name"},"value":{"kind":"Variable","name":{"kind":"Name","value":"name"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ConsoleNodeRow"}},{"kind":"Field","name":{"kind":"Name","value":"internalIP"}},{"kind":"Field","name":{"kind":"Name","value":"cordon"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"reason"}},{"kind":"Field","name":{"kind":"Name","value":"by"}},{"kind":"Field","name":{"kind":"Name","value":"at"}}]}},{"kind":"Field","name":{"kind":"Name","value":"allocated"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"requests"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cpu"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"quantity"}},{"kind":"Field","name":{"kind":"Name","value":"percent"}}]}},{"kind":"Field","name":{"kind":"Name","value":"memory"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"quantity"}},{"kind":"Field","name":{"kind":"Name","value":"percent"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"limits"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cpu"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"quantity"}},{"kind":"Field","name":{"kind":"Name","value":"percent"}}]}},{"kind":"Field","name":{"kind":"Name","value":"memory"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"quantity"}},{"kind":"Field","name":{"kind":"Name","value":"percent"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"pods"}}]}},{"kind":"Field","name":{"kind":"Name","value":"usage"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cpu"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"quantity"}},{"kind":"Field","name":{"kind":"Name","value":"percent"}}]}},{"kind":"Field","name":{"kind":"Name","value":"memory"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"quantity"}},{"kind":"Field","name":{"kind":"Name","value":"percent"}}]}},{"kind":"Field","name":{"kind":"Name","value":"window"}}]}},{"kind":"Field","name":{"kind":"Name","value":"events"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"20"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"source"}},{"kind":"Field","name":{"kind":"Name","value":"count"}},{"kind":"Field","name":{"kind":"Name","value":"lastSeen"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"labels"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"value"}}]}},{"kind":"Field","name":{"kind":"Name","value":"conditions"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"lastTransitionTime"}}]}},{"kind":"Field","name":{"kind":"Name","value":"capacity"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cpu"}},{"kind":"Field","name":{"kind":"Name","value":"memory"}},{"kind":"Field","name":{"kind":"Name","value":"ephemeralStorage"}},{"kind":"Field","name":{"kind":"Name","value":"pods"}}]}},{"kind":"Field","name":{"kind":"Name","value":"allocatable"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cpu"}},{"kind":"Field","name":{"kind":"Name","value":"memory"}},{"kind":"Field","name":{"kind":"Name","value":"ephemeralStorage"}},{"kind":"Field","name":{"kind":"Name","value":"pods"}}]}},{"kind":"Field","name":{"kind":"Name","value":"nodeInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"kubeletVersion"}},{"kind":"Field","name":{"kind":"Name","value":"osImage"}},{"kind":"Field","name":{"kind":"Name","value":"containerRuntimeVersion"}},{"kind":"Field","name":{"kind":"Name","value":"architecture"}}]}},{"kind":"Field","name":{"kind":"Name","value":"pods"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"500"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"namespace"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"phase"}},{"kind":"Field","name":{"kind":"Name","value":"ready"}},{"kind":"Field","name":{"kind":"Name","value":"restarts"}},{"kind":"Field","name":{"kind":"Name","value":"daemonSet"}},{"kind":"Field","name":{"kind":"Name","value":"mirror"}}]}}]}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ConsoleNodeRow"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"KubeNode"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"cluster"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"ready"}},{"kind":"Field","name":{"kind":"Name","value":"schedulable"}},{"kind":"Field","name":{"kind":"Name","value":"roles"}},{"kind":"Field","name":{"kind":"Name","value":"resourceVersion"}},{"kind":"Field","name":{"kind":"Name","value":"taints"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"value"}},{"kind":"Field","name":{"kind":"Name","value":"effect"}}]}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}}]}}]} as unknown as DocumentNode<ConsoleNodeDetailQuery, ConsoleNodeDetailQueryVariables>;
export const ConsoleCordonDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ConsoleCordon"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"cluster"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"name"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"reason"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cordonNode"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"cluster"},"value":{"kind":"Variable","name":{"kind":"Name","value":"cluster"}}},{"kind":"Argument","name":{"kind":"Name","value":"name"},"value":{"kind":"Variable","name":{"kind":"Name","value":"name"}}},{"kind":"Argument","name":{"kind":"Name","value":"reason"},"value":{"kind":"Variable","name":{"kind":"Name","value":"reason"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ConsoleNodeRow"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ConsoleNodeRow"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"KubeNode"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"cluster"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"ready"}},{"kind":"Field","name":{"kind":"Name","value":"schedulable"}},{"kind":"Field","name":{"kind":"Name","value":"roles"}},{"kind":"Field","name":{"kind":"Name","value":"resourceVersion"}},{"kind":"Field","name":{"kind":"Name","value":"taints"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"value"}},{"kind":"Field","name":{"kind":"Name","value":"effect"}}]}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}}]}}]} as unknown as DocumentNode<ConsoleCordonMutation, ConsoleCordonMutationVariables>;
export const ConsoleUncordonDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ConsoleUncordon"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"cluster"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"name"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"uncordonNode"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"cluster"},"value":{"kind":"Variable","name":{"kind":"Name","value":"cluster"}}},{"kind":"Argument","name":{"kind":"Name","value":"name"},"value":{"kind":"Variable","name":{"kind":"Name","value":"name"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ConsoleNodeRow"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ConsoleNodeRow"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"KubeNode"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"cluster"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"ready"}},{"kind":"Field","name":{"kind":"Name","value":"schedulable"}},{"kind":"Field","name":{"kind":"Name","value":"roles"}},{"kind":"Field","name":{"kind":"Name","value":"resourceVersion"}},{"kind":"Field","name":{"kind":"Name","value":"taints"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"value"}},{"kind":"Field","name":{"kind":"Name","value":"effect"}}]}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}}]}}]} as unknown as DocumentNode<ConsoleUncordonMutation, ConsoleUncordonMutationVariables>;
export const ConsoleDrainDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ConsoleDrain"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"cluster"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"name"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"options"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"DrainOptions"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"drainNode"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"cluster"},"value":{"kind":"Variable","name":{"kind":"Name","value":"cluster"}}},{"kind":"Argument","name":{"kind":"Name","value":"name"},"value":{"kind":"Variable","name":{"kind":"Name","value":"name"}}},{"kind":"Argument","name":{"kind":"Name","value":"options"},"value":{"kind":"Variable","name":{"kind":"Name","value":"options"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"node"}},{"kind":"Field","name":{"kind":"Name","value":"state"}}]}}]}}]} as unknown as DocumentNode<ConsoleDrainMutation, ConsoleDrainMutationVariables>;
export const ConsoleCancelDrainDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ConsoleCancelDrain"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cancelDrain"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"state"}}]}}]}}]} as unknown as DocumentNode<ConsoleCancelDrainMutation, ConsoleCancelDrainMutationVariables>;
export const ConsoleDrainPodsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ConsoleDrainPods"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"drainJob"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"node"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"error"}},{"kind":"Field","name":{"kind":"Name","value":"counts"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"total"}},{"kind":"Field","name":{"kind":"Name","value":"pending"}},{"kind":"Field","name":{"kind":"Name","value":"evicting"}},{"kind":"Field","name":{"kind":"Name","value":"blocked"}},{"kind":"Field","name":{"kind":"Name","value":"deleted"}},{"kind":"Field","name":{"kind":"Name","value":"skipped"}},{"kind":"Field","name":{"kind":"Name","value":"failed"}}]}},{"kind":"Field","name":{"kind":"Name","value":"pods"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"namespace"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<ConsoleDrainPodsQuery, ConsoleDrainPodsQueryVariables>;
export const ConsoleDrainProgressDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"ConsoleDrainProgress"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"drainProgress"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"sequence"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"at"}},{"kind":"Field","name":{"kind":"Name","value":"pod"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"namespace"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"job"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"node"}},{"kind":"Field","name":{"kind":"Name","value":"error"}},{"kind":"Field","name":{"kind":"Name","value":"counts"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"total"}},{"kind":"Field","name":{"kind":"Name","value":"pending"}},{"kind":"Field","name":{"kind":"Name","value":"evicting"}},{"kind":"Field","name":{"kind":"Name","value":"blocked"}},{"kind":"Field","name":{"kind":"Name","value":"deleted"}},{"kind":"Field","name":{"kind":"Name","value":"skipped"}},{"kind":"Field","name":{"kind":"Name","value":"failed"}}]}}]}}]}}]}}]} as unknown as DocumentNode<ConsoleDrainProgressSubscription, ConsoleDrainProgressSubscriptionVariables>;
export const ConsoleBulkDrainDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ConsoleBulkDrain"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"cluster"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"names"}},"type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"options"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"DrainOptions"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"maxConcurrent"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"drainNodes"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"cluster"},"value":{"kind":"Variable","name":{"kind":"Name","value":"cluster"}}},{"kind":"Argument","name":{"kind":"Name","value":"names"},"value":{"kind":"Variable","name":{"kind":"Name","value":"names"}}},{"kind":"Argument","name":{"kind":"Name","value":"options"},"value":{"kind":"Variable","name":{"kind":"Name","value":"options"}}},{"kind":"Argument","name":{"kind":"Name","value":"maxConcurrent"},"value":{"kind":"Variable","name":{"kind":"Name","value":"maxConcurrent"}}},{"kind":"Argument","name":{"kind":"Name","value":"stopOnFailure"},"value":{"kind":"BooleanValue","value":false}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"state"}}]}}]}}]} as unknown as DocumentNode<ConsoleBulkDrainMutation, ConsoleBulkDrainMutationVariables>;
export const ConsoleCancelBulkDrainDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ConsoleCancelBulkDrain"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cancelBulkDrain"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"state"}}]}}]}}]} as unknown as DocumentNode<ConsoleCancelBulkDrainMutation, ConsoleCancelBulkDrainMutationVariables>;
export const ConsoleBulkDrainProgressDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"ConsoleBulkDrainProgress"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"bulkDrainProgress"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"sequence"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"node"}},{"kind":"Field","name":{"kind":"Name","value":"nodeState"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"job"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"counts"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"total"}},{"kind":"Field","name":{"kind":"Name","value":"queued"}},{"kind":"Field","name":{"kind":"Name","value":"draining"}},{"kind":"Field","name":{"kind":"Name","value":"drained"}},{"kind":"Field","name":{"kind":"Name","value":"failed"}},{"kind":"Field","name":{"kind":"Name","value":"cancelled"}}]}},{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]}}]} as unknown as DocumentNode<ConsoleBulkDrainProgressSubscription, ConsoleBulkDrainProgressSubscriptionVariables>;