import { graphql } from '../../gql/index.js';

/** The node operations the e2e tests and the bench send (codegen types them). */
export const NODE_FIELDS = graphql(`
  fragment NodeFields on KubeNode {
    id
    cluster
    name
    uid
    labels {
      key
      value
    }
    roles
    ready
    schedulable
    taints {
      key
      value
      effect
    }
    conditions {
      type
      status
      reason
    }
    addresses {
      type
      address
    }
    capacity {
      cpu
      memory
      pods
    }
    allocatable {
      cpu
      memory
      pods
    }
    nodeInfo {
      kubeletVersion
      architecture
    }
    createdAt
  }
`);

export const NODES_QUERY = graphql(`
  query Nodes($cluster: String, $filter: NodeFilter, $orderBy: NodeOrder, $first: Int, $after: String) {
    nodes(cluster: $cluster, filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        hasPreviousPage
        startCursor
        endCursor
      }
      edges {
        cursor
        node {
          ...NodeFields
        }
      }
    }
  }
`);

/** Just names: for comparing lists against the simulator's state. */
export const NODE_NAMES_QUERY = graphql(`
  query NodeNames($cluster: String, $filter: NodeFilter, $orderBy: NodeOrder, $first: Int, $after: String) {
    nodes(cluster: $cluster, filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        name
      }
    }
  }
`);

/** The node list as a UI table shows it: the benchmark's query. */
export const NODE_TABLE_QUERY = graphql(`
  query NodeTable($cluster: String, $first: Int) {
    nodes(cluster: $cluster, first: $first) {
      totalCount
      nodes {
        id
        name
        status
        roles
        ready
        schedulable
        internalIP
        labels {
          key
          value
        }
        taints {
          key
          effect
        }
        capacity {
          cpu
          memory
          pods
        }
        nodeInfo {
          kubeletVersion
        }
        createdAt
      }
    }
  }
`);

export const NODE_QUERY = graphql(`
  query Node($cluster: String, $name: String!) {
    nodeByName(cluster: $cluster, name: $name) {
      ...NodeFields
    }
  }
`);

/** One label of one node: for awaiting a change the gateway has seen. */
export const NODE_LABEL_QUERY = graphql(`
  query NodeLabel($cluster: String, $name: String!, $key: String!) {
    nodeByName(cluster: $cluster, name: $name) {
      label(key: $key)
    }
  }
`);

export const CLUSTERS_QUERY = graphql(`
  query Clusters {
    clusters {
      name
      server
      isDefault
      status
      nodeCount
      lastSyncAt
      error
      statusHistory {
        status
        at
        reason
      }
    }
  }
`);

export const NODE_CHANGED_SUBSCRIPTION = graphql(`
  subscription NodeChanged(
    $cluster: String
    $clusters: [String!]
    $names: [String!]
    $labelSelector: String
    $kinds: [NodeChangeKind!]
    $since: String
  ) {
    nodeChanged(
      cluster: $cluster
      clusters: $clusters
      names: $names
      labelSelector: $labelSelector
      kinds: $kinds
      since: $since
    ) {
      type
      cluster
      name
      changes
      cursor
      at
      node {
        name
        schedulable
        ready
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
    }
  }
`);

/** A subscription whose every event carries the whole node: large messages (slow-reader tests). */
export const NODE_CHANGED_FULL_SUBSCRIPTION = graphql(`
  subscription NodeChangedFull($names: [String!]) {
    nodeChanged(names: $names) {
      type
      name
      changes
      cursor
      node {
        ...NodeFields
        annotations {
          key
          value
        }
      }
    }
  }
`);
