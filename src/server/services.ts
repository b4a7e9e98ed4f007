import type { ClusterRegistry } from '../clusters/cluster-registry.js';
import type { GatewayConfig } from '../config/gateway-config.js';
import type { PodService } from '../pods/pod-service.js';
import type { Logger } from './logger.js';
import type { GatewayMetrics } from './metrics.js';
import type { ReadinessRegistry } from './readiness.js';

/**
 * Long-lived services the resolvers reach through the GraphQL context. Each module adds its
 * service here with one field; resolvers stay thin and call these.
 */
export interface GatewayServices {
  readonly config: GatewayConfig;
  readonly logger: Logger;
  readonly metrics: GatewayMetrics;
  readonly readiness: ReadinessRegistry;
  readonly clusters: ClusterRegistry;
  /** Pods straight from the API: batched per-node counts and the pods on one node. */
  readonly pods: PodService;
}
