import { graphql } from '../../gql/index.js';

/** How current each cluster's node cache is: the frozen-API test's view. */
export const CLUSTER_STALENESS_QUERY = graphql(`
  query ClusterStaleness {
    clusters {
      name
      status
      stale
      staleSince
      cacheAgeSeconds
      lastEventAt
      relist {
        reason
        startedAt
        nodesSoFar
      }
      statusHistory {
        status
        at
      }
    }
  }
`);
