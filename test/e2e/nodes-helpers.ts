import type { SimNode } from '../../src/sim/index.js';
import type { ClusterStatus, ClustersQuery, NodeNamesQueryVariables } from '../gql/graphql.js';
import type { GatewayClient } from '../support/gateway-client.js';
import { waitFor } from '../support/wait-for.js';
import { CLUSTERS_QUERY, NODE_NAMES_QUERY } from './operations/nodes.js';

/** The statuses a cluster went through after `since`, from Cluster.statusHistory. */
export async function statusChangesSince(
  gateway: GatewayClient,
  since: Date,
  cluster?: string,
): Promise<ClusterStatus[]> {
  const rows = await clusterRows(gateway);
  const row = cluster ? rows.find((r) => r.name === cluster) : rows[0];
  return (row?.statusHistory ?? []).filter((c) => Date.parse(c.at) >= since.getTime()).map((c) => c.status);
}

export async function clusterRows(gateway: GatewayClient): Promise<ClustersQuery['clusters']> {
  const res = await gateway.query(CLUSTERS_QUERY);
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return res.data!.clusters;
}

/** Waits until every listed cluster (default: all) reports `status`. */
export async function waitForClusterStatus(
  gateway: GatewayClient,
  status: ClusterStatus,
  names?: string[],
  timeoutMs = 10_000,
): Promise<ClustersQuery['clusters']> {
  return waitFor(
    async () => {
      const rows = await clusterRows(gateway);
      const wanted = names ? rows.filter((r) => names.includes(r.name)) : rows;
      return wanted.length > 0 && wanted.every((r) => r.status === status) ? rows : undefined;
    },
    { timeoutMs, what: `clusters ${names?.join(',') ?? '(all)'} ${status}` },
  );
}

/** Active nodeChanged subscriptions, as the gateway's /metrics reports them. */
export async function nodeSubscribers(gateway: GatewayClient): Promise<number> {
  return (await gateway.metric('gateway_node_subscribers')) ?? 0;
}

/**
 * Waits until the gateway's /metrics shows `count` nodeChanged subscriptions: the gauge the
 * feed sets when it registers or drops a subscriber, so those opened are then in place (their
 * events are delivered) and those closed are gone.
 */
export async function waitForNodeSubscribers(
  gateway: GatewayClient,
  count: number,
  timeoutMs = 5000,
): Promise<void> {
  await waitFor(async () => (await nodeSubscribers(gateway)) === count, {
    timeoutMs,
    what: `gateway_node_subscribers ${count}`,
  });
}

/** Every node name of a Query.nodes answer, walking pages of `pageSize`. */
export async function allNodeNames(
  gateway: GatewayClient,
  variables: Omit<NodeNamesQueryVariables, 'first' | 'after'>,
  pageSize?: number,
): Promise<string[]> {
  const names: string[] = [];
  let after: string | undefined;
  for (let page = 0; page < 1000; page++) {
    const res = await gateway.query(NODE_NAMES_QUERY, { ...variables, first: pageSize, after });
    if (res.errors) throw new Error(JSON.stringify(res.errors));
    const { nodes, pageInfo } = res.data!.nodes!;
    names.push(...nodes.map((n) => n.name));
    if (!pageInfo.hasNextPage || pageSize === undefined) return names;
    after = pageInfo.endCursor!;
  }
  throw new Error('too many pages');
}

/** The facts the gateway derives, computed independently from the simulator's wire JSON. */
export function simFacts(node: SimNode) {
  const labels = node.metadata?.labels ?? {};
  return {
    name: node.metadata!.name!,
    labels,
    ready: (node.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True'),
    schedulable: !node.spec?.unschedulable,
    roles: Object.keys(labels)
      .filter((k) => k.startsWith('node-role.kubernetes.io/'))
      .map((k) => k.slice('node-role.kubernetes.io/'.length)),
    taintKeys: (node.spec?.taints ?? []).map((t) => t.key),
    createdAt: String(node.metadata!.creationTimestamp),
  };
}

export function sortedNames(nodes: { name: string }[]): string[] {
  return nodes.map((n) => n.name).sort();
}
