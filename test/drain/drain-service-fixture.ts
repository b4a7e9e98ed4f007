import type { BulkDrainStore } from '../../src/drain/bulk-drain-store.js';
import type { DrainJobStore } from '../../src/drain/drain-job-store.js';
import { DrainMetrics } from '../../src/drain/drain-metrics.js';
import type { DeliveredDrainEvent } from '../../src/drain/drain-progress-stream.js';
import { DrainService } from '../../src/drain/drain-service.js';
import { MemoryBulkDrainStore } from '../../src/drain/memory-bulk-drain-store.js';
import { MemoryDrainJobStore } from '../../src/drain/memory-drain-job-store.js';
import { MemoryNodeLock } from '../../src/drain/memory-node-lock.js';
import type { NodeLock } from '../../src/drain/node-lock.js';
import { MemoryPubSub } from '../../src/events/memory-pubsub.js';
import { createLogger } from '../../src/platform/logger.js';
import { GatewayMetrics } from '../../src/platform/metrics.js';
import { FAST_DRAIN_TIMINGS } from '../support/drain-timings.js';
import type { FakeDrainApi } from './fake-drain-api.js';

export interface SharedBackend {
  store: DrainJobStore;
  lock: NodeLock;
  pubsub: MemoryPubSub;
  /** Bulk drains shared by the replicas; omitted = each service keeps its own. */
  bulkStore?: BulkDrainStore;
}

export function memoryBackend(): SharedBackend & { lock: MemoryNodeLock; bulkStore: BulkDrainStore } {
  const lock = new MemoryNodeLock();
  const pubsub = new MemoryPubSub();
  return {
    store: new MemoryDrainJobStore(lock, pubsub),
    lock,
    pubsub,
    bulkStore: new MemoryBulkDrainStore(lock, pubsub),
  };
}

/** A DrainService over a fake cluster; several on one backend act as replicas. */
export function drainService(
  backend: SharedBackend,
  api: FakeDrainApi,
  overrides: { replicaId?: string; leaseMs?: number; handOverOnShutdown?: boolean } = {},
): { service: DrainService; metrics: GatewayMetrics } {
  const metrics = new GatewayMetrics({ collectProcessMetrics: false });
  const service = new DrainService({
    store: backend.store,
    bulkStore: backend.bulkStore,
    lock: backend.lock,
    apiFor: (cluster) => (cluster === 'c1' ? api : undefined),
    logger: createLogger('silent'),
    metrics: new DrainMetrics(metrics.registry),
    timings: FAST_DRAIN_TIMINGS,
    leaseMs: overrides.leaseMs ?? 300,
    replicaId: overrides.replicaId ?? 'replica-a',
    handOverOnShutdown: overrides.handOverOnShutdown ?? false,
    subscriberQueueLimit: 1000,
    cancelWaitMs: 2000,
  });
  return { service, metrics };
}

/** Every event of a stream until it completes. */
export async function collect(stream: AsyncIterable<DeliveredDrainEvent>): Promise<DeliveredDrainEvent[]> {
  const events: DeliveredDrainEvent[] = [];
  for await (const e of stream) events.push(e);
  return events;
}
