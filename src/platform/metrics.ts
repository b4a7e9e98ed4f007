import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The gateway's Prometheus registry. One per gateway instance (not prom-client's global one)
 * so tests can run several gateways in one process. Modules register their own metrics on
 * `registry` beside the ones every module shares, which live here.
 */
export class GatewayMetrics {
  readonly registry = new Registry();

  readonly websocketConnections = new Gauge({
    name: 'gateway_websocket_connections',
    help: 'Open graphql-ws WebSocket connections',
    registers: [this.registry],
  });

  readonly activeSubscriptions = new Gauge({
    name: 'gateway_active_subscriptions',
    help: 'GraphQL subscriptions currently streaming, by transport',
    labelNames: ['transport'] as const,
    registers: [this.registry],
  });

  readonly graphqlOperations = new Counter({
    name: 'gateway_graphql_operations_total',
    help: 'GraphQL operations executed, by operation type and outcome',
    labelNames: ['type', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly graphqlDuration = new Histogram({
    name: 'gateway_graphql_duration_seconds',
    help: 'GraphQL execution time of queries and mutations',
    labelNames: ['type'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15],
    registers: [this.registry],
  });

  readonly kubeApiCalls = new Counter({
    name: 'gateway_kube_api_calls_total',
    help: 'Direct Kubernetes API calls, by cluster, verb, resource and HTTP code (0 = no response)',
    labelNames: ['cluster', 'verb', 'resource', 'code'] as const,
    registers: [this.registry],
  });

  readonly kubeApiDuration = new Histogram({
    name: 'gateway_kube_api_duration_seconds',
    help: 'Direct Kubernetes API call latency until the response is read (watches: until headers)',
    labelNames: ['cluster', 'verb', 'resource'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 30],
    registers: [this.registry],
  });

  readonly kubeApiTimeouts = new Counter({
    name: 'gateway_kube_api_timeouts_total',
    help: 'Direct Kubernetes API calls that hit the API timeout',
    labelNames: ['cluster', 'verb', 'resource'] as const,
    registers: [this.registry],
  });

  constructor(options: { collectProcessMetrics?: boolean } = {}) {
    if (options.collectProcessMetrics !== false) collectDefaultMetrics({ register: this.registry });
  }
}
