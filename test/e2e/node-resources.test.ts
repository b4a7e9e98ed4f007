import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config/gateway-config.js';
import { NON_TERMINAL_FIELD_SELECTOR } from '../../src/pods/kube-pod.js';
import { milliValue, parseQuantity } from '../../src/pods/quantity.js';
import type { KubeObject } from '../../src/sim/kube-object.js';
import {
  type SimCluster,
  startGateway,
  startSimCluster,
  type TestGateway,
  tempDir,
  writeMergedKubeconfig,
} from './harness.js';
import {
  NODE_ALLOCATED,
  NODE_EVENTS,
  NODE_RESOURCES_ALL,
  NODE_USAGE,
  NODES_BY_ALLOCATION,
  NODES_BY_VALUE,
} from './operations/node-resources.js';

const run = promisify(execFile);

async function kubectl(cluster: SimCluster, ...args: string[]): Promise<string> {
  const { stdout } = await run('kubectl', ['--kubeconfig', cluster.kubeconfigPath, ...args], {
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout;
}

interface DescribedNode {
  pods: number;
  /** resource -> [requests, request %, limits, limit %] as printed */
  allocated: Record<string, [string, number, string, number]>;
}

/** The "Non-terminated Pods" count and "Allocated resources" table of every node `kubectl describe nodes` prints. */
function parseDescribe(text: string): Map<string, DescribedNode> {
  const out = new Map<string, DescribedNode>();
  for (const block of text.split(/^Name:\s+/m).slice(1)) {
    const name = block.split('\n')[0]!.trim();
    const pods = Number(/Non-terminated Pods:\s+\((\d+) in total\)/.exec(block)?.[1] ?? Number.NaN);
    const section = block.split('Allocated resources:')[1]?.split(/^Events:/m)[0] ?? '';
    const allocated: DescribedNode['allocated'] = {};
    for (const m of section.matchAll(
      /^\s+(cpu|memory|ephemeral-storage)\s+(\S+) \((\d+)%\)\s+(\S+) \((\d+)%\)/gm,
    )) {
      allocated[m[1]!] = [m[2]!, Number(m[3]), m[4]!, Number(m[5])];
    }
    out.set(name, { pods, allocated });
  }
  return out;
}

/** Full-pod LIST chains (first pages, non-terminal selector, not Tables) and Table chains since the last clear. */
function podChains(cluster: SimCluster): { full: number; table: number } {
  const firsts = cluster.sim.audit
    .entries()
    .filter((e) => e.resource === 'pods' && e.verb === 'list' && !e.continue)
    .filter((e) => e.fieldSelector === NON_TERMINAL_FIELD_SELECTOR);
  return { full: firsts.filter((e) => !e.table).length, table: firsts.filter((e) => e.table).length };
}

/** A pod exercising every rule of PodRequestsAndLimits: init containers, a sidecar, overhead, storage. */
function sidecarPod(node: string): KubeObject {
  const res = (requests: Record<string, string>, limits: Record<string, string>) => ({ requests, limits });
  return {
    metadata: { namespace: 'default', name: 'resource-rules' },
    spec: {
      nodeName: node,
      overhead: { cpu: '50m', memory: '32Mi' },
      initContainers: [
        {
          name: 'setup',
          image: 'busybox:1.36',
          resources: res(
            { cpu: '3', memory: '1Gi', 'ephemeral-storage': '1Gi' },
            { cpu: '3', memory: '1Gi' },
          ),
        },
        {
          name: 'proxy',
          image: 'envoy:1.30',
          restartPolicy: 'Always',
          resources: res({ cpu: '300m', memory: '200M' }, { memory: '300M' }),
        },
      ],
      containers: [
        {
          name: 'app',
          image: 'nginx:1.27',
          resources: res(
            { cpu: '250m', memory: '100Mi', 'ephemeral-storage': '500Mi' },
            { cpu: '500m', memory: '200Mi', 'ephemeral-storage': '2Gi' },
          ),
        },
      ],
    },
  };
}

describe('KubeNode.allocated, usage, events against kubectl (50 nodes)', () => {
  let cluster: SimCluster;
  let bare: SimCluster;
  let gateway: TestGateway;
  let cleanup: () => Promise<void>;
  let ruleNode: string;

  beforeAll(async () => {
    [cluster, bare] = await Promise.all([
      startSimCluster({ nodes: 50, pods: 1500, seed: 21, contextName: 'main' }),
      startSimCluster({ nodes: 5, pods: 40, seed: 22, contextName: 'bare', metricsApi: false }),
    ]);
    ruleNode = cluster.sim.cluster.findWorkerNode({});
    cluster.sim.cluster.createPod(sidecarPod(ruleNode) as never);
    const dir = await tempDir();
    cleanup = dir.cleanup;
    const path = join(dir.path, 'kubeconfig');
    await writeMergedKubeconfig(path, [cluster, bare]);
    gateway = await startGateway({ kubeconfigPath: path, allContexts: true });
  });
  afterAll(async () => {
    await gateway?.stop();
    await Promise.all([cluster?.stop(), bare?.stop()]);
    await cleanup?.();
  });

  it('allocated equals the Allocated resources kubectl describe node prints, for every node, from ONE pod LIST chain', async () => {
    cluster.sim.audit.clear();
    const res = await gateway.query(NODE_ALLOCATED, { cluster: 'main' });
    expect(res.errors).toBeUndefined();
    expect(podChains(cluster)).toEqual({ full: 1, table: 0 });
    const described = parseDescribe(await kubectl(cluster, 'describe', 'nodes'));
    const nodes = res.data!.nodes!.nodes;
    expect(nodes).toHaveLength(50);
    expect(described.size).toBe(50);
    for (const node of nodes) {
      const d = described.get(node.name)!;
      const a = node.allocated!;
      expect({ name: node.name, pods: a.pods, podCount: node.podCount }).toEqual({
        name: node.name,
        pods: d.pods,
        podCount: d.pods,
      });
      const mine = (r: typeof a.requests.cpu, l: typeof a.limits.cpu) => [
        r.quantity,
        r.percent,
        l.quantity,
        l.percent,
      ];
      expect({ name: node.name, cpu: mine(a.requests.cpu, a.limits.cpu) }).toEqual({
        name: node.name,
        cpu: d.allocated.cpu,
      });
      expect({ name: node.name, memory: mine(a.requests.memory, a.limits.memory) }).toEqual({
        name: node.name,
        memory: d.allocated.memory,
      });
      expect({
        name: node.name,
        storage: mine(a.requests.ephemeralStorage, a.limits.ephemeralStorage),
      }).toEqual({ name: node.name, storage: d.allocated['ephemeral-storage'] });
    }
    // The rules pod counts as max(containers + sidecar, init + sidecar so far) + overhead.
    const rules = nodes.find((n) => n.name === ruleNode)!.allocated!;
    expect(rules.requests.ephemeralStorage.quantity).toBe('1Gi');
  });

  it('podCount alone still reads Table rows: one Table chain, no full-pod chain', async () => {
    cluster.sim.audit.clear();
    const res = await gateway.query(NODES_BY_VALUE, { cluster: 'main' });
    expect(res.errors).toBeUndefined();
    expect(podChains(cluster)).toEqual({ full: 0, table: 1 });
  });

  it('usage equals kubectl top nodes (same sample), from one metrics LIST per request', async () => {
    for (let attempt = 0; ; attempt++) {
      cluster.sim.audit.clear();
      const before = await gateway.query(NODE_USAGE, { cluster: 'main' });
      const top = await kubectl(cluster, 'top', 'nodes', '--no-headers');
      const after = await gateway.query(NODE_USAGE, { cluster: 'main' });
      expect(before.errors).toBeUndefined();
      const stamps = (r: typeof before) => r.data!.nodes!.nodes.map((n) => n.usage?.timestamp ?? '').join();
      // A sample boundary passed between the reads: read again (samples change every 30 s).
      if (stamps(before) !== stamps(after) && attempt < 3) continue;
      // One metrics LIST per gateway request (kubectl top made the third).
      const metricsLists = cluster.sim.audit
        .entries()
        .filter((e) => e.requestURI.startsWith('/apis/metrics.k8s.io/v1beta1/nodes') && e.verb === 'list');
      expect(metricsLists.filter((e) => e.userAgent?.startsWith('kube-node-gateway'))).toHaveLength(2);
      const printed = new Map(
        top
          .trim()
          .split('\n')
          .map((line) => line.trim().split(/\s+/))
          .map(([name, cpu, cpuPct, mem, memPct]) => [name!, [cpu, cpuPct, mem, memPct]]),
      );
      for (const node of before.data!.nodes!.nodes) {
        const u = node.usage!;
        const cpu = `${milliValue(parseQuantity(u.cpu.quantity)!)}m`;
        const mem = `${Math.floor(u.memory.value / (1024 * 1024))}Mi`;
        expect({ name: node.name, top: [cpu, `${u.cpu.percent}%`, mem, `${u.memory.percent}%`] }).toEqual({
          name: node.name,
          top: printed.get(node.name),
        });
        expect(u.window).toBe('30s');
      }
      break;
    }
  });

  it('events equal kubectl get events --field-selector involvedObject.name=<node>, newest first, paged', async () => {
    const node = cluster.sim.cluster.findWorkerNode({ exclude: [ruleNode] });
    await kubectl(cluster, 'cordon', node);
    await kubectl(cluster, 'uncordon', node);
    await kubectl(cluster, 'cordon', node);
    cluster.sim.cluster.setNodeReady(node, false);
    const res = await gateway.query(NODE_EVENTS, { cluster: 'main', name: node, first: 100 });
    expect(res.errors).toBeUndefined();
    const mine = res.data!.nodeByName!.events!.edges.map((e) => e.node);
    const listed = JSON.parse(
      await kubectl(
        cluster,
        'get',
        'events',
        '--field-selector',
        `involvedObject.name=${node}`,
        '-o',
        'json',
      ),
    ) as {
      items: { metadata: { name: string }; reason: string; message: string; count: number; type: string }[];
    };
    const key = (e: { name: string; reason: string; message: string; count: number; type: string }) =>
      `${e.name} ${e.type} ${e.reason} ${e.count} ${e.message}`;
    expect(mine.map(key).sort()).toEqual(
      listed.items.map((e) => key({ ...e, name: e.metadata.name })).sort(),
    );
    expect(mine.map((e) => e.reason).sort()).toEqual([
      'NodeNotReady',
      'NodeNotSchedulable',
      'NodeSchedulable',
    ]);
    expect(mine.find((e) => e.reason === 'NodeNotSchedulable')!.count).toBe(2);
    const times = mine.map((e) => Date.parse(e.lastSeen!));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    // kubectl describe node shows the same events.
    const describe = await kubectl(cluster, 'describe', 'node', node);
    for (const e of mine) expect(describe).toContain(e.message);
    // Paged one at a time, the pages make up the list.
    const paged: string[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await gateway.query(NODE_EVENTS, { cluster: 'main', name: node, first: 1, after });
      const events = page.data!.nodeByName!.events!;
      paged.push(...events.edges.map((e) => e.node.name));
      if (!events.pageInfo.hasNextPage) break;
      after = events.pageInfo.endCursor!;
    }
    expect(paged).toEqual(mine.map((e) => e.name));
    cluster.sim.cluster.setNodeReady(node, true);
    await kubectl(cluster, 'uncordon', node);
  });

  it('refuses hostile events arguments before any API call', async () => {
    const node = 'node-0004';
    cluster.sim.audit.clear();
    const codes = async (vars: { first?: number; since?: string; after?: string }) => {
      const res = await gateway.query(NODE_EVENTS, { cluster: 'main', name: node, ...vars });
      return res.errors?.map((e) => [e.extensions?.code, e.extensions?.argument]);
    };
    expect(await codes({ first: -1 })).toEqual([['BAD_USER_INPUT', 'first']]);
    expect(await codes({ first: 100_000 })).toEqual([['BAD_USER_INPUT', 'first']]);
    expect(await codes({ since: '2999-01-01T00:00:00Z' })).toEqual([['BAD_USER_INPUT', 'since']]);
    expect(await codes({ since: '2026-12-01' })).toEqual([['BAD_USER_INPUT', 'since']]);
    expect(await codes({ after: 'bm90LWEtY3Vyc29y' })).toEqual([['BAD_USER_INPUT', 'after']]);
    expect(await codes({ since: 'yesterday' })).toEqual([['BAD_USER_INPUT', 'since']]);
    expect(await codes({ since: '"{}' })).toEqual([['BAD_USER_INPUT', 'since']]);
    expect(cluster.sim.audit.count({ resource: 'events' })).toBe(0);
    const ok = await gateway.query(NODE_EVENTS, {
      cluster: 'main',
      name: node,
      since: '2000-01-01T00:00:00Z',
    });
    expect(ok.errors).toBeUndefined();
  });

  it('orders by pod count and by allocated fraction with stable keyset cursors, one pod LIST chain per request', async () => {
    const counts = new Map<string, number>();
    for (const line of (
      await kubectl(
        cluster,
        'get',
        'pods',
        '-A',
        `--field-selector=${NON_TERMINAL_FIELD_SELECTOR}`,
        '-o',
        'jsonpath={range .items[*]}{.spec.nodeName}{"\\n"}{end}',
      )
    )
      .split('\n')
      .filter(Boolean))
      counts.set(line, (counts.get(line) ?? 0) + 1);
    const expected = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? 1 : -1)).map(([n]) => n);
    const seen: string[] = [];
    let after: string | undefined;
    for (let page = 0; page < 20; page++) {
      cluster.sim.audit.clear();
      const res = await gateway.query(NODES_BY_VALUE, {
        cluster: 'main',
        orderBy: { field: 'POD_COUNT', direction: 'DESC' },
        first: 7,
        after,
      });
      expect(res.errors).toBeUndefined();
      expect(podChains(cluster)).toEqual({ full: 0, table: 1 });
      seen.push(...res.data!.nodes!.nodes.map((n) => n.name));
      if (!res.data!.nodes!.pageInfo.hasNextPage) break;
      after = res.data!.nodes!.pageInfo.endCursor!;
    }
    expect(seen).toEqual(expected.filter((n) => counts.has(n)));

    cluster.sim.audit.clear();
    const byCpu = await gateway.query(NODES_BY_ALLOCATION, {
      orderBy: { field: 'CPU_REQUESTS_FRACTION', direction: 'DESC' },
      filter: { cpuRequestsFraction: { min: 0.1 }, podCount: { min: 1 } },
    });
    expect(byCpu.errors).toBeUndefined();
    expect(podChains(cluster)).toEqual({ full: 1, table: 0 });
    const fractions = byCpu.data!.nodes!.nodes.map((n) => n.allocated!.requests.cpu.fraction!);
    expect(fractions.length).toBeGreaterThan(0);
    expect(fractions.every((f) => f >= 0.1)).toBe(true);
    expect([...fractions].sort((a, b) => b - a)).toEqual(fractions);
    expect(byCpu.extensions?.computedOrder).toBeDefined();

    const bad = await gateway.query(NODES_BY_VALUE, {
      cluster: 'main',
      filter: { cpuUsageFraction: { min: 0.9, max: 0.1 } },
    });
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const wrongCursor = await gateway.query(NODES_BY_VALUE, {
      cluster: 'main',
      orderBy: { field: 'CPU_USAGE_FRACTION' },
      after: after!,
    });
    expect(wrongCursor.errors?.[0]?.extensions?.argument).toBe('after');
  });

  it('orders by usage; without a metrics API usage is null and ordering by it fails, coded UPSTREAM_UNAVAILABLE', async () => {
    const byUsage = await gateway.query(NODES_BY_VALUE, {
      cluster: 'main',
      orderBy: { field: 'MEMORY_USAGE_FRACTION', direction: 'DESC' },
      first: 5,
    });
    expect(byUsage.errors).toBeUndefined();
    expect(byUsage.data!.nodes!.nodes).toHaveLength(5);

    const usage = await gateway.query(NODE_USAGE, { cluster: 'bare' });
    expect(usage.data!.nodes!.nodes.map((n) => n.usage)).toEqual(usage.data!.nodes!.nodes.map(() => null));
    expect(new Set(usage.errors!.map((e) => e.extensions?.code))).toEqual(new Set(['UPSTREAM_UNAVAILABLE']));
    expect(usage.errors![0]!.message).toContain('metrics');
    const ordered = await gateway.query(NODES_BY_VALUE, {
      cluster: 'bare',
      orderBy: { field: 'CPU_USAGE_FRACTION' },
    });
    expect(ordered.data?.nodes).toBeNull();
    expect(ordered.errors?.map((e) => [e.extensions?.code, e.path])).toEqual([
      ['UPSTREAM_UNAVAILABLE', ['nodes']],
    ]);
  });
});

describe('a caller who may list nodes but not pods, metrics or events', () => {
  const TOKENS = [{ token: 'viewer-token', user: 'viewer', uid: 'u-viewer', groups: ['viewers'] }];
  const RBAC: KubeObject[] = [
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'node-viewer' },
      rules: [{ apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list', 'watch'] }],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'viewer' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'node-viewer' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'viewer' }],
    },
  ];
  let cluster: SimCluster;
  let gateway: TestGateway;

  beforeAll(async () => {
    cluster = await startSimCluster({
      nodes: 6,
      pods: 60,
      seed: 23,
      tokens: TOKENS,
      authorizationMode: 'RBAC',
      rbacObjects: RBAC,
    });
    gateway = await startGateway({
      kubeconfigPath: cluster.kubeconfigPath,
      config: { auth: { ...DEFAULT_CONFIG.auth, mode: 'kubernetes' } },
    });
  });
  afterAll(async () => {
    await gateway?.stop();
    await cluster?.stop();
  });

  it('gets FORBIDDEN at each field path while the rest of the answer is intact', async () => {
    const res = await gateway.as('viewer-token').query(NODE_RESOURCES_ALL, { name: 'node-0004' });
    expect(res.data!.nodeByName).toMatchObject({
      name: 'node-0004',
      podCount: null,
      allocated: null,
      usage: null,
      events: null,
    });
    expect(typeof res.data!.nodeByName!.ready).toBe('boolean');
    const byPath = Object.fromEntries(res.errors!.map((e) => [e.path!.join('.'), e.extensions?.code]));
    expect(byPath).toEqual({
      'nodeByName.podCount': 'FORBIDDEN',
      'nodeByName.allocated': 'FORBIDDEN',
      'nodeByName.usage': 'FORBIDDEN',
      'nodeByName.events': 'FORBIDDEN',
    });
    // The metrics and events LISTs went out as the viewer, and the cluster refused them.
    expect(
      cluster.sim.audit.count({ resource: 'nodes', impersonatedUser: { username: 'viewer' }, code: 403 }),
    ).toBe(1);
    expect(
      cluster.sim.audit.count({ resource: 'events', impersonatedUser: { username: 'viewer' }, code: 403 }),
    ).toBe(1);
  });
});
