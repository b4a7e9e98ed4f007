import { graphql } from '../../gql/index.js';

/** The bulk cordon and drain operations the e2e tests send (codegen types them). */
export const BULK_DRAIN_JOB_FIELDS = graphql(`
  fragment BulkDrainJobFields on BulkDrainJob {
    id
    jobId
    cluster
    state
    maxConcurrent
    stopOnFailure
    runner
    error
    startedAt
    finishedAt
    counts {
      total
      queued
      draining
      drained
      failed
      cancelled
    }
    nodes {
      name
      state
      drainJobId
      errorCode
      message
    }
  }
`);

export const CORDON_NODES = graphql(`
  mutation CordonNodes($cluster: String, $names: [String!], $filter: NodeFilter) {
    cordonNodes(cluster: $cluster, names: $names, filter: $filter) {
      name
      ok
      errorCode
      message
      node {
        name
        schedulable
      }
    }
  }
`);

export const UNCORDON_NODES = graphql(`
  mutation UncordonNodes($cluster: String, $names: [String!], $filter: NodeFilter) {
    uncordonNodes(cluster: $cluster, names: $names, filter: $filter) {
      name
      ok
      errorCode
      message
      node {
        name
        schedulable
      }
    }
  }
`);

export const DRAIN_NODES = graphql(`
  mutation DrainNodes(
    $cluster: String
    $names: [String!]
    $filter: NodeFilter
    $options: DrainOptions
    $maxConcurrent: Int
    $stopOnFailure: Boolean
  ) {
    drainNodes(
      cluster: $cluster
      names: $names
      filter: $filter
      options: $options
      maxConcurrent: $maxConcurrent
      stopOnFailure: $stopOnFailure
    ) {
      ...BulkDrainJobFields
    }
  }
`);

export const CANCEL_BULK_DRAIN = graphql(`
  mutation CancelBulkDrain($id: ID!) {
    cancelBulkDrain(id: $id) {
      ...BulkDrainJobFields
    }
  }
`);

export const BULK_DRAIN_JOB = graphql(`
  query BulkDrainJob($id: ID!) {
    bulkDrainJob(id: $id) {
      ...BulkDrainJobFields
      nodes {
        name
        drainJob {
          id
          state
          counts {
            total
            blocked
            deleted
            failed
          }
        }
      }
    }
  }
`);

export const BULK_DRAIN_EVENTS = graphql(`
  query BulkDrainEvents($id: ID!, $afterSequence: Int, $first: Int) {
    bulkDrainJob(id: $id) {
      id
      events(afterSequence: $afterSequence, first: $first) {
        sequence
        kind
        node
        nodeState
        drainEvent {
          kind
          pod {
            namespace
            name
          }
        }
      }
    }
  }
`);

export const BULK_DRAIN_PROGRESS = graphql(`
  subscription BulkDrainProgress($id: ID!) {
    bulkDrainProgress(id: $id) {
      sequence
      kind
      at
      node
      nodeState
      message
      state
      drainEvent {
        sequence
        kind
        pod {
          namespace
          name
        }
        message
        state
      }
      job {
        id
        jobId
        state
      }
    }
  }
`);
