import { lexicographicSortSchema } from 'graphql';
import { buildSchema } from './index.js';

/** The product schema, sorted, as GraphQL Code Generator loads it (see codegen.ts). */
export const schema = lexicographicSortSchema(buildSchema());
