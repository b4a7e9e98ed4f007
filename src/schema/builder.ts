import SchemaBuilder from '@pothos/core';
import type { GatewayContext } from '../server/context.js';

/** Builder settings only; each GraphQL type lives in its own file beside its fields. */
export const builder = new SchemaBuilder<{
  Context: GatewayContext;
  DefaultFieldNullability: false;
  Scalars: {
    DateTime: { Input: string; Output: string | Date };
  };
}>({
  defaultFieldNullability: false,
});

builder.scalarType('DateTime', {
  description: 'An RFC 3339 timestamp, e.g. 2026-11-25T16:49:07Z',
  serialize: (value) => (value instanceof Date ? value.toISOString() : value),
  parseValue: (value) => {
    if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) {
      throw new TypeError('DateTime must be an RFC 3339 string');
    }
    return value;
  },
});

/**
 * Every mutation field is nullable: a failing non-null field nulls the whole `data`, so with two
 * aliased mutations a client would not learn that the other one was applied. Null plus an error
 * at the field's path says exactly which one failed.
 */
export const MUTATION_RESULT_NULLABLE = true;

builder.queryType({});
builder.mutationType({});
builder.subscriptionType({});
