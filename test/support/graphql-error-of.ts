import { GraphQLError } from 'graphql';

/** The GraphQLError `body` throws; a test fails if it throws something else or nothing. */
export function graphqlErrorOf(body: () => unknown): GraphQLError {
  try {
    body();
  } catch (err) {
    if (err instanceof GraphQLError) return err;
    throw err;
  }
  throw new Error('expected a GraphQLError');
}
