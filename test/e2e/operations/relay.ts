import { graphql } from '../../gql/index.js';

/** Relay object identification (test/e2e/relay-node.test.ts): ids from lists, refetched through node(id:). */
export const RELAY_IDS = graphql(`
  query RelayIds($name: String!) {
    clusters {
      id
      name
    }
    nodes(first: 3) {
      nodes {
        id
        name
      }
    }
    nodeByName(name: $name) {
      id
      pods(first: 2) {
        nodes {
          id
          namespace
          name
        }
      }
    }
  }
`);

export const RELAY_NODE = graphql(`
  query RelayNode($id: ID!) {
    node(id: $id) {
      __typename
      id
      ... on KubeNode {
        cluster
        name
        schedulable
      }
      ... on Pod {
        cluster
        namespace
        name
      }
      ... on Cluster {
        name
      }
      ... on DrainJob {
        jobId
        node
        state
      }
      ... on DrainJobSummary {
        jobId
        node
      }
      ... on BulkDrainJob {
        jobId
        cluster
        bulkState: state
      }
      ... on BulkDrainJobSummary {
        jobId
        bulkState: state
      }
    }
  }
`);

export const RELAY_DRAIN = graphql(`
  mutation RelayDrain($name: String!) {
    drainNode(name: $name, options: { dryRun: true, force: true, deleteEmptyDirData: true }) {
      id
      jobId
      state
    }
  }
`);

export const RELAY_DRAIN_PROGRESS = graphql(`
  subscription RelayDrainProgress($id: ID!) {
    drainProgress(id: $id) {
      kind
      job {
        id
        jobId
        state
      }
    }
  }
`);

export const RELAY_DRAIN_JOB = graphql(`
  query RelayDrainJob($id: ID!) {
    drainJob(id: $id) {
      id
      jobId
    }
  }
`);

export const RELAY_BULK_DRAIN = graphql(`
  mutation RelayBulkDrain($names: [String!]!) {
    drainNodes(names: $names, maxConcurrent: 2, options: { dryRun: true, force: true, deleteEmptyDirData: true }) {
      id
      jobId
      state
    }
  }
`);

export const RELAY_BULK_DRAIN_PROGRESS = graphql(`
  subscription RelayBulkDrainProgress($id: ID!) {
    bulkDrainProgress(id: $id) {
      kind
      job {
        id
        jobId
        state
      }
    }
  }
`);

export const RELAY_BULK_DRAIN_JOB = graphql(`
  query RelayBulkDrainJob($id: ID!) {
    bulkDrainJob(id: $id) {
      id
      jobId
      state
      nodes {
        name
        drainJobId
        drainJob {
          id
          jobId
        }
      }
    }
  }
`);

export const RELAY_CANCEL_BULK_DRAIN = graphql(`
  mutation RelayCancelBulkDrain($id: ID!) {
    cancelBulkDrain(id: $id) {
      id
      jobId
      state
    }
  }
`);
