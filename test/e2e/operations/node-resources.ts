import { graphql } from '../../gql/index.js';

/** The node resource operations (allocated, usage, events, computed orders) the e2e tests and the bench send. */
export const RESOURCE_AMOUNT_FIELDS = graphql(`
  fragment ResourceAmountFields on ResourceAmount {
    quantity
    value
    fraction
    percent
  }
`);

export const NODE_ALLOCATED = graphql(`
  query NodeAllocated($cluster: String) {
    nodes(cluster: $cluster) {
      nodes {
        name
        podCount
        allocated {
          pods
          podsFraction
          requests {
            cpu {
              ...ResourceAmountFields
            }
            memory {
              ...ResourceAmountFields
            }
            ephemeralStorage {
              ...ResourceAmountFields
            }
          }
          limits {
            cpu {
              ...ResourceAmountFields
            }
            memory {
              ...ResourceAmountFields
            }
            ephemeralStorage {
              ...ResourceAmountFields
            }
          }
        }
      }
    }
  }
`);

export const NODE_USAGE = graphql(`
  query NodeUsage($cluster: String) {
    nodes(cluster: $cluster) {
      nodes {
        name
        usage {
          cpu {
            ...ResourceAmountFields
          }
          memory {
            ...ResourceAmountFields
          }
          window
          timestamp
        }
      }
    }
  }
`);

export const NODE_EVENTS = graphql(`
  query NodeEvents($cluster: String, $name: String!, $first: Int, $after: String, $since: String) {
    nodeByName(cluster: $cluster, name: $name) {
      name
      events(first: $first, after: $after, since: $since) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          cursor
          node {
            namespace
            name
            type
            reason
            message
            source
            count
            firstSeen
            lastSeen
          }
        }
      }
    }
  }
`);

/** Everything a portal's node table shows, on nodes the caller may see but maybe not their pods. */
export const NODE_RESOURCES_ALL = graphql(`
  query NodeResourcesAll($name: String!) {
    nodeByName(name: $name) {
      name
      ready
      podCount
      allocated {
        pods
      }
      usage {
        window
      }
      events(first: 5) {
        totalCount
      }
    }
  }
`);

export const NODES_BY_VALUE = graphql(`
  query NodesByValue(
    $cluster: String
    $orderBy: NodeOrder
    $filter: NodeFilter
    $first: Int
    $after: String
  ) {
    nodes(cluster: $cluster, orderBy: $orderBy, filter: $filter, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        name
        podCount
      }
    }
  }
`);

export const NODES_BY_ALLOCATION = graphql(`
  query NodesByAllocation($orderBy: NodeOrder, $filter: NodeFilter, $first: Int, $after: String) {
    nodes(orderBy: $orderBy, filter: $filter, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        name
        podCount
        allocated {
          requests {
            cpu {
              fraction
            }
          }
        }
        usage {
          cpu {
            fraction
          }
        }
      }
    }
  }
`);
