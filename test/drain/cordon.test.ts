import { afterEach, describe, expect, it } from 'vitest';
import { DrainRequestError } from '../../src/drain/drain-errors.js';
import { DEFAULT_DRAIN_OPTIONS } from '../../src/drain/drain-options.js';
import type { DrainService } from '../../src/drain/drain-service.js';
import { waitFor } from '../support/wait-for.js';
import { drainService, memoryBackend } from './drain-service-fixture.js';
import { FakeDrainApi, pod, tooManyRequests } from './fake-drain-api.js';

const services: DrainService[] = [];
afterEach(async () => {
  await Promise.all(services.splice(0).map((s) => s.stop()));
});

function setup() {
  const api = new FakeDrainApi(['node-1', 'node-2']);
  const { service } = drainService(memoryBackend(), api);
  services.push(service);
  service.start();
  return { api, service };
}

describe('DrainService cordon and uncordon', () => {
  it('cordon patches spec.unschedulable and resolves the projected node', async () => {
    const { api, service } = setup();
    const node = await service.cordon('c1', 'node-1');
    expect(node).toMatchObject({ cluster: 'c1', name: 'node-1', schedulable: false });
    expect(api.calls).toEqual(['patch node-1 unschedulable=true']);
    expect(api.nodes.get('node-1')?.unschedulable).toBe(true);
  });

  it('uncordon makes an undrained node schedulable again', async () => {
    const { api, service } = setup();
    await service.cordon('c1', 'node-1');
    const node = await service.uncordon('c1', 'node-1');
    expect(node.schedulable).toBe(true);
    expect(api.callsOf('patch')).toEqual([
      'patch node-1 unschedulable=true',
      'patch node-1 unschedulable=false',
    ]);
  });

  it('refuses to uncordon a node while its drain runs, naming the job, and patches nothing', async () => {
    const { api, service } = setup();
    api.addPods(pod('web'));
    api.evictionRule = () => tooManyRequests();
    const job = await service.startDrain('c1', 'node-1', DEFAULT_DRAIN_OPTIONS);
    await waitFor(() => api.callsOf('evict').length > 0, { what: 'the drain to start evicting' });
    const err = await service.uncordon('c1', 'node-1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DrainRequestError);
    expect(err).toMatchObject({
      code: 'CONFLICT',
      message: `node node-1 is being drained (job ${job.id}); cancel the drain before uncordoning`,
      extensions: { drainJobId: job.id },
    });
    expect(api.nodes.get('node-1')?.unschedulable).toBe(true);
    expect(api.callsOf('patch node-1 unschedulable=false')).toEqual([]);
    // Another node's drain is no reason to refuse.
    expect((await service.uncordon('c1', 'node-2')).schedulable).toBe(true);
  });

  it('a cluster the service does not serve is NOT_FOUND', async () => {
    const { service } = setup();
    await expect(service.cordon('elsewhere', 'node-1')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
