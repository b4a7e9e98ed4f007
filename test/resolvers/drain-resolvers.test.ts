import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { ANONYMOUS_CALLER } from '../../src/auth/caller.js';
import type { ClusterConnection } from '../../src/clusters/cluster-registry.js';
import { DEFAULT_CONFIG } from '../../src/config/gateway-config.js';
import { DrainRequestError } from '../../src/drain/drain-errors.js';
import type { DrainService } from '../../src/drain/drain-service.js';
import { RequestScope } from '../../src/platform/request-scope.js';
import { cordonNode, uncordonNode } from '../../src/resolvers/cordon.js';
import { drainJobEvents, drainJobs } from '../../src/resolvers/drain.js';
import type { GatewayContext } from '../../src/server/context.js';
import type { GatewayServices } from '../../src/server/services.js';

/** The calls the resolvers make to the drain service, and a canned answer for each. */
function fakeDrains(uncordonError?: Error) {
  const calls: unknown[][] = [];
  const drains: Partial<DrainService> = {
    async events(id, afterSequence, limit) {
      calls.push(['events', id, afterSequence, limit]);
      return [];
    },
    async list(filter) {
      calls.push(['list', filter.limit]);
      return [];
    },
    async cordon(cluster, node) {
      calls.push(['cordon', cluster, node]);
      return { cluster, name: node, schedulable: false } as Awaited<ReturnType<DrainService['cordon']>>;
    },
    async uncordon(cluster, node) {
      calls.push(['uncordon', cluster, node]);
      if (uncordonError) throw uncordonError;
      return { cluster, name: node, schedulable: true } as Awaited<ReturnType<DrainService['uncordon']>>;
    },
  };
  return { drains, calls };
}

function contextWith(drains: Partial<DrainService>): GatewayContext {
  const c1 = { name: 'c1' } as ClusterConnection;
  const clusters = {
    defaultCluster: 'c1',
    get: (n: string) => (n === 'c1' ? c1 : undefined),
    list: () => [c1],
  };
  const services = {
    config: { ...DEFAULT_CONFIG, maxPageSize: 1000 },
    drains,
    clusters,
  } as unknown as GatewayServices;
  return { services, caller: ANONYMOUS_CALLER, scope: new RequestScope(), responseExtensions: {} };
}

/** The error a resolver fails with, whether it throws at once or rejects. */
async function rejection(body: () => unknown): Promise<GraphQLError> {
  const err = await Promise.resolve()
    .then(body)
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  if (err instanceof GraphQLError) return err;
  throw new Error(`expected a GraphQLError, got ${String(err)}`);
}

describe('DrainJob.events', () => {
  it('first: 5000 is BAD_USER_INPUT, not clamped, and reads nothing', async () => {
    const { drains, calls } = fakeDrains();
    const err = await rejection(() => drainJobEvents(contextWith(drains), { id: 'j1' }, { first: 5000 }));
    expect(err.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'first', max: 1000 });
    expect(err.message).toBe('first must be between 0 and 1000');
    expect(calls).toEqual([]);
  });

  it.each<[string, { afterSequence?: number | null; first?: number | null }, unknown[]]>([
    ['omitted first reads 100', {}, ['events', 'j1', 0, 100]],
    ['first: 0 asks for none', { first: 0, afterSequence: 7 }, ['events', 'j1', 7, 0]],
    ['the maximum is served', { first: 1000 }, ['events', 'j1', 0, 1000]],
  ])('%s', async (_what, args, call) => {
    const { drains, calls } = fakeDrains();
    await drainJobEvents(contextWith(drains), { id: 'j1' }, args);
    expect(calls).toEqual([call]);
  });

  it('a negative first is refused rather than raised to 1', async () => {
    const { drains } = fakeDrains();
    const err = await rejection(() => drainJobEvents(contextWith(drains), { id: 'j1' }, { first: -1 }));
    expect(err.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('Query.drainJobs', () => {
  it('defaults to 50 and takes first like every other list', async () => {
    const { drains, calls } = fakeDrains();
    await drainJobs(contextWith(drains), {});
    await drainJobs(contextWith(drains), { first: 0 });
    expect(calls).toEqual([
      ['list', 50],
      ['list', 0],
    ]);
    const err = await rejection(() => drainJobs(contextWith(drains), { first: 1001 }));
    expect(err.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'first', max: 1000 });
  });
});

describe('cordonNode / uncordonNode', () => {
  it('resolve the default cluster and hand the node to the drain service', async () => {
    const { drains, calls } = fakeDrains();
    expect((await cordonNode(contextWith(drains), { name: 'n1' })).schedulable).toBe(false);
    expect((await uncordonNode(contextWith(drains), { cluster: 'c1', name: 'n1' })).schedulable).toBe(true);
    expect(calls).toEqual([
      ['cordon', 'c1', 'n1'],
      ['uncordon', 'c1', 'n1'],
    ]);
  });

  it("report the drain service's CONFLICT with the id of the drain in the way", async () => {
    const conflict = new DrainRequestError(
      'CONFLICT',
      'node n1 is being drained (job j9); cancel the drain first',
      {
        drainJobId: 'j9',
      },
    );
    const { drains } = fakeDrains(conflict);
    const err = await rejection(() => uncordonNode(contextWith(drains), { name: 'n1' }));
    expect(err.message).toBe(conflict.message);
    expect(err.extensions).toMatchObject({ code: 'CONFLICT', drainJobId: 'j9', http: { status: 409 } });
  });

  it('an unknown cluster is NOT_FOUND before the drain service is asked', async () => {
    const { drains, calls } = fakeDrains();
    const err = await rejection(async () =>
      cordonNode(contextWith(drains), { cluster: 'north', name: 'n1' }),
    );
    expect(err.extensions?.code).toBe('NOT_FOUND');
    expect(calls).toEqual([]);
  });
});
