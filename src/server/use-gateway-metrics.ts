import { getOperationAST, type OperationTypeNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { isAsyncIterable } from 'graphql-yoga';
import type { GatewayMetrics } from '../platform/metrics.js';
import type { GatewayContext } from './context.js';

function operationType(args: {
  document: Parameters<typeof getOperationAST>[0];
  operationName?: string | null;
}) {
  return (getOperationAST(args.document, args.operationName ?? undefined)?.operation ??
    'query') as OperationTypeNode;
}

/**
 * Counts GraphQL operations by type and outcome, times queries and mutations, and tracks live
 * subscriptions by transport. Labels are operation types, never operation names: names come
 * from clients, and each new one would be a new series.
 */
export function useGatewayMetrics(metrics: GatewayMetrics): Plugin<GatewayContext> {
  return {
    onExecute({ args }) {
      const type = operationType(args);
      const stop = metrics.graphqlDuration.startTimer({ type });
      return {
        onExecuteDone({ result }) {
          stop();
          const failed = 'errors' in result && Array.isArray(result.errors) && result.errors.length > 0;
          metrics.graphqlOperations.inc({ type, outcome: failed ? 'error' : 'ok' });
        },
      };
    },
    onSubscribe({ args }) {
      const transport = args.contextValue.transport ?? 'sse';
      return {
        onSubscribeResult({ result }) {
          // A subscription refused at start (unknown cluster, limit) is one result, not a stream:
          // it never streams and no onEnd would take it off the gauge.
          if (!isAsyncIterable(result)) {
            metrics.graphqlOperations.inc({ type: 'subscription', outcome: 'error' });
            return;
          }
          metrics.graphqlOperations.inc({ type: 'subscription', outcome: 'started' });
          metrics.activeSubscriptions.inc({ transport });
          return {
            onEnd() {
              metrics.activeSubscriptions.dec({ transport });
            },
          };
        },
        onSubscribeError() {
          metrics.graphqlOperations.inc({ type: 'subscription', outcome: 'error' });
        },
      };
    },
  };
}
