import { graphql } from './graphql-tag.js';

/**
 * What a Relay client of the gateway writes: a fragment on KubeNode made @refetchable, which
 * relay-compiler only accepts when the schema follows Relay's Object Identification (a `Node`
 * interface with `id: ID!`, `Query.node(id:)`, KubeNode implementing it). test/relay/relay-compiler.test.ts
 * compiles it against schema.graphql.
 */
export const kubeNodeRow = graphql`
  fragment KubeNodeRow_node on KubeNode @refetchable(queryName: "KubeNodeRowRefetchQuery") {
    id
    name
    cluster
    ready
    schedulable
    cordon {
      reason
      by
      at
    }
    labels {
      key
      value
    }
    taints {
      key
      value
      effect
    }
  }
`;

export const podRow = graphql`
  fragment KubeNodeRow_pod on Pod @refetchable(queryName: "PodRowRefetchQuery") {
    id
    namespace
    name
    phase
  }
`;

export const drainJobRow = graphql`
  fragment KubeNodeRow_drainJob on DrainJob @refetchable(queryName: "DrainJobRowRefetchQuery") {
    id
    jobId
    state
    phase
  }
`;

export const bulkDrainJobRow = graphql`
  fragment KubeNodeRow_bulkDrainJob on BulkDrainJob @refetchable(queryName: "BulkDrainJobRowRefetchQuery") {
    id
    jobId
    state
    counts {
      total
      drained
    }
    nodes {
      name
      state
      drainJobId
      drainJob {
        ...KubeNodeRow_drainJob
      }
    }
  }
`;

export const clusterRow = graphql`
  fragment KubeNodeRow_cluster on Cluster @refetchable(queryName: "ClusterRowRefetchQuery") {
    id
    name
    status
  }
`;

export const nodeListQuery = graphql`
  query KubeNodeRowListQuery {
    clusters {
      ...KubeNodeRow_cluster
    }
    nodes(first: 20) {
      nodes {
        ...KubeNodeRow_node
      }
    }
  }
`;

export const setLabelsMutation = graphql`
  mutation KubeNodeRowSetLabelsMutation($name: String!, $set: [LabelInput!], $resourceVersion: String) {
    setNodeLabels(name: $name, set: $set, resourceVersion: $resourceVersion) {
      ...KubeNodeRow_node
    }
  }
`;
