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
