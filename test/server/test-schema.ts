import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { parse } from 'graphql';
import { createSchema } from 'graphql-yoga';

/** A schema built inside the transport tests, so they do not depend on product fields. */
export function createTransportTestSchema() {
  return createSchema({
    typeDefs: /* GraphQL */ `
      type Query {
        hello: String!
      }
      type Subscription {
        countdown(from: Int!): Int!
        forever: Int!
      }
    `,
    resolvers: {
      Query: { hello: () => 'world' },
      Subscription: {
        countdown: {
          async *subscribe(_: unknown, { from }: { from: number }) {
            for (let i = from; i >= 0; i--) yield { countdown: i };
          },
        },
        forever: {
          async *subscribe() {
            yield { forever: 1 };
            await new Promise(() => {});
          },
        },
      },
    },
  });
}

/*
 * The operations the transport tests send. Codegen types the product schema's operations only,
 * so these two are typed here, beside the schema they run against.
 */
export const TYPENAME_QUERY: TypedDocumentNode<{ __typename: 'Query' }, Record<string, never>> = parse(
  '{ __typename }',
);

export const COUNTDOWN_SUBSCRIPTION: TypedDocumentNode<{ countdown: number }, { from: number }> = parse(
  'subscription Countdown($from: Int!) { countdown(from: $from) }',
);
