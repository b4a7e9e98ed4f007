/** The drain and cordon operations the e2e tests and the bench send (codegen types them). */

export const DRAIN_JOB_FIELDS = /* GraphQL */ `
  fragment DrainJobFields on DrainJob {
    id
    cluster
    node
    state
    phase
    error
    warnings
    runner
    createdAt
    startedAt
    finishedAt
    options {
      ignoreDaemonSets
      deleteEmptyDirData
      force
      gracePeriodSeconds
      timeoutSeconds
      podSelector
      disableEviction
      skipWaitForDeleteTimeoutSeconds
      dryRun
    }
    counts {
      total
      pending
      evicting
      blocked
      deleted
      skipped
      failed
    }
    pods {
      namespace
      name
      uid
      status
      attempts
      message
    }
    takeovers {
      at
      from
      to
    }
  }
`;

export const DRAIN_NODE = /* GraphQL */ `
  mutation DrainNode($cluster: String, $name: String!, $options: DrainOptions) {
    drainNode(cluster: $cluster, name: $name, options: $options) {
      ...DrainJobFields
    }
  }
  ${DRAIN_JOB_FIELDS}
`;

export const CANCEL_DRAIN = /* GraphQL */ `
  mutation CancelDrain($id: ID!) {
    cancelDrain(id: $id) {
      ...DrainJobFields
    }
  }
  ${DRAIN_JOB_FIELDS}
`;

export const DRAIN_JOB = /* GraphQL */ `
  query DrainJob($id: ID!) {
    drainJob(id: $id) {
      ...DrainJobFields
      events(afterSequence: 0, first: 1000) {
        sequence
        kind
        at
        message
      }
    }
  }
  ${DRAIN_JOB_FIELDS}
`;

export const DRAIN_JOBS = /* GraphQL */ `
  query DrainJobs($cluster: String, $node: String, $active: Boolean, $first: Int) {
    drainJobs(cluster: $cluster, node: $node, active: $active, first: $first) {
      id
      node
      state
    }
  }
`;

export const DRAIN_PROGRESS = /* GraphQL */ `
  subscription DrainProgress($id: ID!) {
    drainProgress(id: $id) {
      sequence
      kind
      at
      state
      message
      pod {
        namespace
        name
      }
      job {
        id
        state
        counts {
          total
          deleted
          skipped
          blocked
          failed
        }
      }
    }
  }
`;

export const CORDON_NODE = /* GraphQL */ `
  mutation CordonNode($cluster: String, $name: String!) {
    cordonNode(cluster: $cluster, name: $name) {
      name
      schedulable
      status
    }
  }
`;

export const UNCORDON_NODE = /* GraphQL */ `
  mutation UncordonNode($cluster: String, $name: String!) {
    uncordonNode(cluster: $cluster, name: $name) {
      name
      schedulable
      status
    }
  }
`;

export interface DrainJobData {
  id: string;
  cluster: string;
  node: string;
  state: 'PENDING' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED';
  phase: string;
  error: string | null;
  warnings: string[];
  runner: string | null;
  counts: {
    total: number;
    pending: number;
    evicting: number;
    blocked: number;
    deleted: number;
    skipped: number;
    failed: number;
  };
  pods: {
    namespace: string;
    name: string;
    uid: string;
    status: string;
    attempts: number;
    message: string | null;
  }[];
  takeovers: { at: string; from: string | null; to: string }[];
  events?: { sequence: number; kind: string; at: string; message: string | null }[];
}

export interface DrainProgressData {
  sequence: number;
  kind: string;
  at: string;
  state: string;
  message: string | null;
  pod: { namespace: string; name: string } | null;
  job: {
    id: string;
    state: string;
    counts: { total: number; deleted: number; skipped: number; blocked: number; failed: number };
  };
}
