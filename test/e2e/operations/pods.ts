import { graphql } from '../../gql/index.js';

/** The pod operations the e2e tests and the bench send (codegen types them). */
export const NODE_POD_COUNTS = graphql(`
  query NodePodCounts($cluster: String, $first: Int) {
    nodes(cluster: $cluster, first: $first) {
      totalCount
      nodes {
        cluster
        name
        ready
        podCount
      }
    }
  }
`);

/** Two clusters in one request: one LIST chain each. */
export const TWO_CLUSTER_POD_COUNTS = graphql(`
  query TwoClusterPodCounts($a: String!, $b: String!) {
    a: nodes(cluster: $a) {
      nodes {
        cluster
        name
        podCount
      }
    }
    b: nodes(cluster: $b) {
      nodes {
        cluster
        name
        podCount
      }
    }
  }
`);

export const POD_FIELDS = graphql(`
  fragment PodFields on Pod {
    cluster
    namespace
    name
    uid
    nodeName
    phase
    ready
    restarts
    owner {
      kind
      name
    }
    daemonSet
    mirror
    emptyDir
    createdAt
    deletingSince
    containers {
      name
      image
      ready
      restartCount
      state
      reason
    }
  }
`);

export const NODE_PODS = graphql(`
  query NodePods($cluster: String, $name: String!, $namespace: String, $phase: PodPhase, $first: Int, $after: String) {
    nodeByName(cluster: $cluster, name: $name) {
      name
      pods(namespace: $namespace, phase: $phase, first: $first, after: $after) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          cursor
          node {
            ...PodFields
          }
        }
      }
    }
  }
`);
