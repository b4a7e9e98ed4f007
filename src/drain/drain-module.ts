import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { ClusterRegistry } from '../clusters/cluster-registry.js';
import { impersonating } from '../clusters/impersonating-client.js';
import type { GatewayConfig } from '../config/gateway-config.js';
import { MemoryPubSub } from '../events/memory-pubsub.js';
import { RedisConnection } from '../events/redis-connection.js';
import { RedisPubSub } from '../events/redis-pubsub.js';
import type { Logger } from '../platform/logger.js';
import type { GatewayMetrics } from '../platform/metrics.js';
import type { BulkDrainStore } from './bulk-drain-store.js';
import { DEFAULT_BULK_DRAIN_STORE_LIMITS } from './bulk-drain-store.js';
import type { DrainJobStore } from './drain-job-store.js';
import { DEFAULT_DRAIN_STORE_LIMITS } from './drain-job-store.js';
import { DrainMetrics } from './drain-metrics.js';
import { DrainService } from './drain-service.js';
import { DEFAULT_DRAIN_TIMINGS } from './drain-timings.js';
import { KubeDrainClient } from './kube-drain-client.js';
import { MemoryBulkDrainStore } from './memory-bulk-drain-store.js';
import { MemoryDrainJobStore } from './memory-drain-job-store.js';
import { MemoryNodeLock } from './memory-node-lock.js';
import type { NodeLock } from './node-lock.js';
import { RedisBulkDrainStore } from './redis-bulk-drain-store.js';
import { RedisDrainJobStore } from './redis-drain-job-store.js';
import { RedisNodeLock } from './redis-node-lock.js';

export interface DrainModuleOptions {
  readonly config: GatewayConfig;
  readonly clusters: ClusterRegistry;
  readonly logger: Logger;
  readonly metrics: GatewayMetrics;
}

export interface DrainModule {
  readonly service: DrainService;
  /** The Redis connection of `--redis`, for other modules' shared state (rate limits). */
  readonly redis: RedisConnection | undefined;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Builds the drain service: in memory for one process, or on Redis (`config.redisUrl`) so that
 * every replica shares jobs, events and node leases.
 */
export function createDrainModule(options: DrainModuleOptions): DrainModule {
  const { config, logger } = options;
  const limits = { ...DEFAULT_DRAIN_STORE_LIMITS, retentionMs: config.drain.jobRetentionMs };
  const bulkLimits = { ...DEFAULT_BULK_DRAIN_STORE_LIMITS, retentionMs: config.drain.jobRetentionMs };
  let store: DrainJobStore;
  let bulkStore: BulkDrainStore;
  let lock: NodeLock;
  let connection: RedisConnection | undefined;
  if (config.redisUrl) {
    connection = new RedisConnection({
      url: config.redisUrl,
      keyPrefix: config.redisKeyPrefix,
      logger: logger.child({ component: 'redis' }),
    });
    const redisPubSub = new RedisPubSub(connection, logger.child({ component: 'redis' }));
    const redisLock = new RedisNodeLock(connection);
    store = new RedisDrainJobStore(connection, redisPubSub, redisLock, limits);
    bulkStore = new RedisBulkDrainStore(connection, redisPubSub, redisLock, bulkLimits);
    lock = redisLock;
  } else {
    const memoryLock = new MemoryNodeLock();
    const pubsub = new MemoryPubSub();
    store = new MemoryDrainJobStore(memoryLock, pubsub, limits);
    bulkStore = new MemoryBulkDrainStore(memoryLock, pubsub, bulkLimits);
    lock = memoryLock;
  }
  const service = new DrainService({
    store,
    bulkStore,
    lock,
    apiFor: (cluster, as) => {
      const connection = options.clusters.get(cluster);
      return connection && new KubeDrainClient(impersonating(connection.client, as), config.apiTimeoutMs);
    },
    logger,
    metrics: new DrainMetrics(options.metrics.registry),
    timings: {
      ...DEFAULT_DRAIN_TIMINGS,
      evictRetryDelayMs: config.drain.evictRetryDelayMs,
      deletePollIntervalMs: config.drain.deletePollIntervalMs,
    },
    leaseMs: config.drain.leaseMs,
    replicaId: `${hostname()}-${process.pid}-${randomUUID().slice(0, 4)}`,
    handOverOnShutdown: connection !== undefined,
    subscriberQueueLimit: config.subscriberQueueLimit,
  });
  // Redis is not a readiness check: without it drains fail with UPSTREAM_UNAVAILABLE, but node
  // queries, which are most of the traffic, still work, so the replica should keep serving them.
  return {
    service,
    redis: connection,
    async start() {
      await connection?.start();
      service.start();
    },
    async stop() {
      await service.stop();
      await connection?.close();
    },
  };
}
