import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NodePodsQuery, NodePodsQueryVariables, PodFieldsFragment } from '../gql/graphql.js';
import type { GraphQLResponse } from '../support/graphql-clients.js';
import { type SimCluster, startGateway, startSimCluster, type TestGateway } from './harness.js';
import { NODE_PODS } from './operations/pods.js';

const run = promisify(execFile);

interface KubectlPod {
  metadata: {
    namespace: string;
    name: string;
    uid: string;
    annotations?: Record<string, string>;
    ownerReferences?: { kind: string; name: string; controller?: boolean }[];
  };
  spec: {
    nodeName: string;
    volumes?: { emptyDir?: unknown }[];
    containers: { name: string; image: string }[];
  };
  status: { phase: string; containerStatuses?: { restartCount: number }[] };
}

let cluster: SimCluster;
let gateway: TestGateway;
let node: string;

beforeAll(async () => {
  cluster = await startSimCluster({ nodes: 20, pods: 400, seed: 31, contextName: 'pods' });
  gateway = await startGateway({ kubeconfigPath: cluster.kubeconfigPath, config: { maxPageSize: 50 } });
  node = cluster.sim.cluster.findWorkerNode({});
});
afterAll(async () => {
  await gateway?.stop();
  await cluster?.stop();
});

async function kubectlPods(selector: string, namespace?: string): Promise<KubectlPod[]> {
  const scope = namespace ? ['-n', namespace] : ['-A'];
  const { stdout } = await run('kubectl', [
    '--kubeconfig',
    cluster.kubeconfigPath,
    'get',
    'pods',
    ...scope,
    `--field-selector=${selector}`,
    '-o',
    'json',
  ]);
  return (JSON.parse(stdout) as { items: KubectlPod[] }).items;
}

/** What Node.pods should say about a pod, derived from kubectl's full object. */
function expectedView(pod: KubectlPod) {
  const owner = pod.metadata.ownerReferences?.find((r) => r.controller);
  return {
    namespace: pod.metadata.namespace,
    name: pod.metadata.name,
    uid: pod.metadata.uid,
    nodeName: pod.spec.nodeName,
    phase: pod.status.phase.toUpperCase(),
    restarts: (pod.status.containerStatuses ?? []).reduce((s, c) => s + c.restartCount, 0),
    owner: owner ? { kind: owner.kind, name: owner.name } : null,
    daemonSet: owner?.kind === 'DaemonSet',
    mirror: pod.metadata.annotations?.['kubernetes.io/config.mirror'] !== undefined,
    emptyDir: (pod.spec.volumes ?? []).some((v) => v.emptyDir !== undefined),
    containers: pod.spec.containers.map((c) => ({ name: c.name, image: c.image })),
  };
}

function actualView(pod: PodFieldsFragment) {
  const { namespace, name, uid, nodeName, phase, restarts, owner, daemonSet, mirror, emptyDir } = pod;
  const containers = pod.containers.map((c) => ({ name: c.name, image: c.image }));
  return { namespace, name, uid, nodeName, phase, restarts, owner, daemonSet, mirror, emptyDir, containers };
}

async function allPages(vars: Omit<NodePodsQueryVariables, 'after'>): Promise<PodFieldsFragment[]> {
  const pods: PodFieldsFragment[] = [];
  let after: string | null = null;
  for (let page = 0; page < 50; page++) {
    const res: GraphQLResponse<NodePodsQuery> = await gateway.query(NODE_PODS, { ...vars, after });
    expect(res.errors).toBeUndefined();
    const conn = res.data!.nodeByName!.pods!;
    pods.push(...conn.edges.map((e) => e.node));
    if (!conn.pageInfo.hasNextPage) return pods;
    after = conn.pageInfo.endCursor;
  }
  throw new Error('more pages than expected');
}

const key = (p: { namespace: string; name: string }) => `${p.namespace}/${p.name}`;

describe('Node.pods', () => {
  it('equals kubectl get pods -A --field-selector spec.nodeName=X', async () => {
    const expected = await kubectlPods(`spec.nodeName=${node}`);
    expect(expected.length).toBeGreaterThan(5);
    const pods = await allPages({ name: node });
    expect(pods.map(actualView)).toEqual(
      expected.map(expectedView).sort((a, b) => (key(a) < key(b) ? -1 : 1)),
    );
    expect(pods.some((p) => p.daemonSet)).toBe(true);
  });

  it('pages by first/after without gaps or repeats', async () => {
    const whole = await allPages({ name: node });
    const paged = await allPages({ name: node, first: 3 });
    expect(paged.map(key)).toEqual(whole.map(key));
    const res = await gateway.query(NODE_PODS, { name: node, first: 3 });
    expect(res.data!.nodeByName!.pods!.totalCount).toBe(whole.length);
    expect(res.data!.nodeByName!.pods!.edges).toHaveLength(3);
  });

  it('narrows by namespace and phase like kubectl', async () => {
    const expected = await kubectlPods(`spec.nodeName=${node},status.phase=Running`, 'kube-system');
    const pods = await allPages({ name: node, namespace: 'kube-system', phase: 'RUNNING' });
    expect(pods.map(key)).toEqual(expected.map((p) => key(p.metadata)).sort());
    expect(pods.length).toBeGreaterThan(0);
  });

  it('lists the mirror pods of a control-plane node', async () => {
    const pods = await allPages({ name: 'node-0001' });
    expect(pods.filter((p) => p.mirror).length).toBe(4);
  });

  const bad: [string, Partial<NodePodsQueryVariables>][] = [
    ['a page size over the maximum', { first: 51 }],
    ['a negative page size', { first: -1 }],
    ['a cursor it never returned', { after: 'bm9zbGFzaA' }],
  ];
  it.each(bad)('rejects %s with BAD_USER_INPUT', async (_what, vars) => {
    const res = await gateway.query(NODE_PODS, { name: node, ...vars });
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
