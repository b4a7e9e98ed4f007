import {
  type ASTVisitor,
  type FragmentDefinitionNode,
  Kind,
  type SelectionSetNode,
  type ValidationContext,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { GatewayContext } from '../context.js';
import { operationTooComplex } from './limit-error.js';

/**
 * At most `max` root fields per mutation operation, aliases and fragments included: each
 * drainNode starts a job, and graphql-js runs them all before answering, so 100 aliased
 * drainNode fields would drain 100 nodes from one request.
 */
export function maxRootMutationsRule(max: number) {
  return (context: ValidationContext): ASTVisitor => ({
    OperationDefinition(operation) {
      if (operation.operation !== 'mutation') return;
      const count = countRootFields(operation.selectionSet, (name) => context.getFragment(name), new Set());
      if (count > max) context.reportError(operationTooComplex('max-root-mutations', max, count));
    },
  });
}

function countRootFields(
  set: SelectionSetNode,
  fragment: (name: string) => FragmentDefinitionNode | null | undefined,
  seen: Set<string>,
): number {
  let count = 0;
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value !== '__typename') count++;
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      count += countRootFields(selection.selectionSet, fragment, seen);
    } else if (!seen.has(selection.name.value)) {
      seen.add(selection.name.value);
      const definition = fragment(selection.name.value);
      if (definition) count += countRootFields(definition.selectionSet, fragment, seen);
    }
  }
  return count;
}

export function useMaxRootMutations(max: number): Plugin<GatewayContext> {
  return {
    onValidate({ addValidationRule }) {
      addValidationRule(maxRootMutationsRule(max));
    },
  };
}
