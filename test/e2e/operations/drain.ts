import { graphql } from '../../gql/index.js';

/** The drain and cordon operations the e2e tests and the bench send (codegen types them). */
export const DRAIN_JOB_FIELDS = graphql(`
  fragment DrainJobFields on DrainJob {
    id
    jobId
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
`);

export const DRAIN_NODE = graphql(`
  mutation DrainNode($cluster: String, $name: String!, $options: DrainOptions) {
    drainNode(cluster: $cluster, name: $name, options: $options) {
      ...DrainJobFields
    }
  }
`);

export const CANCEL_DRAIN = graphql(`
  mutation CancelDrain($id: ID!) {
    cancelDrain(id: $id) {
      ...DrainJobFields
    }
  }
`);

export const DRAIN_JOB = graphql(`
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
`);

export const DRAIN_JOBS = graphql(`
  query DrainJobs($cluster: String, $node: String, $active: Boolean, $first: Int) {
    drainJobs(cluster: $cluster, node: $node, active: $active, first: $first) {
      id
      node
      state
    }
  }
`);

export const DRAIN_PROGRESS = graphql(`
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
`);

export const CORDON_NODE = graphql(`
  mutation CordonNode($cluster: String, $name: String!) {
    cordonNode(cluster: $cluster, name: $name) {
      name
      schedulable
      status
    }
  }
`);

export const UNCORDON_NODE = graphql(`
  mutation UncordonNode($cluster: String, $name: String!) {
    uncordonNode(cluster: $cluster, name: $name) {
      name
      schedulable
      status
    }
  }
`);

export const DRAIN_JOB_STEPS = graphql(`
  query DrainJobSteps($id: ID!) {
    drainJob(id: $id) {
      id
      events(first: 1000) {
        sequence
        kind
        message
        pod {
          namespace
          name
        }
      }
    }
  }
`);
