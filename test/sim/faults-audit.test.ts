import { mkdtempSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuditEntry, type SimulatorHandle, startSimulator } from '../../src/sim/index.js';
import { waitFor } from '../support/wait-for.js';
import { api, watch } from './helpers.js';

let sim: SimulatorHandle;
const auditPath = join(mkdtempSync(join(tmpdir(), 'sim-audit-')), 'audit.jsonl');

beforeAll(async () => {
  sim = await startSimulator({ nodes: 8, pods: 80, heartbeatIntervalMs: 0, auditLogPath: auditPath });
});
afterAll(() => sim.stop());

describe('fault injection', () => {
  it('adds latency per resource and verb', async () => {
    sim.faults.setLatency('pods', 'list', 150);
    let start = performance.now();
    await api(sim, '/api/v1/pods');
    expect(performance.now() - start).toBeGreaterThanOrEqual(140);
    start = performance.now();
    await api(sim, '/api/v1/nodes');
    expect(performance.now() - start).toBeLessThan(140);
    sim.faults.setLatency('pods', 'list', 0);
  });

  it('fails the next N matching requests with a Status of the given code', async () => {
    sim.faults.failNext(2, 503, { resource: 'nodes', verb: 'list' });
    expect((await api(sim, '/api/v1/pods')).status).toBe(200);
    const first = await api(sim, '/api/v1/nodes');
    expect(first.status).toBe(503);
    expect(first.body).toMatchObject({ kind: 'Status', code: 503, reason: 'ServiceUnavailable' });
    expect((await api(sim, '/api/v1/nodes')).status).toBe(503);
    expect((await api(sim, '/api/v1/nodes')).status).toBe(200);
    for (const code of [403, 404, 409, 410, 422, 429, 500]) {
      sim.faults.failNext(1, code);
      const res = await api(sim, '/api/v1/nodes/node-0001');
      expect(res.status).toBe(code);
      expect((res.body as { code: number }).code).toBe(code);
    }
  });

  it('hangs a request with code 0 until the client gives up', async () => {
    sim.faults.failNext(1, 0, { resource: 'nodes' });
    const pending = api(sim, '/api/v1/nodes').catch((e: unknown) => e);
    const raced = await Promise.race([
      pending,
      new Promise((r) => setTimeout(() => r('still waiting'), 300)),
    ]);
    expect(raced).toBe('still waiting');
    // The hung request only ends when its connection is closed.
    sim.faults.refuseConnections(50);
    expect(await pending).toBeInstanceOf(Error);
  });

  it('refuses connections for a while, then listens on the same port again', async () => {
    sim.faults.refuseConnections(300);
    const err = await api(sim, '/version').catch((e: unknown) => e);
    expect((err as NodeJS.ErrnoException).code).toBe('ECONNREFUSED');
    const back = await waitFor(async () => {
      const res = await api(sim, '/version').catch(() => undefined);
      return res?.status === 200 ? res : undefined;
    });
    expect(back.status).toBe(200);
  });

  it('drops watches and closes them on refuseConnections too', async () => {
    const w = await watch(sim, `/api/v1/nodes?watch=true&resourceVersion=${sim.cluster.resourceVersion}`);
    sim.faults.refuseConnections(50);
    await w.ended;
    await waitFor(async () => (await api(sim, '/version').catch(() => undefined))?.status === 200);
  });

  it('reset() clears latency and pending failures', async () => {
    sim.faults.setLatency('*', '*', 500);
    sim.faults.failNext(5, 500);
    sim.faults.reset();
    const start = performance.now();
    expect((await api(sim, '/api/v1/nodes')).status).toBe(200);
    expect(performance.now() - start).toBeLessThan(400);
  });
});

describe('audit log', () => {
  it('records one entry per request with verb, resource, selectors, limit, continue, table and code', async () => {
    sim.audit.clear();
    await api(
      sim,
      '/api/v1/namespaces/kube-system/pods?labelSelector=a%3Db&fieldSelector=spec.nodeName%3Dnode-0004&limit=5',
    );
    await api(sim, '/api/v1/nodes/node-0004', { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' });
    await api(sim, '/api/v1/nodes/nope');
    await api(sim, '/api/v1/nodes', { token: null });
    const w = await watch(sim, `/api/v1/nodes?watch=true&resourceVersion=${sim.cluster.resourceVersion}`);
    w.close();
    const entries = sim.audit.entries();
    expect(entries.map((e) => [e.verb, e.resource, e.code])).toEqual([
      ['list', 'pods', 200],
      ['get', 'nodes', 200],
      ['get', 'nodes', 404],
      ['list', 'nodes', 401],
      ['watch', 'nodes', 200],
    ]);
    expect(entries[0]).toMatchObject({
      user: 'kubernetes-admin',
      namespace: 'kube-system',
      labelSelector: 'a=b',
      fieldSelector: 'spec.nodeName=node-0004',
      limit: 5,
      continue: false,
      table: false,
    });
    expect(entries[1]).toMatchObject({ name: 'node-0004', table: true });
    expect(entries[3]!.user).toBe('system:anonymous');
    expect(entries.every((e) => typeof e.latencyMs === 'number' && e.time.endsWith('Z'))).toBe(true);
    expect(sim.audit.count({ resource: 'nodes' })).toBe(4);
    expect(sim.audit.count({ verb: 'list', resource: 'pods' })).toBe(1);
  });

  it('records subresources and writes', async () => {
    sim.audit.clear();
    const pod = sim.cluster.listPods({ namespace: 'batch-jobs' })[0]!;
    await api(sim, `/api/v1/namespaces/batch-jobs/pods/${pod.metadata!.name}/eviction`, {
      method: 'POST',
      body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: pod.metadata!.name } },
    });
    await api(sim, '/api/v1/nodes/node-0003', {
      method: 'PATCH',
      body: { metadata: { labels: { a: 'b' } } },
      contentType: 'application/merge-patch+json',
    });
    expect(sim.audit.entries().map((e) => [e.verb, e.resource, e.subresource, e.code])).toEqual([
      ['create', 'pods', 'eviction', 201],
      ['patch', 'nodes', undefined, 200],
    ]);
  });

  it('appends JSON lines to the audit log file', async () => {
    const lines = await waitFor(async () => {
      const text = await readFile(auditPath, 'utf8');
      const parsed = text
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as AuditEntry);
      return parsed.some((e) => e.verb === 'patch') ? parsed : undefined;
    });
    expect(lines.length).toBeGreaterThan(10);
    expect(lines.at(-1)).toMatchObject({ verb: 'patch', resource: 'nodes', name: 'node-0003' });
  });
});
