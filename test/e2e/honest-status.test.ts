import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type GatewayConfig } from '../../src/config/gateway-config.js';
import { allProgress, startDrain, untilFinished, workerNodePicker } from '../drain/drain-e2e-support.js';
import { SIM_DRAIN_CONFIG } from '../support/drain-timings.js';
import { printDocument } from '../support/graphql-clients.js';
import { waitFor } from '../support/wait-for.js';
import {
  type SimCluster,
  startGateway,
  startSimCluster,
  type TestGateway,
  tempDir,
  writeMergedKubeconfig,
} from './harness.js';
import { waitForClusterStatus } from './nodes-helpers.js';
import { DRAIN_PROGRESS } from './operations/drain.js';
import { TWO_CORDONS } from './operations/honest-status.js';
import { NODE_NAMES_QUERY } from './operations/nodes.js';

/** Retries an unreachable API quickly, so a cluster that comes back is READY in well under a second. */
const FAST_RETRY: Partial<GatewayConfig> = {
  nodeWatch: { ...DEFAULT_CONFIG.nodeWatch, retryInitialMs: 50, retryMaxMs: 200 },
};

async function readyz(
  gateway: TestGateway,
): Promise<{ status: number; failing: { name: string; reason: string }[] }> {
  const res = await fetch(`${gateway.baseUrl}/readyz`);
  const body = (await res.json()) as { failing: { name: string; reason: string }[] };
  return { status: res.status, failing: body.failing };
}

/** A payload as a client received it, errors required (so the check cannot pass on an empty answer). */
function expectErrorsWithoutHttp(payload: { errors?: unknown[] }): void {
  expect(payload.errors?.length).toBeGreaterThan(0);
  expect(JSON.stringify(payload)).not.toContain('"http"');
}

describe('honest status: partial mutations and error payloads', () => {
  let cluster: SimCluster;
  let gateway: TestGateway;
  const pickNode = workerNodePicker(() => cluster.sim);

  beforeAll(async () => {
    cluster = await startSimCluster({ nodes: 5, pods: 30, seed: 11 });
    gateway = await startGateway({
      kubeconfigPath: cluster.kubeconfigPath,
      config: { drain: SIM_DRAIN_CONFIG },
    });
  });
  afterAll(async () => {
    await gateway?.stop();
    await cluster?.stop();
  });

  it('answers a mutation with one failing alias 200, with the other alias applied and one error at the failed path', async () => {
    const good = pickNode();
    const res = await fetch(gateway.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
      body: JSON.stringify({ query: printDocument(TWO_CORDONS), variables: { good, bad: 'no-such-node' } }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      data: { good: { name: string; schedulable: boolean } | null; bad: unknown } | null;
      errors: { path: string[]; extensions: Record<string, unknown> }[];
    };
    expect(body.data).toEqual({ good: { name: good, schedulable: false }, bad: null });
    expect(body.errors).toHaveLength(1);
    expect(body.errors[0]).toMatchObject({ path: ['bad'], extensions: { code: 'NOT_FOUND' } });
    expect(body.errors[0]?.extensions).not.toHaveProperty('http');
    expect(cluster.sim.cluster.getNode(good)?.spec?.unschedulable).toBe(true);
  });

  it('sends no extensions.http over HTTP, SSE or graphql-ws', async () => {
    expectErrorsWithoutHttp(await gateway.query(TWO_CORDONS, { good: pickNode(), bad: 'no-such-node' }));
    // A whole operation refused: HTTP keeps its status, the body still has no `http`.
    expectErrorsWithoutHttp(await gateway.query(NODE_NAMES_QUERY, { cluster: 'no-such-cluster' }));

    // SSE: a subscription refused at its start is answered with the status and a JSON body.
    const sse = await fetch(gateway.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({
        query: printDocument(DRAIN_PROGRESS),
        variables: { id: '00000000-0000-4000-8000-00000000dead' },
      }),
    });
    const sseText = await sse.text();
    expect(sseText).toContain('NOT_FOUND');
    expect(sseText).not.toContain('"http"');

    const wsMutation = gateway.subscribe(TWO_CORDONS, { good: pickNode(), bad: 'no-such-node' });
    const wsResult = await wsMutation.next();
    expect(wsResult.data?.good).not.toBeNull();
    expectErrorsWithoutHttp(wsResult);
    const wsSubscription = gateway.subscribe(DRAIN_PROGRESS, { id: '00000000-0000-4000-8000-00000000dead' });
    expectErrorsWithoutHttp(await wsSubscription.next());
  });

  it('gives a late drainProgress subscriber the snapshot, then the terminal event', async () => {
    const job = await startDrain(gateway, pickNode(), { force: true, deleteEmptyDirData: true });
    const finished = await untilFinished(gateway, job.id);
    expect(finished.state).toBe('SUCCEEDED');
    const events = await allProgress(gateway.subscribe(DRAIN_PROGRESS, { id: job.id }));
    expect(events.map((e) => e.kind)).toEqual(['JOB_SNAPSHOT', 'JOB_SUCCEEDED']);
    expect(events[0]?.job).toMatchObject({ state: 'SUCCEEDED' });
    expect(events[1]?.sequence).toBe((events[0]?.sequence ?? 0) + 1);
    expect(events[1]?.sequence).toBe(finished.events.at(-1)?.sequence);
  });

  it('is ready once its only cluster has synced', async () => {
    await waitForClusterStatus(gateway, 'READY');
    expect(await readyz(gateway)).toEqual({ status: 200, failing: [] });
  });
});

describe('honest status: readiness and errors of unreachable clusters', () => {
  let healthy: SimCluster;
  let down: SimCluster;
  let onlyDown: TestGateway;
  let both: TestGateway;
  let dir: Awaited<ReturnType<typeof tempDir>>;

  beforeAll(async () => {
    [healthy, down] = await Promise.all([
      startSimCluster({ nodes: 3, pods: 0, contextName: 'healthy' }),
      startSimCluster({ nodes: 3, pods: 0, contextName: 'down' }),
    ]);
    // Every connection refused before any gateway could sync: the cache was never filled.
    down.sim.faults.refuseConnections(600_000);
    dir = await tempDir();
    const merged = join(dir.path, 'kubeconfig');
    await writeMergedKubeconfig(merged, [healthy, down]);
    [onlyDown, both] = await Promise.all([
      startGateway({ kubeconfigPath: down.kubeconfigPath, config: FAST_RETRY }),
      startGateway({ kubeconfigPath: merged, allContexts: true, config: FAST_RETRY }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([onlyDown?.stop(), both?.stop()]);
    await Promise.all([healthy?.stop(), down?.stop()]);
    await dir?.cleanup();
  });

  it('answers nodes of a never-synced, unreachable cluster UPSTREAM_UNAVAILABLE', async () => {
    await waitForClusterStatus(onlyDown, 'UNREACHABLE');
    const res = await onlyDown.query(NODE_NAMES_QUERY);
    expect(res.errors?.[0]?.extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(res.errors?.[0]?.message).toMatch(/cluster down/);
  });

  it('answers /readyz 503 while its only cluster is UNREACHABLE', async () => {
    await waitForClusterStatus(onlyDown, 'UNREACHABLE');
    const report = await readyz(onlyDown);
    expect(report.status).toBe(503);
    expect(report.failing).toEqual([
      { name: 'node-caches', reason: "no cluster's node cache has synced (down UNREACHABLE)" },
    ]);
  });

  it('stays ready with one cluster of two UNREACHABLE: the other one is served', async () => {
    await waitForClusterStatus(both, 'UNREACHABLE', ['down']);
    await waitForClusterStatus(both, 'READY', ['healthy']);
    expect(await readyz(both)).toEqual({ status: 200, failing: [] });
  });

  it('turns ready once the only cluster answers and its cache syncs', async () => {
    down.sim.faults.refuseConnections(1);
    await waitForClusterStatus(onlyDown, 'READY');
    await waitFor(async () => (await readyz(onlyDown)).status === 200, { what: '/readyz 200' });
  });
});
