import type { GraphQLResolveInfo } from 'graphql';
import { impersonationOf } from '../auth/authorizer.js';
import type { TaintEdit } from '../drain/node-edits.js';
import type { CachedNode } from '../informers/node-projection.js';
import type { GatewayContext } from '../server/context.js';
import { checkedName } from './argument-checks.js';
import { audited, requireAll } from './authorize.js';
import { gatewayError, kubeErrorToGraphQL, reportingDrainErrors } from './graphql-errors.js';
import { checkedLabelEdit, checkedResourceVersion, checkedTaintEdit } from './node-edit-checks.js';
import { informerFor } from './nodes.js';

interface NodeEditArgs {
  cluster?: string | null;
  name: string;
  resourceVersion?: string | null;
}

export interface SetNodeLabelsArgs extends NodeEditArgs {
  set?: readonly { key: string; value: string }[] | null;
  remove?: readonly string[] | null;
}

export interface SetNodeTaintsArgs extends NodeEditArgs {
  set?: readonly { key: string; value?: string | null; effect: string }[] | null;
  remove?: readonly { key: string; effect?: string | null }[] | null;
}

/**
 * Mutation.setNodeLabels: every key and value checked first, then `patch nodes` (a denial makes
 * no API call), then one merge patch made as the caller, carrying the resourceVersion the edit
 * is based on (the argument; omitted = the version the gateway's cache holds), so an edit of a
 * node that changed since is CONFLICT, never an overwrite.
 */
export function setNodeLabels(
  ctx: GatewayContext,
  args: SetNodeLabelsArgs,
  info?: GraphQLResolveInfo,
): Promise<CachedNode> {
  const edit = checkedLabelEdit({ set: args.set ?? [], remove: args.remove ?? [] });
  return nodeEdit(ctx, args, info, edit, (target, _base) =>
    ctx.services.drains.editLabels(target, edit, impersonationOf(ctx.caller)),
  );
}

/** Mutation.setNodeTaints: as setNodeLabels; the new taint list is computed from the node at that version. */
export function setNodeTaints(
  ctx: GatewayContext,
  args: SetNodeTaintsArgs,
  info?: GraphQLResolveInfo,
): Promise<CachedNode> {
  const edit: TaintEdit = checkedTaintEdit({
    set: (args.set ?? []).map((t) => ({ key: t.key, value: t.value ?? null, effect: t.effect })),
    remove: (args.remove ?? []).map((t) => ({ key: t.key, effect: t.effect ?? null })),
  });
  return nodeEdit(ctx, args, info, edit, (target, base) =>
    ctx.services.drains.editTaints(target, edit, base, impersonationOf(ctx.caller)),
  );
}

function nodeEdit(
  ctx: GatewayContext,
  args: NodeEditArgs,
  info: GraphQLResolveInfo | undefined,
  options: unknown,
  apply: (
    target: { cluster: string; node: string; resourceVersion: string },
    base: CachedNode | undefined,
  ) => Promise<CachedNode>,
): Promise<CachedNode> {
  checkedName('nodeName', 'name', args.name);
  const asked = checkedResourceVersion(args.resourceVersion);
  const informer = informerFor(ctx, args.cluster);
  const cluster = informer.name;
  const node = args.name;
  return audited(ctx, { info, cluster, node, options }, async () => {
    await requireAll(ctx, [{ cluster, node, info, needs: { verb: 'patch', resource: 'nodes', name: node } }]);
    const base = await cachedNode(ctx, informer, node);
    const resourceVersion = asked ?? base?.resourceVersion;
    if (resourceVersion === undefined) {
      throw gatewayError('NOT_FOUND', `node ${node} not found in cluster ${cluster}`);
    }
    return reportingDrainErrors(`editing node ${node} of cluster ${cluster}`, () =>
      apply({ cluster, node, resourceVersion }, base),
    );
  });
}

/** The node as the gateway knows it (the cache, or a GET before the first LIST). */
async function cachedNode(
  ctx: GatewayContext,
  informer: ReturnType<typeof informerFor>,
  name: string,
): Promise<CachedNode | undefined> {
  if (informer.synced) return informer.cache.get(name);
  try {
    return (await ctx.services.nodes.reader.get(informer, name)).node;
  } catch (err) {
    throw kubeErrorToGraphQL(err, `getting node ${name} of cluster ${informer.name}`);
  }
}
