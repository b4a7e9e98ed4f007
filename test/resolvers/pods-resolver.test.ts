import { describe, expect, it } from 'vitest';
import { ANONYMOUS_CALLER } from '../../src/auth/caller.js';
import { KubeApiError } from '../../src/clusters/kube-api-error.js';
import { DEFAULT_CONFIG } from '../../src/config/gateway-config.js';
import { RequestScope } from '../../src/platform/request-scope.js';
import type { PodCountsByNode } from '../../src/pods/pod-count-lister.js';
import type { PodService } from '../../src/pods/pod-service.js';
import { loadPodCount } from '../../src/resolvers/pods.js';
import type { GatewayContext } from '../../src/server/context.js';
import type { GatewayServices } from '../../src/server/services.js';

function contextWith(pods: PodService): GatewayContext {
  const services = { config: DEFAULT_CONFIG, pods } as unknown as GatewayServices;
  return { services, caller: ANONYMOUS_CALLER, scope: new RequestScope(), responseExtensions: {} };
}

function countingService(fail?: KubeApiError) {
  const calls: string[] = [];
  const service: PodService = {
    async podCounts(cluster): Promise<PodCountsByNode> {
      calls.push(cluster);
      if (fail) throw fail;
      return {
        cluster,
        counts: new Map([['n1', 4]]),
        pods: 4,
        pages: 1,
        format: 'table',
        startedAt: 0,
        durationMs: 0,
      };
    },
    podsOnNode: async () => [],
    podAllocations: async () => {
      throw new Error('not used');
    },
    nodeUsage: async () => {
      throw new Error('not used');
    },
    nodeEvents: async () => [],
  };
  return { service, calls };
}

describe('loadPodCount', () => {
  it('asks for a cluster once per request even across separate loader batches', async () => {
    const { service, calls } = countingService();
    const ctx = contextWith(service);
    expect(await loadPodCount(ctx, { cluster: 'c', name: 'n1' })).toBe(4);
    expect(await loadPodCount(ctx, { cluster: 'c', name: 'n2' })).toBe(0);
    expect(calls).toEqual(['c']);
    await loadPodCount(contextWith(service), { cluster: 'c', name: 'n1' });
    expect(calls).toEqual(['c', 'c']);
  });

  it('maps a failed LIST to a GraphQL error with the gateway code', async () => {
    const { service } = countingService(new KubeApiError('FORBIDDEN', 'pods is forbidden', 403));
    const err = await loadPodCount(contextWith(service), { cluster: 'c', name: 'n1' }).catch((e) => e);
    expect(err.extensions).toMatchObject({ code: 'FORBIDDEN', kubeStatus: 403 });
    expect(err.message).toBe('counting pods in cluster c: pods is forbidden');
  });
});
