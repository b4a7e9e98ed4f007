import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NodeFilter, NodeNamesQueryVariables, NodeOrderField, SortDirection } from '../gql/graphql.js';
import {
  type SimCluster,
  startGateway,
  startSimCluster,
  type TestGateway,
  tempDir,
  writeMergedKubeconfig,
} from './harness.js';
import { allNodeNames, clusterRows, simFacts, waitForClusterStatus } from './nodes-helpers.js';
import { NODE_NAMES_QUERY, NODE_QUERY, NODES_QUERY } from './operations/nodes.js';

describe('Query.nodes / node / clusters against two simulated clusters', () => {
  let east: SimCluster;
  let west: SimCluster;
  let gateway: TestGateway;
  let dir: Awaited<ReturnType<typeof tempDir>>;

  beforeAll(async () => {
    [east, west] = await Promise.all([
      startSimCluster({ nodes: 30, pods: 0, seed: 11, contextName: 'east' }),
      startSimCluster({ nodes: 12, pods: 0, seed: 12, contextName: 'west' }),
    ]);
    // Variety the generated cluster lacks at this size: cordoned, NotReady, tainted, labelled nodes.
    const names = east.sim.cluster.listNodes().map((n) => n.metadata!.name!);
    for (const name of names.slice(5, 9))
      east.sim.cluster.patchNode(name, (n) => {
        n.spec!.unschedulable = true;
      });
    for (const name of names.slice(8, 11)) east.sim.cluster.setNodeReady(name, false);
    east.sim.cluster.patchNode(names[12]!, (n) => {
      n.spec!.taints = [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }];
      n.metadata!.labels!.accelerator = 'nvidia-a100';
      n.metadata!.labels!.tier = '3';
    });
    east.sim.cluster.patchNode(names[13]!, (n) => {
      n.metadata!.labels!.accelerator = 'nvidia-t4';
      n.metadata!.labels!.tier = '1';
    });
    dir = await tempDir();
    const kubeconfigPath = join(dir.path, 'kubeconfig');
    await writeMergedKubeconfig(kubeconfigPath, [east, west]);
    gateway = await startGateway({ kubeconfigPath, allContexts: true, config: { maxPageSize: 50 } });
    await waitForClusterStatus(gateway, 'READY');
  });

  afterAll(async () => {
    await gateway?.stop();
    await Promise.all([east?.stop(), west?.stop()]);
    await dir?.cleanup();
  });

  it('lists every cluster with its status and node count', async () => {
    const rows = await clusterRows(gateway);
    expect(rows.map((r) => [r.name, r.status, r.nodeCount, r.isDefault, r.error])).toEqual([
      ['east', 'READY', 30, true, null],
      ['west', 'READY', 12, false, null],
    ]);
  });

  it('lists each cluster as the simulator has it, the default cluster when none is named', async () => {
    const eastNames = east.sim.cluster
      .listNodes()
      .map((n) => n.metadata!.name!)
      .sort();
    expect(await allNodeNames(gateway, {})).toEqual(eastNames);
    expect(await allNodeNames(gateway, { cluster: 'east' })).toEqual(eastNames);
    const westNames = west.sim.cluster
      .listNodes()
      .map((n) => n.metadata!.name!)
      .sort();
    expect(await allNodeNames(gateway, { cluster: 'west' })).toEqual(westNames);
  });

  it('answers every field from the cache, matching the API object', async () => {
    const raw = east.sim.cluster.listNodes()[12]!;
    const res = await gateway.query(NODE_QUERY, { cluster: 'east', name: raw.metadata!.name! });
    expect(res.errors).toBeUndefined();
    const node = res.data!.nodeByName!;
    expect(node).toMatchObject({
      cluster: 'east',
      name: raw.metadata!.name,
      uid: raw.metadata!.uid,
      ready: true,
      schedulable: true,
      taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }],
      capacity: { cpu: raw.status!.capacity!.cpu, memory: raw.status!.capacity!.memory },
      nodeInfo: { kubeletVersion: raw.status!.nodeInfo!.kubeletVersion },
      createdAt: raw.metadata!.creationTimestamp,
    });
    expect(node.labels).toEqual(
      Object.entries(raw.metadata!.labels!)
        .map(([key, value]) => ({ key, value }))
        .sort((a, b) => (a.key < b.key ? -1 : 1)),
    );
    expect(node.addresses).toEqual(raw.status!.addresses);
    expect(Buffer.from(String(node.id), 'base64url').toString()).toBe(`KubeNode:east/${raw.metadata!.name}`);
  });

  it('returns null for a node that does not exist', async () => {
    const res = await gateway.query(NODE_QUERY, { cluster: 'west', name: 'nope' });
    expect(res).toMatchObject({ data: { nodeByName: null } });
    expect(res.errors).toBeUndefined();
  });

  describe('filters, each checked against the simulator state', () => {
    const cases: [string, NodeFilter, (f: ReturnType<typeof simFacts>) => boolean][] = [
      ['ready: false', { ready: false }, (f) => !f.ready],
      ['ready: true', { ready: true }, (f) => f.ready],
      ['schedulable: false', { schedulable: false }, (f) => !f.schedulable],
      ['role: control-plane', { role: 'control-plane' }, (f) => f.roles.includes('control-plane')],
      ['taintKey', { taintKey: 'dedicated' }, (f) => f.taintKeys.includes('dedicated')],
      ['nameContains', { nameContains: '-001' }, (f) => f.name.includes('-001')],
      [
        'equality selector',
        { labelSelector: 'topology.kubernetes.io/zone=us-east-1b' },
        (f) => f.labels['topology.kubernetes.io/zone'] === 'us-east-1b',
      ],
      [
        'set-based in',
        { labelSelector: 'accelerator in (nvidia-a100,nvidia-h100)' },
        (f) => f.labels.accelerator === 'nvidia-a100',
      ],
      [
        'set-based notin',
        { labelSelector: 'accelerator notin (nvidia-a100)' },
        (f) => f.labels.accelerator !== 'nvidia-a100',
      ],
      ['exists', { labelSelector: 'accelerator' }, (f) => 'accelerator' in f.labels],
      [
        'does not exist',
        { labelSelector: '!node-role.kubernetes.io/worker' },
        (f) => !f.roles.includes('worker'),
      ],
      ['greater than', { labelSelector: 'tier>2' }, (f) => Number(f.labels.tier) > 2],
      [
        'several fields at once',
        { ready: true, schedulable: true, labelSelector: 'node-role.kubernetes.io/worker' },
        (f) => f.ready && f.schedulable && f.roles.includes('worker'),
      ],
    ];

    it.each(cases)('%s', async (_name, filter, expected) => {
      const want = east.sim.cluster
        .listNodes()
        .map(simFacts)
        .filter(expected)
        .map((f) => f.name)
        .sort();
      expect(want.length).toBeGreaterThan(0);
      expect(await allNodeNames(gateway, { cluster: 'east', filter })).toEqual(want);
      expect(await allNodeNames(gateway, { cluster: 'east', filter }, 4)).toEqual(want);
    });
  });

  it('orders by name and creation time, both directions, across pages', async () => {
    const facts = east.sim.cluster.listNodes().map(simFacts);
    const byName = facts.map((f) => f.name).sort();
    const byAge = [...facts]
      .sort((a, b) =>
        a.createdAt === b.createdAt ? (a.name < b.name ? -1 : 1) : a.createdAt < b.createdAt ? -1 : 1,
      )
      .map((f) => f.name);
    const run = (field: NodeOrderField, direction: SortDirection) =>
      allNodeNames(gateway, { cluster: 'east', orderBy: { field, direction } }, 7);
    expect(await run('NAME', 'DESC')).toEqual([...byName].reverse());
    expect(await run('CREATED_AT', 'ASC')).toEqual(byAge);
    expect(await run('CREATED_AT', 'DESC')).toEqual([...byAge].reverse());
  });

  it('pages with Relay cursors and counts the whole match', async () => {
    const res = await gateway.query(NODES_QUERY, { cluster: 'east', first: 10, filter: { ready: true } });
    const conn = res.data!.nodes!;
    expect(conn.totalCount).toBe(27);
    expect(conn.edges).toHaveLength(10);
    expect(conn.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    expect(conn.pageInfo.startCursor).toBe(conn.edges[0]!.cursor);
    expect(conn.pageInfo.endCursor).toBe(conn.edges[9]!.cursor);
    const next = await gateway.query(NODES_QUERY, {
      cluster: 'east',
      first: 2,
      filter: { ready: true },
      after: conn.edges[4]!.cursor,
    });
    expect(next.data!.nodes!.edges.map((e) => e.node.name)).toEqual(
      conn.edges.slice(5, 7).map((e) => e.node.name),
    );
  });

  describe('bad input says what to fix', () => {
    it.each<[string, NodeNamesQueryVariables, string, RegExp]>([
      ['an unknown cluster', { cluster: 'north' }, 'NOT_FOUND', /unknown cluster "north".*east, west/],
      [
        'a malformed label selector',
        { filter: { labelSelector: 'a in (b' } },
        'BAD_USER_INPUT',
        /labelSelector/,
      ],
      ['first above the maximum', { first: 51 }, 'BAD_USER_INPUT', /first must be between 0 and 50/],
      ['a cursor that is not one', { after: 'bogus' }, 'BAD_USER_INPUT', /not a node cursor/],
    ])('%s', async (_name, variables, code, message) => {
      const res = await gateway.query(NODE_NAMES_QUERY, variables);
      expect(res.errors?.[0]?.extensions?.code).toBe(code);
      expect(res.errors?.[0]?.message).toMatch(message);
    });
  });
});
