import { openAuditTrail } from '../auth/audit-trail.js';
import { AuthzMetrics } from '../auth/authz-metrics.js';
import { SarAuthorizer } from '../auth/sar-authorizer.js';
import { KubeconfigClusterRegistry } from '../clusters/kubeconfig-clusters.js';
import type { GatewayConfig } from '../config/gateway-config.js';
import { createDrainModule } from '../drain/drain-module.js';
import { InformerManager } from '../informers/informer-manager.js';
import { NodeMetrics } from '../informers/node-metrics.js';
import type { Logger } from '../platform/logger.js';
import { GatewayMetrics } from '../platform/metrics.js';
import { ReadinessRegistry } from '../platform/readiness.js';
import type { GatewayTracing } from '../platform/tracing/gateway-tracing.js';
import { PodMetrics } from '../pods/pod-metrics.js';
import { KubePodService } from '../pods/pod-service.js';
import { createMutationRateLimiter } from './mutation-rate-limiter.js';
import type { GatewayServices } from './services.js';

/** Something with a lifetime: started after construction, stopped (in reverse order) on shutdown. */
export interface Lifecycle {
  start?(): Promise<void> | void;
  stop?(): Promise<void> | void;
}

export interface GatewayRuntime {
  readonly services: GatewayServices;
  start(): Promise<void>;
  /** Re-reads the kubeconfig (SIGHUP). */
  reloadClusters(): void;
  stop(): Promise<void>;
}

/**
 * Composition root: builds every module's service from the config, in dependency order.
 * Modules add their construction here and their field to GatewayServices.
 */
export function createGatewayRuntime(
  config: GatewayConfig,
  logger: Logger,
  metrics: GatewayMetrics = new GatewayMetrics(),
  tracing?: GatewayTracing,
): GatewayRuntime {
  const readiness = new ReadinessRegistry();
  const clusters = new KubeconfigClusterRegistry({
    kubeconfigPaths: config.kubeconfigPaths,
    serviceAccountDir: config.serviceAccountDir,
    selection: { contexts: config.contexts, allContexts: config.allContexts },
    apiTimeoutMs: config.apiTimeoutMs,
    logger: logger.child({ component: 'clusters' }),
    metrics,
    tracer: tracing?.tracer,
  });
  const lifecycles: Lifecycle[] = [
    // First in, so stopped last: the spans of everything else's shutdown are exported too.
    ...(tracing ? [{ stop: () => tracing.shutdown() }] : []),
    { start: () => clusters.start(), stop: () => clusters.close() },
  ];
  const pods = new KubePodService({
    clusters,
    apiTimeoutMs: config.apiTimeoutMs,
    podCountMaxAgeMs: config.podCountMaxAgeMs,
    logger: logger.child({ component: 'pods' }),
    metrics: new PodMetrics(metrics.registry),
  });
  lifecycles.push(pods);
  const nodes = new InformerManager({
    clusters,
    readiness,
    logger: logger.child({ component: 'informers' }),
    metrics: new NodeMetrics(metrics.registry),
    historyPerCluster: config.nodeEventHistory,
    subscriberQueueLimit: config.subscriberQueueLimit,
    apiTimeoutMs: config.apiTimeoutMs,
    reflector: {
      watchTimeoutSeconds: config.nodeWatch.timeoutSeconds,
      inactivityMs: config.nodeWatch.inactivityMs,
      probeAfterMs: config.nodeWatch.probeAfterMs,
      probeTimeoutMs: config.nodeWatch.probeTimeoutMs,
      backoff: { initialMs: config.nodeWatch.retryInitialMs, maxMs: config.nodeWatch.retryMaxMs },
    },
  });
  lifecycles.push(nodes);
  const drains = createDrainModule({
    config,
    clusters,
    logger: logger.child({ component: 'drain' }),
    metrics,
  });
  lifecycles.push(drains);
  const authzMetrics = new AuthzMetrics(metrics.registry);
  // Asked only for authenticated callers: under --auth none the resolvers never consult it.
  const authorizer = new SarAuthorizer({
    clientFor: (cluster) => clusters.get(cluster)?.client,
    ttlMs: config.authz.cacheTtlMs,
    onReview: (cluster) => authzMetrics.reviews.inc({ cluster }),
  });
  const audit = openAuditTrail(config.auditLogPath);
  lifecycles.push({ stop: () => audit.close() });

  const services: GatewayServices = {
    config,
    logger,
    metrics,
    readiness,
    clusters,
    pods,
    nodes,
    drains: drains.service,
    mutationRateLimiter: createMutationRateLimiter(
      config,
      drains.redis,
      logger.child({ component: 'rate-limit' }),
    ),
    authorizer,
    audit,
    authzMetrics,
    tracing,
  };

  return {
    services,
    async start() {
      for (const l of lifecycles) await l.start?.();
    },
    reloadClusters() {
      clusters.reload();
    },
    async stop() {
      for (const l of [...lifecycles].reverse()) await l.stop?.();
    },
  };
}
