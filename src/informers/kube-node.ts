/**
 * The subset of a v1 Node, as the API sends it over JSON, that the gateway reads.
 * Everything is optional because a LIST item, a WATCH object and a PATCH response may each
 * omit fields, and an API we don't control must never crash the projection.
 */
export interface RawNode {
  apiVersion?: string;
  kind?: string;
  metadata?: {
    name?: string;
    uid?: string;
    resourceVersion?: string;
    creationTimestamp?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  spec?: {
    unschedulable?: boolean;
    taints?: RawTaint[];
    providerID?: string;
    podCIDRs?: string[];
  };
  status?: {
    capacity?: Record<string, string>;
    allocatable?: Record<string, string>;
    conditions?: RawNodeCondition[];
    addresses?: { type?: string; address?: string }[];
    nodeInfo?: Record<string, string | undefined>;
  };
}

export interface RawTaint {
  key?: string;
  value?: string;
  effect?: string;
  timeAdded?: string;
}

export interface RawNodeCondition {
  type?: string;
  status?: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  lastHeartbeatTime?: string;
}

/** One line of a watch stream. ERROR events carry a metav1.Status as `object`. */
export interface RawWatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  /** A node, or for ERROR a metav1.Status. */
  object: RawNode;
}
