import type { GraphQLResolveInfo } from 'graphql';
import type { ClusterState } from '../informers/node-informer.js';
import type { GatewayContext } from '../server/context.js';
import { afterAccess } from './authorize.js';
import { informerFor } from './nodes.js';

export interface ClusterView extends ClusterState {
  readonly isDefault: boolean;
}

/** Query.clusters: every served cluster with the state of its node cache. */
export function clusterViews(ctx: GatewayContext): ClusterView[] {
  const defaultCluster = ctx.services.clusters.defaultCluster;
  return ctx.services.nodes.states().map((s) => ({ ...s, isDefault: s.name === defaultCluster }));
}

/** Query.cluster: one cluster (omitted = the default), NOT_FOUND naming the known ones. */
export function clusterView(ctx: GatewayContext, name: string | null | undefined): ClusterView {
  const state = informerFor(ctx, name).state();
  return { ...state, isDefault: state.name === ctx.services.clusters.defaultCluster };
}

/**
 * The node data of a cluster (its node count, the progress of a LIST) comes from the shared
 * node cache: an authenticated caller must be allowed to `list nodes` there, else the field is
 * null with FORBIDDEN. The cluster's name, server and cache status stay visible to everyone.
 */
export function clusterNodeData<T>(
  ctx: GatewayContext,
  cluster: ClusterView,
  info: GraphQLResolveInfo | undefined,
  value: () => T,
): T | Promise<T> {
  return afterAccess(ctx, { cluster: cluster.name, needs: { verb: 'list', resource: 'nodes' }, info }, value);
}
