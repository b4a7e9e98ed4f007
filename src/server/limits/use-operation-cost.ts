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
  const check = (args: {
    schema: Parameters<typeof estimateOperationCost>[0];
    document: Parameters<typeof estimateOperationCost>[1];
    operationName?: string | null;
    variableValues?: Readonly<Record<string, unknown>> | null;
  }) => {
    const cost = estimateOperationCost(
      args.schema,
      args.document,
      args.operationName,
      args.variableValues,
      model,
    );
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
