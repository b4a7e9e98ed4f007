import { getEventListeners } from 'node:events';
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeApiError } from '../../src/clusters/kube-api-error.js';
import { KubeHttpClient } from '../../src/clusters/kube-client.js';
import { GatewayMetrics } from '../../src/platform/metrics.js';
import { type SimulatorHandle, startSimulator } from '../../src/sim/index.js';

describe('KubeHttpClient against the simulator', () => {
  let sim: SimulatorHandle;
  let client: KubeHttpClient;
  let metrics: GatewayMetrics;

  beforeAll(async () => {
    sim = await startSimulator({ nodes: 3, pods: 10, heartbeatIntervalMs: 0 });
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromString(sim.kubeconfig());
    metrics = new GatewayMetrics({ collectProcessMetrics: false });
    client = new KubeHttpClient({ cluster: 'sim', kubeConfig, apiTimeoutMs: 300, metrics });
  });
  afterAll(async () => {
    client?.close();
    await sim?.stop();
  });

  it('reads JSON over TLS with the kubeconfig token and CA', async () => {
    const list = await client.json<{ items: unknown[] }>({ path: '/api/v1/nodes' });
    expect(list.items).toHaveLength(3);
  });

  it('turns a Status answer into a KubeApiError of the right kind, keeping the message', async () => {
    const err = await client.json({ path: '/api/v1/nodes/no-such-node' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KubeApiError);
    expect(err).toMatchObject({ kind: 'NOT_FOUND', statusCode: 404, status: { reason: 'NotFound' } });
    expect((err as Error).message).toMatch(/no-such-node/);
  });

  it('gives up at the API timeout when the server does not answer', async () => {
    sim.faults.failNext(1, 0, { resource: 'nodes', verb: 'list' });
    const err = await client.json({ path: '/api/v1/nodes' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'TIMEOUT', statusCode: 0 });
    const text = await metrics.registry.getSingleMetricAsString('gateway_kube_api_timeouts_total');
    expect(text).toMatch(/gateway_kube_api_timeouts_total\{cluster="sim",verb="list",resource="nodes"\} 1/);
  });

  it('leaves no listener on a long-lived abort signal once requests are done', async () => {
    const informerLifetime = new AbortController();
    for (let i = 0; i < 5; i++) {
      await client.json({ path: '/api/v1/nodes', signal: informerLifetime.signal });
    }
    const watch = await client.stream({
      path: '/api/v1/nodes',
      query: { watch: true, timeoutSeconds: 1 },
      signal: informerLifetime.signal,
    });
    watch.body.resume();
    await new Promise((resolve) => watch.body.once('close', resolve));
    expect(getEventListeners(informerLifetime.signal, 'abort')).toHaveLength(0);
  });

  it('refuses a call whose signal is already aborted, and the destroyed request ends nothing', async () => {
    // The request is destroyed before it has a socket: its 'error' (socket hang up) comes on the
    // next tick, and an 'error' nobody listened to ended the process (a page read ahead, then
    // abandoned, did that under the fuzzer).
    const unhandled: unknown[] = [];
    const onUncaught = (err: unknown) => unhandled.push(err);
    process.on('uncaughtException', onUncaught);
    try {
      const aborted = AbortSignal.abort();
      const err = await client.stream({ path: '/api/v1/nodes', signal: aborted }).catch((e: unknown) => e);
      expect(err).toMatchObject({ kind: 'UNAVAILABLE' });
      expect((err as Error).message).toMatch(/aborted/);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('uncaughtException', onUncaught);
    }
  });

  it('ends an open stream when the caller aborts', async () => {
    const abort = new AbortController();
    const watch = await client.stream({
      path: '/api/v1/nodes',
      query: { watch: true },
      signal: abort.signal,
    });
    const closed = new Promise((resolve) => watch.body.once('close', resolve));
    abort.abort();
    await closed;
    expect(watch.body.destroyed).toBe(true);
  });
});
