import type { GraphQLError } from 'graphql';
import { gatewayError } from '../../resolvers/graphql-errors.js';

/** The flag that sets each limit: clients see it in `extensions.limit`, operators know what to raise. */
export type LimitFlag =
  | 'max-depth'
  | 'max-aliases'
  | 'max-tokens'
  | 'max-directives'
  | 'max-cost'
  | 'max-root-mutations';

/** OPERATION_TOO_COMPLEX naming the limit and its value; `found` when the check measured it. */
export function operationTooComplex(limit: LimitFlag, max: number, found?: number): GraphQLError {
  const measured = found === undefined ? '' : ` (found ${found})`;
  return gatewayError(
    'OPERATION_TOO_COMPLEX',
    `Operation exceeds --${limit} ${max}${measured}; not executed`,
    {
      limit,
      max,
      ...(found === undefined ? {} : { found }),
    },
  );
}
