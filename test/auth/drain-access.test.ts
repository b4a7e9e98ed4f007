import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { GraphQLResolveInfo } from 'graphql';
import { describe, expect, it } from 'vitest';
import { MemoryAuditTrail, openAuditTrail } from '../../src/auth/audit-trail.js';
import type { Authorizer } from '../../src/auth/authorizer.js';
import type { Caller } from '../../src/auth/caller.js';
import type { ClusterConnection } from '../../src/clusters/cluster-registry.js';
import { DEFAULT_CONFIG } from '../../src/config/gateway-config.js';
import type { DrainJob } from '../../src/drain/drain-job.js';
import { newDrainJob } from '../../src/drain/drain-job.js';
import { DEFAULT_DRAIN_OPTIONS } from '../../src/drain/drain-options.js';
import type { DeliveredDrainEvent } from '../../src/drain/drain-progress-stream.js';
import type { DrainService } from '../../src/drain/drain-service.js';
import { RequestScope } from '../../src/platform/request-scope.js';
import { drainJob, drainJobs, drainNode, subscribeDrainProgress } from '../../src/resolvers/drain.js';
import { bulkDrainJob } from '../../src/resolvers/drain-bulk.js';
import type { GatewayContext } from '../../src/server/context.js';
import type { GatewayServices } from '../../src/server/services.js';
import { tempDir } from '../support/temp-dir.js';

const alice: Caller = { username: 'alice', groups: ['devs'], uid: 'a-1', anonymous: false };

/** Alice may see (get nodes in) cluster "mine" only; she may drain nowhere. */
function clusterAuthorizer(visible: Set<string>): Authorizer & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    async allowed(_caller, cluster, a) {
      calls.push(`${cluster} ${a.verb} ${a.resource}`);
      return { allowed: a.verb === 'get' && a.resource === 'nodes' && visible.has(cluster) };
    },
  };
}

function job(id: string, cluster: string): DrainJob {
  return newDrainJob({ id, cluster, node: 'n1', options: DEFAULT_DRAIN_OPTIONS, now: new Date() });
}

function contextWith(drains: Partial<DrainService>, authorizer: Authorizer, audit = new MemoryAuditTrail()) {
  const connections = ['mine', 'theirs'].map((name) => ({ name }) as ClusterConnection);
  const services = {
    config: { ...DEFAULT_CONFIG, authz: { cacheTtlMs: 0, recheckMs: 20 } },
    drains,
    authorizer,
    audit,
    clusters: {
      defaultCluster: 'mine',
      get: (n: string) => connections.find((c) => c.name === n),
      list: () => connections,
    },
  } as unknown as GatewayServices;
  const ctx: GatewayContext = { services, caller: alice, scope: new RequestScope(), responseExtensions: {} };
  return { ctx, audit };
}

describe('drain jobs and authorization', () => {
  const jobs = [
    job('00000000-0000-4000-8000-000000000001', 'mine'),
    job('00000000-0000-4000-8000-000000000002', 'theirs'),
    job('00000000-0000-4000-8000-000000000003', 'mine'),
  ];
  const drains: Partial<DrainService> = {
    list: async () => jobs,
    get: async (id) => jobs.find((j) => j.id === id),
  };

  it('drainJobs and drainJob show only jobs of clusters where the caller may get nodes', async () => {
    const { ctx } = contextWith(drains, clusterAuthorizer(new Set(['mine'])));
    expect((await drainJobs(ctx, {})).map((j) => j.id)).toEqual([
      '00000000-0000-4000-8000-000000000001',
      '00000000-0000-4000-8000-000000000003',
    ]);
    expect((await drainJob(ctx, '00000000-0000-4000-8000-000000000001'))?.id).toBe(
      '00000000-0000-4000-8000-000000000001',
    );
    expect(await drainJob(ctx, '00000000-0000-4000-8000-000000000002')).toBeNull();
  });

  it('a job hidden from the caller is audited as a denial of the field that asked for it', async () => {
    const info = (fieldName: string) =>
      ({
        parentType: { name: 'Query' },
        fieldName,
        operation: { name: { value: 'Jobs' } },
      }) as GraphQLResolveInfo;
    const audit = new MemoryAuditTrail();
    // One request each: a request asks the authorizer once per check, and audits that answer once.
    const one = contextWith(drains, clusterAuthorizer(new Set(['mine'])), audit);
    expect(await drainJob(one.ctx, '00000000-0000-4000-8000-000000000002', info('drainJob'))).toBeNull();
    const other = contextWith(drains, clusterAuthorizer(new Set(['mine'])), audit);
    await drainJobs(other.ctx, {}, info('drainJobs'));
    const bulks = {
      ...drains,
      bulk: { get: async () => ({ id: 'b1', cluster: 'theirs' }) },
    } as unknown as DrainService;
    const third = contextWith(bulks, clusterAuthorizer(new Set(['mine'])), audit);
    expect(
      await bulkDrainJob(third.ctx, '00000000-0000-4000-8000-0000000000b1', info('bulkDrainJob')),
    ).toBeNull();
    expect(audit.records).toMatchObject([
      {
        field: 'Query.drainJob',
        operation: 'Jobs',
        outcome: 'FORBIDDEN',
        denied: 'get nodes',
        cluster: 'theirs',
      },
      {
        field: 'Query.drainJobs',
        operation: 'Jobs',
        outcome: 'FORBIDDEN',
        denied: 'get nodes',
        cluster: 'theirs',
      },
      {
        field: 'Query.bulkDrainJob',
        operation: 'Jobs',
        outcome: 'FORBIDDEN',
        denied: 'get nodes',
        cluster: 'theirs',
      },
    ]);
  });

  it('drainNode without drain rights is FORBIDDEN, audited once, and starts nothing', async () => {
    const started: string[] = [];
    const authorizer = clusterAuthorizer(new Set(['mine']));
    const { ctx, audit } = contextWith(
      {
        startDrain: async (cluster, node) => {
          started.push(`${cluster}/${node}`);
          return job('x', cluster);
        },
      },
      authorizer,
    );
    await expect(drainNode(ctx, { name: 'n1' })).rejects.toMatchObject({
      message: 'cannot patch nodes "n1" in cluster "mine"',
      extensions: { code: 'FORBIDDEN' },
    });
    expect(started).toEqual([]);
    expect(audit.records).toMatchObject([
      { user: 'alice', cluster: 'mine', node: 'n1', outcome: 'FORBIDDEN', denied: 'patch nodes' },
    ]);
    expect(audit.records[0]?.options).toMatchObject({ ignoreDaemonSets: true });
  });

  it('drainNode passes who asked to the service, uid included', async () => {
    let requester: unknown;
    const allowAll: Authorizer = { allowed: async () => ({ allowed: true }) };
    const { ctx, audit } = contextWith(
      {
        startDrain: async (cluster, _node, _options, requestedBy) => {
          requester = requestedBy;
          return job('j9', cluster);
        },
      },
      allowAll,
    );
    await drainNode(ctx, { name: 'n1', options: { disableEviction: true } });
    expect(requester).toEqual({ username: 'alice', groups: ['devs'], uid: 'a-1' });
    expect(audit.records).toMatchObject([{ outcome: 'OK', jobId: 'j9', node: 'n1' }]);
  });

  it('drainProgress ends with FORBIDDEN once get nodes is withdrawn', async () => {
    const visible = new Set(['mine']);
    let release: () => void = () => {};
    const never = new Promise<IteratorResult<DeliveredDrainEvent>>((r) => {
      release = () => r({ done: true, value: undefined });
    });
    const progress = {
      next: () => never,
      return: async () => {
        release();
        return { done: true as const, value: undefined };
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    } as AsyncIterableIterator<DeliveredDrainEvent>;
    const { ctx } = contextWith({ ...drains, progress: () => progress }, clusterAuthorizer(visible));
    const stream = (await subscribeDrainProgress(ctx, '00000000-0000-4000-8000-000000000001'))[
      Symbol.asyncIterator
    ]();
    const next = stream.next();
    visible.delete('mine');
    const item = (await next).value as { failure?: { message: string } };
    expect(item.failure?.message).toBe('cannot get nodes in cluster "mine"');
    expect((await stream.next()).done).toBe(true);
  });
});

describe('audit trail', () => {
  it('appends one JSON line per record to --audit-log, time first', async () => {
    const dir = await tempDir();
    try {
      const path = join(dir.path, 'audit.log');
      const trail = openAuditTrail(path);
      trail.record({
        user: 'alice',
        groups: ['devs'],
        field: 'Mutation.drainNode',
        outcome: 'OK',
        jobId: '00000000-0000-4000-8000-000000000001',
      });
      trail.record({
        user: 'bob',
        groups: [],
        field: 'Query.nodes',
        outcome: 'FORBIDDEN',
        denied: 'list nodes',
      });
      await trail.close();
      const lines = (await readFile(path, 'utf8'))
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l));
      expect(lines).toHaveLength(2);
      expect(Object.keys(lines[0])[0]).toBe('time');
      expect(lines[0]).toMatchObject({
        user: 'alice',
        field: 'Mutation.drainNode',
        outcome: 'OK',
        jobId: '00000000-0000-4000-8000-000000000001',
      });
      expect(lines[1]).toMatchObject({ user: 'bob', outcome: 'FORBIDDEN', denied: 'list nodes' });
    } finally {
      await dir.cleanup();
    }
  });
});
