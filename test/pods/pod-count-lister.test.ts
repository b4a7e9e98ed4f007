import { afterEach, describe, expect, it } from 'vitest';
import { KubeApiError } from '../../src/clusters/kube-api-error.js';
import { listPodCountsByNode } from '../../src/pods/pod-count-lister.js';
import { listPodsOnNode } from '../../src/pods/pods-on-node.js';
import { type FakePod, type FakePodApiOptions, startFakePodApi } from './fake-pod-api.js';

const PHASES = ['Running', 'Running', 'Pending', 'Succeeded', 'Failed', 'Unknown'];

function makePods(count: number, nodes: number): FakePod[] {
  return Array.from({ length: count }, (_, i) => ({
    namespace: `ns-${i % 3}`,
    name: `pod-${String(i).padStart(4, '0')}`,
    nodeName: i % 17 === 0 ? undefined : `node-${i % nodes}`,
    phase: PHASES[i % PHASES.length]!,
  }));
}

function expectedCounts(pods: FakePod[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const p of pods) {
    if (p.nodeName && p.phase !== 'Succeeded' && p.phase !== 'Failed')
      counts[p.nodeName] = (counts[p.nodeName] ?? 0) + 1;
  }
  return counts;
}

let stop: (() => Promise<void>) | undefined;
afterEach(async () => {
  await stop?.();
  stop = undefined;
});

async function fake(options: FakePodApiOptions) {
  const api = await startFakePodApi(options);
  stop = api.stop;
  return api;
}

describe('listPodCountsByNode', () => {
  const pods = makePods(1234, 40);

  it('counts non-terminal pods per node from one paged Table chain', async () => {
    const api = await fake({ pods });
    const result = await listPodCountsByNode(api.client(), { timeoutMs: 2000, pageSize: 100 });
    expect(Object.fromEntries(result.counts)).toEqual(expectedCounts(pods));
    expect(result.format).toBe('table');
    const live = pods.filter((p) => p.phase !== 'Succeeded' && p.phase !== 'Failed').length;
    expect(result.pods).toBe(live);
    expect(result.pages).toBe(Math.ceil(live / 100));
    expect(api.requests).toHaveLength(result.pages);
    api.requests.forEach((r, i) => {
      expect(r.accept).toContain('as=Table');
      expect(r.query).toMatchObject({
        fieldSelector: 'status.phase!=Succeeded,status.phase!=Failed',
        includeObject: 'None',
        limit: '100',
      });
      expect(r.query.continue).toBe(i === 0 ? undefined : String(i * 100));
    });
  });

  it('falls back to paged full pods when the server answers the Table Accept with a PodList', async () => {
    const api = await fake({ pods, tables: false });
    const result = await listPodCountsByNode(api.client(), { timeoutMs: 2000, pageSize: 250 });
    expect(result.format).toBe('object');
    expect(Object.fromEntries(result.counts)).toEqual(expectedCounts(pods));
    expect(result.pages).toBeGreaterThan(1);
  });

  it('copes with a server that ignores limit and sends everything in one page', async () => {
    const api = await fake({ pods, paging: false, tables: false });
    const result = await listPodCountsByNode(api.client(), { timeoutMs: 2000, pageSize: 10 });
    expect(result.pages).toBe(1);
    expect(Object.fromEntries(result.counts)).toEqual(expectedCounts(pods));
  });

  it('fails with TIMEOUT when a page body stalls past the deadline', async () => {
    const api = await fake({ pods, breakAfterBytes: { bytes: 500, how: 'stall', page: 1 } });
    const started = Date.now();
    const err = await listPodCountsByNode(api.client(), { timeoutMs: 300, pageSize: 100 }).catch((e) => e);
    expect(err).toBeInstanceOf(KubeApiError);
    expect(err).toMatchObject({ kind: 'TIMEOUT' });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('fails with UNAVAILABLE when the connection drops mid-page', async () => {
    const api = await fake({ pods, breakAfterBytes: { bytes: 700, how: 'drop' } });
    const err = await listPodCountsByNode(api.client(), { timeoutMs: 2000, pageSize: 100 }).catch((e) => e);
    expect(err).toMatchObject({ kind: 'UNAVAILABLE' });
  });

  it('reports an API error status as its kind', async () => {
    const api = await fake({ pods });
    const client = api.client();
    const err = await listPodsOnNode(
      { cluster: client.cluster, stream: (req) => client.stream({ ...req, path: '/api/v1/nope' }) },
      { node: 'node-1' },
      { timeoutMs: 1000 },
    ).catch((e) => e);
    expect(err).toMatchObject({ kind: 'NOT_FOUND', statusCode: 404 });
  });
});

describe('listPodsOnNode', () => {
  const pods = makePods(600, 5);

  it('lists the pods of one node, paged, trimmed and sorted by namespace and name', async () => {
    const api = await fake({ pods });
    const listed = await listPodsOnNode(api.client(), { node: 'node-3' }, { timeoutMs: 2000, pageSize: 40 });
    const expected = pods
      .filter((p) => p.nodeName === 'node-3')
      .map((p) => `${p.namespace}/${p.name}`)
      .sort();
    expect(listed.map((p) => `${p.metadata.namespace}/${p.metadata.name}`)).toEqual(expected);
    expect(listed[0]?.metadata).not.toHaveProperty('managedFields');
    expect(api.requests.length).toBeGreaterThan(1);
    expect(api.requests[0]?.accept).not.toContain('Table');
    expect(api.requests[0]?.query.fieldSelector).toBe('spec.nodeName=node-3');
  });

  it('narrows by namespace and phase on the server', async () => {
    const api = await fake({ pods });
    const listed = await listPodsOnNode(
      api.client(),
      { node: 'node-3', namespace: 'ns-1', phase: 'Pending' },
      { timeoutMs: 2000 },
    );
    const expected = pods.filter(
      (p) => p.nodeName === 'node-3' && p.namespace === 'ns-1' && p.phase === 'Pending',
    );
    expect(listed.map((p) => p.metadata.name)).toEqual(expected.map((p) => p.name).sort());
    expect(api.requests[0]?.path).toBe('/api/v1/namespaces/ns-1/pods');
    expect(api.requests[0]?.query.fieldSelector).toBe('spec.nodeName=node-3,status.phase=Pending');
  });
});
