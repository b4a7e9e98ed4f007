import type { AuditTrail } from '../auth/audit-trail.js';
import type { Authorizer } from '../auth/authorizer.js';
import type { AuthzMetrics } from '../auth/authz-metrics.js';
import type { ClusterRegistry } from '../clusters/cluster-registry.js';
import type { GatewayConfig } from '../config/gateway-config.js';
import type { DrainService } from '../drain/drain-service.js';
import type { RateLimiter } from '../events/rate-limiter.js';
import type { InformerManager } from '../informers/informer-manager.js';
import type { Logger } from '../platform/logger.js';
import type { GatewayMetrics } from '../platform/metrics.js';
import type { ReadinessRegistry } from '../platform/readiness.js';
import type { GatewayTracing } from '../platform/tracing/gateway-tracing.js';
import type { PodService } from '../pods/pod-service.js';

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
  /** Node informers per cluster: the cache, its status, node change subscriptions. */
  readonly nodes: InformerManager;
  /** Drain jobs (memory, or shared across replicas through Redis), cordon checks, progress streams. */
  readonly drains: DrainService;
  /** Each caller's mutation budget (--mutation-rate); undefined = unlimited. */
  readonly mutationRateLimiter?: RateLimiter;
  /**
   * May an authenticated caller do this in this cluster (SubjectAccessReview, cached)? Never
   * asked for the anonymous caller of `--auth none`. Optional so that test contexts may omit it.
   */
  readonly authorizer?: Authorizer;
  /** Every mutation and every denial, one JSON line each (--audit-log). */
  readonly audit?: AuditTrail;
  readonly authzMetrics?: AuthzMetrics;
  /** OpenTelemetry while an OTLP endpoint is configured; undefined = tracing off. */
  readonly tracing?: GatewayTracing;
}
