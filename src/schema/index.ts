import type { GraphQLSchema } from 'graphql';
import { builder } from './builder.js';
// Each import registers one GraphQL type and the root fields that return it.

/** Builds the product schema from every type file imported above. */
export function buildSchema(): GraphQLSchema {
  return builder.toSchema({ sortSchema: false });
}
