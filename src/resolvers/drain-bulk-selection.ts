import type { GraphQLResolveInfo } from 'graphql';
import { LabelSelectorError } from '../clusters/label-selector.js';
import type { CachedNode } from '../informers/node-projection.js';
import { compileNodeFilter, type NodeFilterInput } from '../informers/node-query.js';
import type { GatewayContext } from '../server/context.js';
import { checkedName, checkedOptionalName } from './argument-checks.js';
import { requireAll } from './authorize.js';
import { gatewayError, kubeErrorToGraphQL } from './graphql-errors.js';
import { informerFor } from './nodes.js';

/** The selection arguments of cordonNodes, uncordonNodes and drainNodes. */
export interface BulkSelectionArgs {
  cluster?: string | null;
  names?: readonly string[] | null;
  filter?: NodeFilterInput | null;
}

export interface BulkSelection {
  readonly cluster: string;
  /** Deduplicated, in the order given (names) or by name (filter). */
  readonly names: readonly string[];
  /** Names the node cache does not hold (only when it is in sync). */
  readonly unknown: ReadonlySet<string>;
}

/**
 * Resolves `names` or `filter` to node names, checked before any API call: exactly one of them,
 * every name a DNS-1123 subdomain, duplicates dropped, at least one node and at most
 * `--drain-bulk-max-nodes`. A filter is answered from the node cache and needs `list nodes`.
 */
export async function selectNodes(
  ctx: GatewayContext,
  args: BulkSelectionArgs,
  info?: GraphQLResolveInfo,
): Promise<BulkSelection> {
  const max = ctx.services.config.drain.bulkMaxNodes;
  const hasNames = args.names !== undefined && args.names !== null;
  const hasFilter = args.filter !== undefined && args.filter !== null;
  if (hasNames === hasFilter) {
    throw gatewayError('BAD_USER_INPUT', 'give exactly one of names and filter', { argument: 'names' });
  }
  const informer = informerFor(ctx, args.cluster);
  const cluster = informer.name;
  let names: string[];
  if (hasNames) {
    const given = args.names ?? [];
    if (given.length > max * 10) throw tooMany(given.length, max);
    given.forEach((name, i) => {
      checkedName('nodeName', `names[${i}]`, name);
    });
    names = [...new Set(given)];
  } else {
    const filter = args.filter ?? {};
    checkedOptionalName('taintKey', 'filter.taintKey', filter.taintKey);
    const predicate = compiled(filter);
    await requireAll(ctx, [{ cluster, info, needs: { verb: 'list', resource: 'nodes' } }]);
    let view: readonly CachedNode[];
    try {
      view = (await ctx.services.nodes.reader.sorted(informer, 'NAME', filter.labelSelector ?? undefined))
        .view;
    } catch (err) {
      throw kubeErrorToGraphQL(err, `listing nodes of cluster ${cluster}`);
    }
    names = view.filter((node) => !predicate || predicate(node)).map((node) => node.name);
  }
  if (names.length === 0) {
    throw gatewayError('BAD_USER_INPUT', hasNames ? 'names is empty' : 'the filter matches no node', {
      argument: hasNames ? 'names' : 'filter',
    });
  }
  if (names.length > max) throw tooMany(names.length, max);
  const unknown = new Set(informer.synced ? names.filter((n) => !informer.cache.get(n)) : []);
  return { cluster, names, unknown };
}

function tooMany(found: number, max: number) {
  return gatewayError(
    'BAD_USER_INPUT',
    `${found} nodes selected; at most ${max} per request (--drain-bulk-max-nodes)`,
    {
      argument: 'names',
      limit: 'bulk-nodes',
      max,
      found,
    },
  );
}

function compiled(filter: NodeFilterInput) {
  try {
    return compileNodeFilter(filter);
  } catch (err) {
    if (!(err instanceof LabelSelectorError)) throw err;
    throw gatewayError('BAD_USER_INPUT', `filter.labelSelector: ${err.message}`, {
      argument: 'filter.labelSelector',
    });
  }
}
