import type { ASTVisitor, ValidationContext } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { GatewayContext } from '../context.js';
import { operationTooComplex } from './limit-error.js';
import { countRootFields } from './root-fields.js';

/**
 * At most `max` root fields per mutation operation, aliases and fragments included: each
 * drainNode starts a job, and graphql-js runs them all before answering, so 100 aliased
 * drainNode fields would drain 100 nodes from one request.
 */
export function maxRootMutationsRule(max: number) {
  return (context: ValidationContext): ASTVisitor => ({
    OperationDefinition(operation) {
      if (operation.operation !== 'mutation') return;
      const count = countRootFields(operation.selectionSet, (name) => context.getFragment(name));
      if (count > max) context.reportError(operationTooComplex('max-root-mutations', max, count));
    },
  });
}

export function useMaxRootMutations(max: number): Plugin<GatewayContext> {
  return {
    onValidate({ addValidationRule }) {
      addValidationRule(maxRootMutationsRule(max));
    },
  };
}
