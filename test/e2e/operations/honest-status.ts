import { graphql } from '../../gql/index.js';

/** Two cordons in one mutation: each alias succeeds or fails on its own. */
export const TWO_CORDONS = graphql(`
  mutation TwoCordons($good: String!, $bad: String!) {
    good: cordonNode(name: $good) {
      name
      schedulable
    }
    bad: cordonNode(name: $bad) {
      name
      schedulable
    }
  }
`);
