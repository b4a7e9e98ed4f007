/**
 * Every operation the console sends, typed by GraphQL Code Generator (npm run codegen writes
 * ./gql from these). The console talks to the public API only: what it can do, any client can.
 */
import { graphql } from './gql/index.js';

export const CONSOLE_NODE_ROW = graphql(`
  fragment ConsoleNodeRow on KubeNode {
    id
    cluster
    name
    status
    ready
    schedulable
    roles
    resourceVersion
    taints {
      key
      value
      effect
    }
    createdAt
  }
`);

/** From the request's one pod LIST and one metrics LIST: the table's bars. */
export const CONSOLE_NODE_LOAD = graphql(`
  fragment ConsoleNodeLoad on KubeNode {
    allocated {
      requests {
        cpu {
          fraction
          quantity
        }
        memory {
          fraction
          quantity
        }
      }
    }
    usage {
      cpu {
        fraction
        quantity
      }
      memory {
        fraction
        quantity
      }
    }
  }
`);

export const CONSOLE_SESSION = graphql(`
  query ConsoleSession {
    viewer {
      username
      groups
      clusters {
        cluster
        canListNodes
        canListPods
        canCordon
        canDrain
      }
    }
    clusters {
      name
      isDefault
      status
      nodeCount
      error
    }
  }
`);

export const CONSOLE_NODES = graphql(`
  query ConsoleNodes($cluster: String, $filter: NodeFilter, $orderBy: NodeOrder, $first: Int, $after: String) {
    nodes(cluster: $cluster, filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        ...ConsoleNodeRow
        podCount
        ...ConsoleNodeLoad
      }
    }
  }
`);

/** No podCount here: it would cost a pod LIST per event. Rows keep the count of the last query. */
export const CONSOLE_NODE_CHANGED = graphql(`
  subscription ConsoleNodeChanged($cluster: String, $labelSelector: String, $since: String) {
    nodeChanged(cluster: $cluster, labelSelector: $labelSelector, since: $since) {
      type
      name
      cursor
      changes
      node {
        ...ConsoleNodeRow
      }
    }
  }
`);

export const CONSOLE_NODE_DETAIL = graphql(`
  query ConsoleNodeDetail($cluster: String, $name: String!) {
    nodeByName(cluster: $cluster, name: $name) {
      ...ConsoleNodeRow
      internalIP
      cordon {
        reason
        by
        at
      }
      allocated {
        requests {
          cpu {
            quantity
            percent
          }
          memory {
            quantity
            percent
          }
        }
        limits {
          cpu {
            quantity
            percent
          }
          memory {
            quantity
            percent
          }
        }
        pods
      }
      usage {
        cpu {
          quantity
          percent
        }
        memory {
          quantity
          percent
        }
        window
      }
      events(first: 20) {
        nodes {
          type
          reason
          message
          source
          count
          lastSeen
        }
      }
      labels {
        key
        value
      }
      conditions {
        type
        status
        reason
        message
        lastTransitionTime
      }
      capacity {
        cpu
        memory
        ephemeralStorage
        pods
      }
      allocatable {
        cpu
        memory
        ephemeralStorage
        pods
      }
      nodeInfo {
        kubeletVersion
        osImage
        containerRuntimeVersion
        architecture
      }
      pods(first: 500) {
        totalCount
        edges {
          node {
            namespace
            name
            phase
            ready
            restarts
            daemonSet
            mirror
          }
        }
      }
    }
  }
`);

export const CONSOLE_CORDON = graphql(`
  mutation ConsoleCordon($cluster: String, $name: String!, $reason: String) {
    cordonNode(cluster: $cluster, name: $name, reason: $reason) {
      ...ConsoleNodeRow
    }
  }
`);

export const CONSOLE_UNCORDON = graphql(`
  mutation ConsoleUncordon($cluster: String, $name: String!) {
    uncordonNode(cluster: $cluster, name: $name) {
      ...ConsoleNodeRow
    }
  }
`);

export const CONSOLE_DRAIN = graphql(`
  mutation ConsoleDrain($cluster: String, $name: String!, $options: DrainOptions) {
    drainNode(cluster: $cluster, name: $name, options: $options) {
      id
      node
      state
    }
  }
`);

export const CONSOLE_CANCEL_DRAIN = graphql(`
  mutation ConsoleCancelDrain($id: ID!) {
    cancelDrain(id: $id) {
      id
      state
    }
  }
`);

export const CONSOLE_DRAIN_PODS = graphql(`
  query ConsoleDrainPods($id: ID!) {
    drainJob(id: $id) {
      id
      node
      state
      error
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
        status
        message
      }
    }
  }
`);

export const CONSOLE_DRAIN_PROGRESS = graphql(`
  subscription ConsoleDrainProgress($id: ID!) {
    drainProgress(id: $id) {
      sequence
      kind
      state
      message
      at
      pod {
        namespace
        name
      }
      job {
        id
        node
        error
        counts {
          total
          pending
          evicting
          blocked
          deleted
          skipped
          failed
        }
      }
    }
  }
`);

export const CONSOLE_BULK_DRAIN = graphql(`
  mutation ConsoleBulkDrain($cluster: String, $names: [String!], $options: DrainOptions, $maxConcurrent: Int) {
    drainNodes(cluster: $cluster, names: $names, options: $options, maxConcurrent: $maxConcurrent, stopOnFailure: false) {
      id
      state
    }
  }
`);

export const CONSOLE_CANCEL_BULK_DRAIN = graphql(`
  mutation ConsoleCancelBulkDrain($id: ID!) {
    cancelBulkDrain(id: $id) {
      id
      state
    }
  }
`);

export const CONSOLE_BULK_DRAIN_PROGRESS = graphql(`
  subscription ConsoleBulkDrainProgress($id: ID!) {
    bulkDrainProgress(id: $id) {
      sequence
      kind
      state
      node
      nodeState
      message
      job {
        id
        state
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
          message
        }
      }
    }
  }
`);
