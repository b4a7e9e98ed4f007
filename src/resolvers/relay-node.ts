import type { GraphQLResolveInfo } from 'graphql';
import { impersonationOf } from '../auth/authorizer.js';
import { getPodByName } from '../pods/pod-by-name.js';
import { projectPod } from '../pods/pod-projection.js';
import type { GatewayContext } from '../server/context.js';
import { clusterView } from './clusters.js';
import { drainJob } from './drain.js';
import { bulkDrainJob } from './drain-bulk.js';
import { kubeErrorToGraphQL } from './graphql-errors.js';
import { nodeByName } from './nodes.js';
import { decodedId, type GlobalIdType } from './relay-ids.js';

type Lookup = (
  ctx: GatewayContext,
  key: readonly string[],
  info?: GraphQLResolveInfo,
) => Promise<object | null>;

/**
 * Query.node's lookup of each type in src/resolvers/relay-ids.ts, authorized exactly as that
 * type's own lookup is: a KubeNode as nodeByName (`get nodes`), a Pod by a GET made as the
 * caller, a Cluster as Query.cluster, a drain job as drainJob and a bulk drain as bulkDrainJob
 * (both `get nodes` in its cluster).
 * An object that does not exist (any more), or a cluster no longer served, is null.
 */
const LOOKUPS: Record<GlobalIdType, Lookup> = {
  KubeNode: (ctx, [cluster, name], info) =>
    served(ctx, cluster!) ? nodeByName(ctx, { cluster: cluster!, name: name! }, info) : nullAnswer(),
  Pod: (ctx, key) => podById(ctx, key),
  Cluster: async (ctx, [name]) => (served(ctx, name!) ? clusterView(ctx, name) : null),
  DrainJob: (ctx, [id], info) => drainJob(ctx, id!, info),
  DrainJobSummary: (ctx, [id], info) => drainJob(ctx, id!, info),
  BulkDrainJob: (ctx, [id], info) => bulkDrainJob(ctx, id!, info),
  BulkDrainJobSummary: (ctx, [id], info) => bulkDrainJob(ctx, id!, info),
};

/** Which GraphQL type each object Query.node returned is; Node.resolveType reads it. */
const typeOfObject = new WeakMap<object, GlobalIdType>();

/** Query.node(id): BAD_USER_INPUT for an id we would never issue, null for one whose object is gone. */
export async function nodeById(
  ctx: GatewayContext,
  id: string,
  info?: GraphQLResolveInfo,
): Promise<object | null> {
  const { type, key } = decodedId('id', id);
  const found = await LOOKUPS[type](ctx, key, info);
  // The object's identity, not per request: a frozen cache node is always a KubeNode.
  if (found) typeOfObject.set(found, type);
  return found;
}

/** The GraphQL type of an object Query.node returned. */
export function relayTypeOf(value: object): GlobalIdType | undefined {
  return typeOfObject.get(value);
}

function served(ctx: GatewayContext, cluster: string): boolean {
  return ctx.services.clusters.get(cluster) !== undefined && ctx.services.nodes.get(cluster) !== undefined;
}

async function nullAnswer(): Promise<null> {
  return null;
}

async function podById(ctx: GatewayContext, [cluster, namespace, name]: readonly string[]) {
  const connection = ctx.services.clusters.get(cluster!);
  if (!connection) return null;
  try {
    const pod = await getPodByName(
      connection.client,
      { namespace: namespace!, name: name! },
      // Pods are never cached: the GET is made as the caller, so the cluster's RBAC decides.
      { timeoutMs: ctx.services.config.apiTimeoutMs, as: impersonationOf(ctx.caller) },
    );
    return pod ? projectPod(cluster!, pod) : null;
  } catch (err) {
    throw kubeErrorToGraphQL(err, `getting pod ${namespace}/${name} of cluster ${cluster}`);
  }
}
