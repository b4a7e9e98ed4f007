import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { impersonating } from '../../src/clusters/impersonating-client.js';
import { KubeHttpClient, type KubeRequest } from '../../src/clusters/kube-client.js';
import { type DrainRequester, newDrainJob } from '../../src/drain/drain-job.js';
import { DrainMetrics } from '../../src/drain/drain-metrics.js';
import { resolveDrainOptions } from '../../src/drain/drain-options.js';
import { DrainService } from '../../src/drain/drain-service.js';
import { KubeDrainClient } from '../../src/drain/kube-drain-client.js';
import { createLogger } from '../../src/platform/logger.js';
import { GatewayMetrics } from '../../src/platform/metrics.js';
import { type SimulatorHandle, startSimulator } from '../../src/sim/index.js';
import { FAST_DRAIN_TIMINGS } from '../support/drain-timings.js';
import { waitFor } from '../support/wait-for.js';
import { memoryBackend, type SharedBackend } from './drain-service-fixture.js';

const BOB: DrainRequester = { username: 'bob', groups: ['ops', 'system:authenticated'], uid: 'b-1' };

/** The simulator's client, recording the identity every request of a drain acts as. */
function recordingClient(sim: SimulatorHandle) {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromString(sim.kubeconfig());
  const real = new KubeHttpClient({ cluster: 'c1', kubeConfig, apiTimeoutMs: 5000 });
  const seen: { method: string; path: string; as: string | undefined; groups?: readonly string[] }[] = [];
  const record = (req: KubeRequest) =>
    seen.push({
      method: req.method ?? 'GET',
      path: req.path,
      as: req.impersonate?.user,
      groups: req.impersonate?.groups,
    });
  const client = {
    cluster: 'c1',
    server: real.server,
    apiTimeoutMs: real.apiTimeoutMs,
    json<T>(req: KubeRequest): Promise<T> {
      record(req);
      return real.json<T>(req);
    },
    stream(req: KubeRequest) {
      record(req);
      return real.stream(req);
    },
    close: () => real.close(),
  };
  return { client, seen };
}

function serviceOn(
  backend: SharedBackend,
  client: ReturnType<typeof recordingClient>['client'],
  replicaId: string,
) {
  const metrics = new GatewayMetrics({ collectProcessMetrics: false });
  return new DrainService({
    store: backend.store,
    lock: backend.lock,
    apiFor: (cluster, as) =>
      cluster === 'c1' ? new KubeDrainClient(impersonating(client, as), 5000) : undefined,
    logger: createLogger('silent'),
    metrics: new DrainMetrics(metrics.registry),
    timings: FAST_DRAIN_TIMINGS,
    leaseMs: 300,
    replicaId,
    handOverOnShutdown: true,
    subscriberQueueLimit: 1000,
    cancelWaitMs: 2000,
  });
}

const OPTIONS = (() => {
  const resolved = resolveDrainOptions({ force: true, deleteEmptyDirData: true });
  if (!resolved.ok) throw new Error('bad options');
  return resolved.options;
})();

describe('a drain acts as the person who asked', () => {
  let sim: SimulatorHandle;
  let nodes: string[];

  beforeAll(async () => {
    sim = await startSimulator({ nodes: 3, pods: 12, seed: 7, heartbeatIntervalMs: 0 });
    const { client } = recordingClient(sim);
    const list = await client.json<{ items: { metadata: { name: string } }[] }>({ path: '/api/v1/nodes' });
    nodes = list.items.map((n) => n.metadata.name);
    client.close();
  });
  afterAll(async () => {
    await sim?.stop();
  });

  it('stores requestedBy and impersonates it on every GET, PATCH, LIST, eviction and poll', async () => {
    const { client, seen } = recordingClient(sim);
    const service = serviceOn(memoryBackend(), client, 'replica-a');
    const job = await service.startDrain('c1', nodes[0]!, OPTIONS, BOB);
    expect(job.requestedBy).toEqual(BOB);
    await waitFor(async () => (await service.get(job.id))?.state === 'SUCCEEDED', { what: 'drain done' });
    expect((await service.get(job.id))?.requestedBy).toEqual(BOB);
    const methods = new Set(seen.map((s) => s.method));
    expect(methods).toEqual(new Set(['GET', 'PATCH', 'POST']));
    expect(seen.filter((s) => s.path.endsWith('/eviction')).length).toBeGreaterThan(0);
    expect(seen.filter((s) => s.as !== 'bob')).toEqual([]);
    expect(seen[0]!.groups).toEqual(['ops', 'system:authenticated']);
    await service.stop();
    client.close();
  });

  it('a replica taking a job over reads requestedBy from the store and keeps impersonating', async () => {
    const backend = memoryBackend();
    const job = newDrainJob({
      id: 'orphan-1',
      cluster: 'c1',
      node: nodes[1]!,
      options: OPTIONS,
      now: new Date(),
    });
    job.requestedBy = BOB;
    job.runner = 'dead-replica';
    job.state = 'RUNNING';
    await backend.store.createUnlessActive(job);
    const { client, seen } = recordingClient(sim);
    const service = serviceOn(backend, client, 'replica-b');
    await service.scanForOrphans();
    await waitFor(async () => (await service.get(job.id))?.state === 'SUCCEEDED', {
      what: 'taken over and done',
    });
    const done = await service.get(job.id);
    expect(done?.takeovers.map((t) => t.to)).toEqual(['replica-b']);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.filter((s) => s.as !== 'bob')).toEqual([]);
    await service.stop();
    client.close();
  });

  it('without a requester (--auth none) nothing is impersonated', async () => {
    const { client, seen } = recordingClient(sim);
    const service = serviceOn(memoryBackend(), client, 'replica-c');
    const job = await service.startDrain('c1', nodes[2]!, { ...OPTIONS, dryRun: true });
    expect(job.requestedBy).toBeNull();
    await waitFor(async () => (await service.get(job.id))?.state === 'SUCCEEDED', { what: 'dry run done' });
    expect(seen.filter((s) => s.as !== undefined)).toEqual([]);
    await service.stop();
    client.close();
  });
});
