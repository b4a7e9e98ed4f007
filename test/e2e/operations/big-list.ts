import { graphql } from '../../gql/index.js';

/**
 * A whole node list made fat on purpose: every label ten times over (~6 KB a node), so that a
 * few thousand nodes are far more than socket buffers hold (the big-list tests need that).
 */
export const FAT_NODE_LIST_QUERY = graphql(`
  query FatNodeList {
    nodes {
      totalCount
      nodes {
        name
        l0: labels { key value }
        l1: labels { key value }
        l2: labels { key value }
        l3: labels { key value }
        l4: labels { key value }
        l5: labels { key value }
        l6: labels { key value }
        l7: labels { key value }
        l8: labels { key value }
        l9: labels { key value }
      }
    }
  }
`);

export const TYPENAME_QUERY = graphql(`
  query Typename {
    __typename
  }
`);
