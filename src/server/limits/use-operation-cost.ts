import type { Plugin } from 'graphql-yoga';
import type { GatewayContext } from '../context.js';
import { operationTooComplex } from './limit-error.js';
import { type CostModel, estimateOperationCost } from './operation-cost.js';

/**
 * Refuses an operation whose estimated cost exceeds `maxCost` before any resolver runs. It runs
 * at execute/subscribe rather than as a validation rule because a `first` given as a variable
 * is only known there (validation results are cached per document, variables differ per request).
 */
export function useOperationCost(maxCost: number, model: CostModel): Plugin<GatewayContext> {
  // The estimate is a pure function of (document, operation, variables): remembered per document
  // (a few variable sets each), since a UI repeats the same operations and walking the
  // document each time was most of what the limits cost an executed request.
  const costs = new WeakMap<object, Map<string, number>>();
  const check = (args: {
    schema: Parameters<typeof estimateOperationCost>[0];
    document: Parameters<typeof estimateOperationCost>[1];
    operationName?: string | null;
    variableValues?: Readonly<Record<string, unknown>> | null;
  }) => {
    const key = `${args.operationName ?? ''}\u0000${JSON.stringify(args.variableValues ?? {})}`;
    let byVariables = costs.get(args.document);
    if (!byVariables) {
      byVariables = new Map();
      costs.set(args.document, byVariables);
    }
    let cost = byVariables.get(key);
    if (cost === undefined) {
      cost = estimateOperationCost(
        args.schema,
        args.document,
        args.operationName,
        args.variableValues,
        model,
      );
      if (byVariables.size >= 32) byVariables.clear();
      byVariables.set(key, cost);
    }
    return cost > maxCost ? operationTooComplex('max-cost', maxCost, cost) : undefined;
  };
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const error = check(args);
      if (error) setResultAndStopExecution({ errors: [error] });
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      const error = check(args);
      if (error) setResultAndStopExecution({ errors: [error] });
    },
  };
}
