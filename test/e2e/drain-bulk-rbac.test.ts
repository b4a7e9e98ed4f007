import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config/gateway-config.js';
import { allBulkProgress } from '../drain/bulk-drain-e2e-support.js';
import { dataOf, workerNodePicker } from '../drain/drain-e2e-support.js';
import { SIM_DRAIN_CONFIG } from '../support/drain-timings.js';
import { bindUser, clusterRole } from '../support/rbac-objects.js';
import { type SimCluster, startGateway, startSimCluster, type TestGateway } from './harness.js';
import { BULK_DRAIN_PROGRESS, CORDON_NODES, DRAIN_NODES } from './operations/drain-bulk.js';

/**
 * Bulk mutations check what each node needs, as drainNode and cordonNode do (SubjectAccessReview),
 * before any call: alice may only read nodes; carol may patch one node by name (resourceNames).
 */
const TOKENS = [
  { token: 'alice-token', user: 'alice', uid: 'u-alice', groups: ['viewers'] },
  { token: 'carol-token', user: 'carol', uid: 'u-carol', groups: ['operators'] },
];

const isWrite = (verb: string) => ['create', 'update', 'patch', 'delete'].includes(verb);

describe('bulk drains and cordons act as their person (--auth kubernetes, simulator with RBAC)', () => {
  let cluster: SimCluster;
  let gateway: TestGateway;
  let allowed: string;
  let other: string;

  beforeAll(async () => {
    const probe = await startSimCluster({ nodes: 6, pods: 60, seed: 33 });
    const pick = workerNodePicker(() => probe.sim);
    [allowed, other] = [pick(), pick()];
    await probe.stop();
    const rbac = [
      clusterRole('node-viewer', [
        { apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list', 'watch'] },
      ]),
      clusterRole('one-node-operator', [
        { apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: [''], resources: ['nodes'], verbs: ['patch'], resourceNames: [allowed] },
        { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: [''], resources: ['pods/eviction'], verbs: ['create'] },
        { apiGroups: ['apps'], resources: ['daemonsets'], verbs: ['get'] },
      ]),
      bindUser('alice-viewer', 'node-viewer', 'alice'),
      bindUser('carol-operator', 'one-node-operator', 'carol'),
    ];
    cluster = await startSimCluster({
      nodes: 6,
      pods: 60,
      seed: 33,
      tokens: TOKENS,
      authorizationMode: 'RBAC',
      rbacObjects: rbac,
    });
    gateway = await startGateway({
      kubeconfigPath: cluster.kubeconfigPath,
      config: { auth: { ...DEFAULT_CONFIG.auth, mode: 'kubernetes' }, drain: SIM_DRAIN_CONFIG },
    });
  });
  afterAll(async () => {
    await gateway?.stop();
    await cluster?.stop();
  });

  it('a caller without drain rights gets FORBIDDEN for the whole request, before any write', async () => {
    const before = cluster.sim.audit.entries().length;
    const drain = await gateway.as('alice-token').query(DRAIN_NODES, { names: [allowed, other] });
    expect(drain.data?.drainNodes ?? null).toBeNull();
    expect(drain.errors?.[0]?.extensions).toMatchObject({
      code: 'FORBIDDEN',
      verb: 'patch',
      resource: 'nodes',
    });
    const cordon = await gateway.as('alice-token').query(CORDON_NODES, { names: [allowed] });
    expect(cordon.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const writes = cluster.sim.audit
      .entries()
      .slice(before)
      .filter((e) => isWrite(e.verb) && !['tokenreviews', 'subjectaccessreviews'].includes(e.resource));
    expect(writes).toEqual([]);
  });

  it('a caller allowed on some nodes: the others are FORBIDDEN per node and never touched', async () => {
    const before = cluster.sim.audit.entries().length;
    const carol = gateway.as('carol-token');
    const job = dataOf(
      await carol.query(DRAIN_NODES, { names: [allowed, other], options: { dryRun: true, force: true } }),
      'drainNodes',
    );
    expect(job.nodes.find((n) => n.name === other)).toMatchObject({
      state: 'FAILED',
      errorCode: 'FORBIDDEN',
    });
    await allBulkProgress(carol.subscribe(BULK_DRAIN_PROGRESS, { id: job.id }));
    const cordoned = dataOf(await carol.query(CORDON_NODES, { names: [allowed, other] }), 'cordonNodes');
    expect(cordoned).toEqual([
      expect.objectContaining({ name: allowed, ok: true }),
      expect.objectContaining({ name: other, ok: false, errorCode: 'FORBIDDEN' }),
    ]);
    const touched = cluster.sim.audit
      .entries()
      .slice(before)
      .filter((e) => isWrite(e.verb) && e.resource === 'nodes')
      .map((e) => e.name);
    expect(new Set(touched)).toEqual(new Set([allowed]));
    expect(cluster.sim.cluster.getNode(other)?.spec?.unschedulable).toBeFalsy();
  });
});
