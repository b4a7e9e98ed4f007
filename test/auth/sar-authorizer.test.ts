import { describe, expect, it } from 'vitest';
import type { Caller } from '../../src/auth/caller.js';
import { SAR_PATH, SarAuthorizer } from '../../src/auth/sar-authorizer.js';
import type { KubeRequest } from '../../src/clusters/kube-client.js';

const alice: Caller = { username: 'alice', groups: ['devs'], anonymous: false };
const LIST_NODES = { verb: 'list', resource: 'nodes' };

interface SarBody {
  spec: { user: string; groups: string[]; resourceAttributes: Record<string, unknown> };
}

/** A SubjectAccessReview endpoint that allows what `allows` says and records each review. */
function fakeSarApi(allows: (spec: SarBody['spec']) => boolean) {
  const reviews: KubeRequest[] = [];
  let release: (() => void) | undefined;
  const client = {
    apiTimeoutMs: 1234,
    gate: undefined as Promise<void> | undefined,
    hold() {
      this.gate = new Promise((r) => {
        release = r;
      });
    },
    release: () => release?.(),
    async json<T>(req: KubeRequest): Promise<T> {
      reviews.push(req);
      await client.gate;
      const { spec } = req.body as SarBody;
      return { status: { allowed: allows(spec), reason: 'rbac says so' } } as T;
    },
  };
  return { client, reviews };
}

function authorizerOver(api: ReturnType<typeof fakeSarApi>, clock = { now: 0 }, ttlMs = 30_000) {
  return new SarAuthorizer({
    clientFor: (cluster) => (cluster === 'sim' ? api.client : undefined),
    ttlMs,
    maxEntries: 3,
    now: () => clock.now,
  });
}

describe('SarAuthorizer', () => {
  it('posts a SubjectAccessReview for the person with the cluster client timeout', async () => {
    const api = fakeSarApi(() => true);
    const who: Caller = { ...alice, uid: 'u1', extra: { scopes: ['x'] } };
    const decision = await authorizerOver(api).allowed(who, 'sim', {
      verb: 'create',
      resource: 'pods',
      subresource: 'eviction',
      namespace: 'web',
    });
    expect(decision).toEqual({ allowed: true, reason: 'rbac says so' });
    expect(api.reviews).toHaveLength(1);
    expect(api.reviews[0]).toMatchObject({ method: 'POST', path: SAR_PATH, timeoutMs: 1234 });
    expect(api.reviews[0]!.impersonate).toBeUndefined();
    expect(api.reviews[0]!.body).toEqual({
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SubjectAccessReview',
      spec: {
        user: 'alice',
        uid: 'u1',
        groups: ['devs'],
        extra: { scopes: ['x'] },
        resourceAttributes: {
          verb: 'create',
          resource: 'pods',
          group: '',
          subresource: 'eviction',
          namespace: 'web',
          name: undefined,
        },
      },
    });
  });

  it('reuses a decision until the TTL passes, then asks again', async () => {
    const api = fakeSarApi(() => true);
    const clock = { now: 0 };
    const authz = authorizerOver(api, clock);
    await authz.allowed(alice, 'sim', LIST_NODES);
    clock.now = 29_999;
    await authz.allowed(alice, 'sim', LIST_NODES);
    expect(api.reviews).toHaveLength(1);
    clock.now = 30_000;
    await authz.allowed(alice, 'sim', LIST_NODES);
    expect(api.reviews).toHaveLength(2);
  });

  it('a fresh check bypasses the cache and refreshes it', async () => {
    let allow = true;
    const api = fakeSarApi(() => allow);
    const authz = authorizerOver(api);
    expect((await authz.allowed(alice, 'sim', LIST_NODES)).allowed).toBe(true);
    allow = false;
    expect((await authz.allowed(alice, 'sim', LIST_NODES)).allowed).toBe(true);
    expect((await authz.allowed(alice, 'sim', LIST_NODES, { fresh: true })).allowed).toBe(false);
    expect((await authz.allowed(alice, 'sim', LIST_NODES)).allowed).toBe(false);
    expect(api.reviews).toHaveLength(2);
  });

  it('concurrent identical checks share one review', async () => {
    const api = fakeSarApi(() => true);
    const authz = authorizerOver(api);
    api.client.hold();
    const all = Promise.all([1, 2, 3, 4, 5].map(() => authz.allowed(alice, 'sim', LIST_NODES)));
    await Promise.resolve();
    api.client.release();
    expect((await all).every((d) => d.allowed)).toBe(true);
    expect(api.reviews).toHaveLength(1);
  });

  it('keys decisions by groups, user, cluster and question', async () => {
    const api = fakeSarApi((spec) => spec.groups.includes('admins'));
    const authz = authorizerOver(api);
    expect((await authz.allowed(alice, 'sim', LIST_NODES)).allowed).toBe(false);
    const aliceAdmin = { ...alice, groups: ['devs', 'admins'] };
    expect((await authz.allowed(aliceAdmin, 'sim', LIST_NODES)).allowed).toBe(true);
    // Group order does not make a new question.
    expect((await authz.allowed({ ...alice, groups: ['admins', 'devs'] }, 'sim', LIST_NODES)).allowed).toBe(
      true,
    );
    expect(api.reviews).toHaveLength(2);
    await authz.allowed(aliceAdmin, 'sim', { verb: 'watch', resource: 'nodes' });
    await authz.allowed({ ...aliceAdmin, username: 'bob' }, 'sim', LIST_NODES);
    expect(api.reviews).toHaveLength(4);
  });

  it('denies in a cluster it cannot ask, and does not cache a failed review', async () => {
    const api = fakeSarApi(() => true);
    const authz = authorizerOver(api);
    expect(await authz.allowed(alice, 'gone', LIST_NODES)).toMatchObject({ allowed: false });
    let fail = true;
    const json = api.client.json.bind(api.client);
    api.client.json = async <T>(req: KubeRequest): Promise<T> => {
      if (fail) throw new Error('boom');
      return json<T>(req);
    };
    await expect(authz.allowed(alice, 'sim', LIST_NODES)).rejects.toThrow('boom');
    fail = false;
    expect((await authz.allowed(alice, 'sim', LIST_NODES)).allowed).toBe(true);
  });

  it('stays bounded: the least recently used decision is dropped first', async () => {
    const api = fakeSarApi(() => true);
    const authz = authorizerOver(api); // maxEntries 3
    for (const verb of ['get', 'list', 'watch'])
      await authz.allowed(alice, 'sim', { verb, resource: 'nodes' });
    await authz.allowed(alice, 'sim', { verb: 'get', resource: 'nodes' }); // get is now the newest
    await authz.allowed(alice, 'sim', { verb: 'patch', resource: 'nodes' }); // drops list
    expect(api.reviews).toHaveLength(4);
    await authz.allowed(alice, 'sim', { verb: 'get', resource: 'nodes' });
    expect(api.reviews).toHaveLength(4);
    await authz.allowed(alice, 'sim', { verb: 'list', resource: 'nodes' });
    expect(api.reviews).toHaveLength(5);
  });
});
