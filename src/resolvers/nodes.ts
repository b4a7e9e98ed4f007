import type { GraphQLResolveInfo } from 'graphql';
import { LabelSelectorError } from '../clusters/label-selector.js';
import type { NodeOrderField } from '../informers/node-cache.js';
import type { NodeInformer } from '../informers/node-informer.js';
import type { CachedNode } from '../informers/node-projection.js';
import {
  type ComputedOrderField,
  compileNodeFilter,
  encodeNodeCursor,
  type NodeFilterInput,
  type NodeOrderInput,
  type NodePage,
  type NodePredicate,
  NodeQueryError,
  pageOfNodes,
} from '../informers/node-query.js';
import type { DegradedAnswer, SortedNodes } from '../informers/node-reader.js';
import type { GatewayContext } from '../server/context.js';
import { reportStale } from '../server/use-response-extensions.js';
import { checkedName, checkedOptionalName } from './argument-checks.js';
import { afterAccess } from './authorize.js';
import { type Edge, invalidAfter, type PageInfo, pageInfoOf, pageSize } from './connection.js';
import { gatewayError, kubeErrorToGraphQL } from './graphql-errors.js';
import {
  type ComputedNodeFilter,
  checkRanges,
  computedNodePage,
  needsComputedValues,
} from './node-computed-order.js';
import { servedCluster, unknownCluster } from './served-cluster.js';

export interface NodeConnectionArgs {
  cluster?: string | null;
  filter?: (NodeFilterInput & ComputedNodeFilter) | null;
  orderBy?: {
    field: NodeOrderField | ComputedOrderField;
    direction?: NodeOrderInput['direction'] | null;
  } | null;
  first?: number | null;
  after?: string | null;
}

/** The informer of the `cluster` argument (omitted = default cluster), or NOT_FOUND naming the known ones. */
export function informerFor(ctx: GatewayContext, cluster: string | null | undefined): NodeInformer {
  const { name } = servedCluster(ctx, cluster);
  const informer = ctx.services.nodes.get(name);
  // The registry has it but its informer is already gone (removed a moment ago): same answer.
  if (!informer) throw unknownCluster(ctx, name);
  return informer;
}

/** Tells the client (extensions.degraded) that an answer did not come from an in-sync cache. */
export function reportDegraded(ctx: GatewayContext, degraded: DegradedAnswer | undefined): void {
  if (!degraded) return;
  const existing = ctx.responseExtensions.degraded as DegradedAnswer[] | undefined;
  const list = existing ?? [];
  ctx.responseExtensions.degraded = list;
  if (!list.some((d) => d.cluster === degraded.cluster && d.source === degraded.source)) list.push(degraded);
}

/**
 * Query.nodes: a page of the cache (stale, flagged, when out of sync; a direct LIST before the
 * first fill). The cache is shared: an authenticated caller must be allowed to `list nodes`.
 */
export function nodeConnection(
  ctx: GatewayContext,
  args: NodeConnectionArgs,
  info?: GraphQLResolveInfo,
): NodeConnectionShape | Promise<NodeConnectionShape> {
  const informer = informerFor(ctx, args.cluster);
  const needs = { verb: 'list', resource: 'nodes' };
  return afterAccess(ctx, { cluster: informer.name, needs, info }, () => nodePage(ctx, informer, args, info));
}

function nodePage(
  ctx: GatewayContext,
  informer: NodeInformer,
  args: NodeConnectionArgs,
  info?: GraphQLResolveInfo,
): NodeConnectionShape | Promise<NodeConnectionShape> {
  // Omitted = every matching node: the cache holds them all already.
  const first = pageSize(args.first, ctx.services.config.maxPageSize, undefined);
  const predicate = compiledFilter(args.filter);
  checkRanges(args.filter);
  const field = args.orderBy?.field ?? 'NAME';
  const direction = args.orderBy?.direction ?? 'ASC';
  if (needsComputedValues(field, args.filter)) {
    // Values from the API, for every node once per request, then sorted (computedNodePage).
    const computed = { field, direction, filter: args.filter, first, after: args.after ?? undefined };
    const byName = (sorted: SortedNodes) => {
      reportDegraded(ctx, sorted.degraded);
      reportStale(ctx, sorted.stale);
      return computedNodePage(ctx, informer.name, sorted.view, predicate, computed, info).then(
        (page) => new NodeConnectionShape(page, page.cursorOf),
      );
    };
    if (informer.synced) return byName({ view: informer.cache.sorted('NAME') });
    return ctx.services.nodes.reader
      .sorted(informer, 'NAME', args.filter?.labelSelector ?? undefined)
      .then(byName, (err: unknown) => {
        throw kubeErrorToGraphQL(err, `listing nodes of cluster ${informer.name}`);
      });
  }
  const order: NodeOrderInput = { field: field as NodeOrderField, direction };
  const page = (sorted: SortedNodes) => {
    reportDegraded(ctx, sorted.degraded);
    reportStale(ctx, sorted.stale);
    return connectionOf(sorted.view, order, predicate, first, args.after ?? undefined);
  };
  // The hot path stays synchronous: no promise per request when the cache can answer.
  if (informer.synced) return page({ view: informer.cache.sorted(order.field) });
  const labelSelector = args.filter?.labelSelector ?? undefined;
  return ctx.services.nodes.reader.sorted(informer, order.field, labelSelector).then(page, (err: unknown) => {
    throw kubeErrorToGraphQL(err, `listing nodes of cluster ${informer.name}`);
  });
}

/** Query.nodeByName: one node by name, or null; an authenticated caller must be allowed to `get nodes`. */
export async function nodeByName(
  ctx: GatewayContext,
  args: { cluster?: string | null; name: string },
  info?: GraphQLResolveInfo,
): Promise<CachedNode | null> {
  checkedName('nodeName', 'name', args.name);
  const informer = informerFor(ctx, args.cluster);
  const needs = { verb: 'get', resource: 'nodes', name: args.name };
  await afterAccess(ctx, { cluster: informer.name, needs, info, node: args.name }, () => undefined);
  if (informer.synced) return informer.cache.get(args.name) ?? null;
  try {
    const { node, degraded, stale } = await ctx.services.nodes.reader.get(informer, args.name);
    reportDegraded(ctx, degraded);
    reportStale(ctx, stale);
    return node ?? null;
  } catch (err) {
    throw kubeErrorToGraphQL(err, `getting node ${args.name} of cluster ${informer.name}`);
  }
}

function compiledFilter(filter: NodeFilterInput | null | undefined): NodePredicate | undefined {
  checkedOptionalName('taintKey', 'filter.taintKey', filter?.taintKey);
  try {
    return compileNodeFilter(filter);
  } catch (err) {
    if (!(err instanceof LabelSelectorError)) throw err;
    throw gatewayError('BAD_USER_INPUT', `filter.labelSelector: ${err.message}`, {
      argument: 'filter.labelSelector',
    });
  }
}

function connectionOf(
  view: readonly CachedNode[],
  order: NodeOrderInput,
  predicate: NodePredicate | undefined,
  first: number | undefined,
  after: string | undefined,
): NodeConnectionShape {
  try {
    const page = pageOfNodes({ view, order, predicate, first, after });
    return new NodeConnectionShape(page, (node) => encodeNodeCursor(node, order.field));
  } catch (err) {
    if (!(err instanceof NodeQueryError)) throw err;
    throw invalidAfter(err.message);
  }
}

/** NodeConnection's source: edges, cursors and the total are computed only if asked for. */
export class NodeConnectionShape {
  constructor(
    private readonly page: NodePage,
    private readonly cursorOf: (node: CachedNode) => string,
  ) {}

  get nodes(): readonly CachedNode[] {
    return this.page.nodes;
  }

  get edges(): Edge<CachedNode>[] {
    return this.page.nodes.map(this.edgeOf);
  }

  readonly edgeOf = (node: CachedNode): Edge<CachedNode> => ({ cursor: this.cursorOf(node), node });

  get totalCount(): number {
    return this.page.totalCount;
  }

  get pageInfo(): PageInfo {
    const { nodes, hasNextPage, hasPreviousPage } = this.page;
    return pageInfoOf(nodes, this.cursorOf, { hasNextPage, hasPreviousPage });
  }
}
