import { graphql } from '../../gql/index.js';

/** Who the gateway takes the caller for, and what it may do per cluster (a UI hides buttons by it). */
export const VIEWER_QUERY = graphql(`
  query Viewer {
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
  }
`);

export const DRAIN_REQUESTER = graphql(`
  query DrainRequester($id: ID!) {
    drainJob(id: $id) {
      id
      state
      runner
      requestedBy {
        username
        groups
      }
    }
  }
`);
