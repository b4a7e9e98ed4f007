import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config/gateway-config.js';
import type { AuditEntry } from '../../src/sim/audit.js';
import type { KubeObject } from '../../src/sim/kube-object.js';
import { untilFinished, workerNodePicker } from '../drain/drain-e2e-support.js';
import { SIM_DRAIN_CONFIG } from '../support/drain-timings.js';
import { bindUser, clusterRole } from '../support/rbac-objects.js';
import { type SimCluster, startGateway, startSimCluster, type TestGateway } from './harness.js';
import {
  RELAY_BULK_DRAIN,
  RELAY_BULK_DRAIN_JOB,
  RELAY_BULK_DRAIN_PROGRESS,
  RELAY_CANCEL_BULK_DRAIN,
  RELAY_DRAIN,
  RELAY_DRAIN_JOB,
  RELAY_DRAIN_PROGRESS,
  RELAY_IDS,
  RELAY_NODE,
} from './operations/relay.js';

const TOKENS = [
  { token: 'alice-token', user: 'alice', uid: 'u-alice', groups: ['viewers'] },
  { token: 'bob-token', user: 'bob', uid: 'u-bob', groups: ['operators'] },
  { token: 'carol-token', user: 'carol', uid: 'u-carol', groups: ['nobody'] },
];

const RBAC: KubeObject[] = [
  clusterRole('node-viewer', [{ apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list', 'watch'] }]),
  clusterRole('node-operator', [
    { apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list', 'watch', 'patch'] },
    { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'delete'] },
    { apiGroups: [''], resources: ['pods/eviction'], verbs: ['create'] },
    { apiGroups: ['apps'], resources: ['daemonsets'], verbs: ['get'] },
  ]),
  bindUser('alice-viewer', 'node-viewer', 'alice'),
  bindUser('bob-operator', 'node-operator', 'bob'),
];

const globalId = (text: string) => Buffer.from(text).toString('base64url');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const UNKNOWN_UUID = '3f8e6c2a-1b4d-4e9f-9a7c-5d2e8b1f0c6a';

/**
 * Relay object identification end to end: every id a list or mutation returns refetches the
 * same object through Query.node(id), authorized as that type's own lookup; ids the gateway
 * never issued are BAD_USER_INPUT with no API call; ids of objects that are gone are null.
 */
describe('Query.node(id) refetches every object with an identity (simulator with RBAC)', () => {
  let cluster: SimCluster;
  let gateway: TestGateway;
  const pickNode = workerNodePicker(() => cluster.sim);

  beforeAll(async () => {
    cluster = await startSimCluster({
      nodes: 10,
      pods: 100,
      seed: 4242,
      tokens: TOKENS,
      authorizationMode: 'RBAC',
      rbacObjects: RBAC,
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

  const bob = () => gateway.as('bob-token');
  const alice = () => gateway.as('alice-token');
  const carol = () => gateway.as('carol-token');
  const refetch = async (who: ReturnType<typeof bob>, id: string) => {
    const res = await who.query(RELAY_NODE, { id });
    return { node: res.data?.node ?? null, error: res.errors?.[0] };
  };

  it('refetches KubeNodes, Pods and Clusters by the ids the lists return', async () => {
    const name = pickNode();
    const ids = await bob().query(RELAY_IDS, { name });
    expect(ids.errors).toBeUndefined();
    const data = ids.data!;
    for (const node of data.nodes!.nodes) {
      expect((await refetch(bob(), node.id)).node).toMatchObject({
        __typename: 'KubeNode',
        id: node.id,
        name: node.name,
        cluster: 'sim',
      });
    }
    const pods = data.nodeByName!.pods!.nodes;
    expect(pods.length).toBeGreaterThan(0);
    for (const pod of pods) {
      expect((await refetch(bob(), pod.id)).node).toEqual({
        __typename: 'Pod',
        id: pod.id,
        cluster: 'sim',
        namespace: pod.namespace,
        name: pod.name,
      });
    }
    const [simCluster] = data.clusters;
    expect((await refetch(bob(), simCluster!.id)).node).toEqual({
      __typename: 'Cluster',
      id: simCluster!.id,
      name: 'sim',
    });
    // Ids are unique across types: no two objects share one.
    const all = [...data.nodes!.nodes.map((n) => n.id), ...pods.map((p) => p.id), simCluster!.id];
    expect(new Set(all).size).toBe(all.length);
  });

  it('refetches a DrainJob and the DrainJobSummary a progress event carries; job arguments take either id', async () => {
    const name = pickNode();
    const started = (await bob().query(RELAY_DRAIN, { name })).data?.drainNode;
    expect(started?.jobId).toMatch(/^[0-9a-f-]{36}$/);
    expect(started?.id).not.toBe(started?.jobId);
    await untilFinished(bob(), started!.id);
    expect((await refetch(bob(), started!.id)).node).toMatchObject({
      __typename: 'DrainJob',
      id: started!.id,
      jobId: started!.jobId,
      node: name,
      state: 'SUCCEEDED',
    });
    for (const id of [started!.id, started!.jobId]) {
      expect((await bob().query(RELAY_DRAIN_JOB, { id })).data?.drainJob).toEqual({
        id: started!.id,
        jobId: started!.jobId,
      });
    }
    const progress = bob().subscribe(RELAY_DRAIN_PROGRESS, { id: started!.id });
    const snapshot = (await progress.next()).data?.drainProgress;
    progress.close();
    expect(snapshot?.kind).toBe('JOB_SNAPSHOT');
    expect(snapshot?.job.jobId).toBe(started!.jobId);
    expect(snapshot?.job.id).not.toBe(started!.id);
    expect((await refetch(bob(), snapshot!.job.id)).node).toMatchObject({
      __typename: 'DrainJobSummary',
      id: snapshot!.job.id,
      jobId: started!.jobId,
    });
    expect((await bob().query(RELAY_DRAIN_JOB, { id: snapshot!.job.id })).data?.drainJob?.jobId).toBe(
      started!.jobId,
    );
  });

  it('refetches a BulkDrainJob and the BulkDrainJobSummary its progress carries; bulk arguments take either id', async () => {
    const names = [pickNode(), pickNode()];
    const started = (await bob().query(RELAY_BULK_DRAIN, { names })).data?.drainNodes;
    expect(started?.jobId).toMatch(UUID);
    expect(started?.id).not.toBe(started?.jobId);
    const { id, jobId } = started!;
    // Followed by its global id to the end: the stream completes after the terminal event.
    const progress = bob().subscribe(RELAY_BULK_DRAIN_PROGRESS, { id });
    await progress.done;
    const events = progress.received.map((r) => r.data!.bulkDrainProgress);
    expect(events[0]?.kind).toBe('BULK_SNAPSHOT');
    expect(events.at(-1)).toMatchObject({ kind: 'BULK_SUCCEEDED', job: { state: 'SUCCEEDED' } });
    const summaryId = events[0]!.job.id;
    expect(summaryId).not.toBe(id);
    expect(new Set(events.map((e) => e.job.id))).toEqual(new Set([summaryId]));
    expect(new Set(events.map((e) => e.job.jobId))).toEqual(new Set([jobId]));

    expect((await refetch(bob(), id)).node).toEqual({
      __typename: 'BulkDrainJob',
      id,
      jobId,
      cluster: 'sim',
      bulkState: 'SUCCEEDED',
    });
    expect((await refetch(bob(), summaryId)).node).toEqual({
      __typename: 'BulkDrainJobSummary',
      id: summaryId,
      jobId,
      bulkState: 'SUCCEEDED',
    });
    for (const given of [id, jobId, summaryId]) {
      const read = await bob().query(RELAY_BULK_DRAIN_JOB, { id: given });
      expect(read.errors, given).toBeUndefined();
      expect(read.data?.bulkDrainJob).toMatchObject({ id, jobId, state: 'SUCCEEDED' });
      // Cancelling a finished bulk drain returns it as it is.
      expect((await bob().query(RELAY_CANCEL_BULK_DRAIN, { id: given })).data?.cancelBulkDrain).toEqual({
        id,
        jobId,
        state: 'SUCCEEDED',
      });
    }
    const byUuid = bob().subscribe(RELAY_BULK_DRAIN_PROGRESS, { id: jobId });
    expect((await byUuid.next()).data?.bulkDrainProgress.job).toEqual({
      id: summaryId,
      jobId,
      state: 'SUCCEEDED',
    });
    byUuid.close();

    // Its node entries name their drain jobs as DrainJob does: drainJobId the UUID, drainJob.id global.
    const nodes = (await bob().query(RELAY_BULK_DRAIN_JOB, { id })).data!.bulkDrainJob!.nodes;
    expect(nodes.map((n) => n.name).sort()).toEqual([...names].sort());
    for (const node of nodes) {
      expect(node.drainJobId).toMatch(UUID);
      expect(node.drainJob).toEqual({ id: expect.any(String), jobId: node.drainJobId });
      expect(node.drainJob!.id).not.toBe(node.drainJobId);
      expect((await refetch(bob(), node.drainJob!.id)).node).toMatchObject({
        __typename: 'DrainJob',
        jobId: node.drainJobId,
        node: node.name,
      });
      expect((await bob().query(RELAY_DRAIN_JOB, { id: node.drainJobId! })).data?.drainJob?.id).toBe(
        node.drainJob!.id,
      );
    }

    // Authorized as bulkDrainJob: get nodes in its cluster, else as if it did not exist.
    expect((await refetch(alice(), id)).node?.id).toBe(id);
    expect((await alice().query(RELAY_BULK_DRAIN_JOB, { id })).data?.bulkDrainJob?.id).toBe(id);
    for (const given of [id, summaryId]) {
      const asCarol = await refetch(carol(), given);
      expect(asCarol).toEqual({ node: null, error: undefined });
    }
    const carolRead = await carol().query(RELAY_BULK_DRAIN_JOB, { id });
    expect(carolRead.errors).toBeUndefined();
    expect(carolRead.data?.bulkDrainJob).toBeNull();
  });

  it('authorizes as the by-name lookups: pods need a GET the cluster allows, nodes get nodes', async () => {
    const name = pickNode();
    const data = (await bob().query(RELAY_IDS, { name })).data!;
    const pod = data.nodeByName!.pods!.nodes[0]!;
    const node = data.nodes!.nodes[0]!;
    // alice may read nodes but not pods: the impersonated GET is refused by the cluster.
    expect((await refetch(alice(), node.id)).node?.id).toBe(node.id);
    const podAsAlice = await refetch(alice(), pod.id);
    expect(podAsAlice.node).toBeNull();
    expect(podAsAlice.error?.extensions?.code).toBe('FORBIDDEN');
    const before = cluster.sim.audit.entries().length;
    const nodeAsCarol = await refetch(carol(), node.id);
    expect(nodeAsCarol.node).toBeNull();
    expect(nodeAsCarol.error?.extensions?.code).toBe('FORBIDDEN');
    // carol's denial was the gateway's SubjectAccessReview: no node read was made for her.
    const reads = cluster.sim.audit
      .entries()
      .slice(before)
      .filter((e: AuditEntry) => e.resource === 'nodes');
    expect(reads).toEqual([]);
  });

  it('answers null for ids of objects that do not exist', async () => {
    for (const text of [
      'KubeNode:sim/node-does-not-exist',
      'KubeNode:no-such-cluster/node-0001',
      'Pod:sim/default/no-such-pod',
      'Cluster:no-such-cluster',
      `DrainJob:${UNKNOWN_UUID}`,
      `BulkDrainJob:${UNKNOWN_UUID}`,
      `BulkDrainJobSummary:${UNKNOWN_UUID}`,
    ]) {
      const { node, error } = await refetch(bob(), globalId(text));
      expect(error, text).toBeUndefined();
      expect(node, text).toBeNull();
    }
  });

  it('refuses malformed ids and ids of another type with BAD_USER_INPUT and no API call', async () => {
    const nodeId = (await bob().query(RELAY_IDS, { name: pickNode() })).data!.nodes!.nodes[0]!.id;
    const before = cluster.sim.audit.entries().length;
    const hostile = [
      '',
      '!!!',
      'a'.repeat(10_000),
      globalId('Node:sim/node-0001'),
      globalId('Secret:kube-system/token'),
      globalId('KubeNode:sim'),
      globalId('KubeNode:sim/..'),
      globalId('KubeNode:sim/node%ZZ'),
      globalId('Pod:sim/Not_A_Namespace/x'),
      globalId('DrainJob:not-a-uuid'),
      globalId('BulkDrainJob:not-a-uuid'),
      globalId(`BulkDrainJobSummary:${UNKNOWN_UUID}/extra`),
      `${nodeId}=`,
    ];
    for (const id of hostile) {
      const { node, error } = await refetch(bob(), id);
      expect(node, id.slice(0, 40)).toBeNull();
      expect(error?.extensions?.code, id.slice(0, 40)).toBe('BAD_USER_INPUT');
      expect(error?.message.length ?? 0).toBeLessThan(400);
    }
    // A KubeNode id where a drain job id belongs.
    const wrongType = await bob().query(RELAY_DRAIN_JOB, { id: nodeId });
    expect(wrongType.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', rule: 'GlobalId' });
    expect(wrongType.errors?.[0]?.message).toMatch(/KubeNode, not of a DrainJob/);
    const calls = cluster.sim.audit
      .entries()
      .slice(before)
      .filter((e: AuditEntry) => !['tokenreviews', 'subjectaccessreviews'].includes(e.resource));
    expect(calls).toEqual([]);
  });
  it('bulk drain arguments refuse malformed ids and ids of another type with BAD_USER_INPUT and no API call', async () => {
    const nodeId = (await bob().query(RELAY_IDS, { name: pickNode() })).data!.nodes!.nodes[0]!.id;
    const drainJobId = globalId(`DrainJob:${UNKNOWN_UUID}`);
    const bulkId = globalId(`BulkDrainJob:${UNKNOWN_UUID}`);
    const before = cluster.sim.audit.entries().length;
    const firstError = async (id: string) => {
      const read = await bob().query(RELAY_BULK_DRAIN_JOB, { id });
      const cancel = await bob().query(RELAY_CANCEL_BULK_DRAIN, { id });
      const subscription = bob().subscribe(RELAY_BULK_DRAIN_PROGRESS, { id });
      const progress = await subscription.next();
      subscription.close();
      expect(read.data?.bulkDrainJob ?? null).toBeNull();
      expect(cancel.data?.cancelBulkDrain ?? null).toBeNull();
      expect(progress.data ?? null).toBeNull();
      return [read, cancel, progress].map((r) => r.errors?.[0]);
    };

    // A KubeNode id (and a DrainJob id) where a bulk drain id belongs.
    for (const [id, type] of [
      [nodeId, 'KubeNode'],
      [drainJobId, 'DrainJob'],
    ] as const) {
      for (const error of await firstError(id)) {
        expect(error?.extensions, type).toMatchObject({
          code: 'BAD_USER_INPUT',
          argument: 'id',
          rule: 'GlobalId',
        });
        expect(error?.message).toMatch(new RegExp(`${type}, not of a BulkDrainJob or BulkDrainJobSummary`));
      }
    }
    // And a bulk drain id where a drain job id belongs.
    const bulkAsDrain = await bob().query(RELAY_DRAIN_JOB, { id: bulkId });
    expect(bulkAsDrain.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', rule: 'GlobalId' });
    expect(bulkAsDrain.errors?.[0]?.message).toMatch(/BulkDrainJob, not of a DrainJob/);

    for (const id of [
      '',
      '!!!',
      'a'.repeat(10_000),
      'not-a-uuid',
      '3F8E6C2A-1B4D-4E9F-9A7C-5D2E8B1F0C6A-',
      globalId('BulkDrainJob:not-a-uuid'),
      globalId('BulkDrainJob:../../etc'),
      globalId(`BulkDrainJob:${UNKNOWN_UUID}/${UNKNOWN_UUID}`),
      `${bulkId}=`,
    ]) {
      for (const error of await firstError(id)) {
        expect(error?.extensions?.code, id.slice(0, 40)).toBe('BAD_USER_INPUT');
        expect(error?.message.length ?? 0).toBeLessThan(400);
      }
    }
    const calls = cluster.sim.audit
      .entries()
      .slice(before)
      .filter((e: AuditEntry) => !['tokenreviews', 'subjectaccessreviews'].includes(e.resource));
    expect(calls).toEqual([]);

    // Well-formed ids of no bulk drain: null from bulkDrainJob, NOT_FOUND from cancel and progress.
    for (const id of [bulkId, globalId(`BulkDrainJobSummary:${UNKNOWN_UUID}`), UNKNOWN_UUID]) {
      const read = await bob().query(RELAY_BULK_DRAIN_JOB, { id });
      expect(read.errors, id).toBeUndefined();
      expect(read.data?.bulkDrainJob).toBeNull();
      const [, cancel, progress] = await firstError(id);
      expect(cancel?.extensions?.code, id).toBe('NOT_FOUND');
      expect(progress?.extensions?.code, id).toBe('NOT_FOUND');
    }
  });
});
