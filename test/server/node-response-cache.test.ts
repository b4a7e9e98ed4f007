import { join } from 'node:path';
import { useGraphQlJit } from '@envelop/graphql-jit';
import { createYoga, type Plugin } from 'graphql-yoga';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config/gateway-config.js';
import { createLogger } from '../../src/platform/logger.js';
import { GatewayMetrics } from '../../src/platform/metrics.js';
import { buildSchema } from '../../src/schema/index.js';
import type { GatewayContext } from '../../src/server/context.js';
import { createGatewayContext } from '../../src/server/create-yoga.js';
import { createGatewayRuntime, type GatewayRuntime } from '../../src/server/gateway-runtime.js';
import { nodeAnswerVersionOf, useNodeResponseCache } from '../../src/server/use-node-response-cache.js';
import { useResponseExtensions } from '../../src/server/use-response-extensions.js';
import { type SimulatorHandle, startSimulator } from '../../src/sim/index.js';
import { tempDir } from '../support/temp-dir.js';
import { waitFor } from '../support/wait-for.js';

const NAMES = '{ nodes { totalCount nodes { name labels { key value } } } }';

describe('useNodeResponseCache', () => {
  let sim: SimulatorHandle;
  let runtime: GatewayRuntime;
  let metrics: GatewayMetrics;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let yoga: ReturnType<typeof createYoga<Record<string, unknown>, GatewayContext>>;

  beforeAll(async () => {
    sim = await startSimulator({ nodes: 10, pods: 40, seed: 61, heartbeatIntervalMs: 0 });
    dir = await tempDir();
    const kubeconfigPath = join(dir.path, 'kubeconfig');
    await sim.writeKubeconfig(kubeconfigPath);
    metrics = new GatewayMetrics({ collectProcessMetrics: false });
    runtime = createGatewayRuntime(
      { ...DEFAULT_CONFIG, kubeconfigPaths: [kubeconfigPath], logLevel: 'silent' },
      createLogger('silent'),
      metrics,
    );
    await runtime.start();
    const services = runtime.services;
    await waitFor(() => services.nodes.states()[0]?.status === 'READY', { what: 'cache in sync' });
    yoga = createYoga<Record<string, unknown>, GatewayContext>({
      schema: buildSchema(),
      context: () => createGatewayContext(services),
      plugins: [
        useResponseExtensions(),
        useGraphQlJit() as Plugin<GatewayContext>,
        useNodeResponseCache(nodeAnswerVersionOf(services), { registry: metrics.registry }),
      ],
      logging: false,
    });
  });

  afterAll(async () => {
    await runtime?.stop();
    await sim?.stop();
    await dir?.cleanup();
  });

  async function post(query: string, variables?: Record<string, unknown>): Promise<string> {
    const res = await yoga.fetch('http://gateway/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    return res.text();
  }

  async function outcomes(): Promise<Record<string, number>> {
    const metric = await metrics.registry.getSingleMetric('gateway_node_response_cache_total')?.get();
    return Object.fromEntries((metric?.values ?? []).map((v) => [String(v.labels.outcome), v.value]));
  }

  it('answers a repeated node query from the cache, byte for byte', async () => {
    const before = await outcomes();
    const first = await post(NAMES);
    const second = await post(NAMES);
    expect(second).toBe(first);
    expect(JSON.parse(first).data.nodes.totalCount).toBe(10);
    const after = await outcomes();
    expect((after.hit ?? 0) - (before.hit ?? 0)).toBe(1);
  });

  it('answers anew once a node changed', async () => {
    await post(NAMES);
    const name = sim.cluster.listNodes()[0]!.metadata!.name!;
    sim.cluster.patchNode(name, (n) => {
      n.metadata!.labels!.fresh = 'yes';
    });
    const changed = await waitFor(
      async () => {
        const body = await post(NAMES);
        return body.includes('"fresh"') ? body : undefined;
      },
      { what: 'the new label in the answer' },
    );
    expect(JSON.parse(changed).data.nodes.nodes[0].labels).toContainEqual({ key: 'fresh', value: 'yes' });
  });

  it('never reuses answers with fields read from the API, or errors', async () => {
    const before = await outcomes();
    const withPods = '{ nodes(first: 2) { nodes { name podCount } } }';
    const a = JSON.parse(await post(withPods));
    expect(a.data.nodes.nodes[0].podCount).toEqual(expect.any(Number));
    await post(withPods);
    await post('query($c: String) { nodes(cluster: $c) { totalCount } }', { c: 'nope' });
    const bad = JSON.parse(
      await post('query($c: String) { nodes(cluster: $c) { totalCount } }', { c: 'nope' }),
    );
    expect(bad.errors[0].extensions.code).toBe('NOT_FOUND');
    const after = await outcomes();
    expect((after.hit ?? 0) - (before.hit ?? 0)).toBe(0);
  });

  it('keys answers by variables', async () => {
    const query = 'query($f: Int) { nodes(first: $f) { nodes { name } } }';
    const one = JSON.parse(await post(query, { f: 1 }));
    const two = JSON.parse(await post(query, { f: 2 }));
    expect(one.data.nodes.nodes).toHaveLength(1);
    expect(two.data.nodes.nodes).toHaveLength(2);
  });
});
