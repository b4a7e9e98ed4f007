import type { GraphQLError, GraphQLResolveInfo } from 'graphql';
import { type LabelSelector, LabelSelectorError, parseLabelSelector } from '../clusters/label-selector.js';
import type { NodeFeedItem } from '../informers/node-change-feed.js';
import type { NodeChangeKind } from '../informers/node-changes.js';
import type { NodeEvent } from '../informers/node-event.js';
import type { GatewayContext } from '../server/context.js';
import { recheckingAccess, subscribeChecked } from './access-recheck.js';
import { checkedNames } from './argument-checks.js';
import { gatewayError } from './graphql-errors.js';
import { informerFor } from './nodes.js';

export interface NodeChangedArgs {
  cluster?: string | null;
  clusters?: readonly string[] | null;
  names?: readonly string[] | null;
  labelSelector?: string | null;
  kinds?: readonly NodeChangeKind[] | null;
  since?: string | null;
}

/** What a nodeChanged stream hands its resolver: an item of the feed, or the error that ends it. */
export type NodeChangeItem = NodeFeedItem | { readonly failure: GraphQLError };

/**
 * Subscription.nodeChanged: validates the arguments (so a mistake is an error now, not a
 * silent stream), then subscribes, replaying from `since` when given. An authenticated caller
 * must be allowed to `watch nodes` in every cluster named, checked now and every
 * --authz-recheck: a withdrawn permission ends the stream with FORBIDDEN.
 */
export function subscribeNodeChanges(
  ctx: GatewayContext,
  args: NodeChangedArgs,
  info?: GraphQLResolveInfo,
): AsyncIterable<NodeChangeItem> | Promise<AsyncIterable<NodeChangeItem>> {
  if (args.cluster != null && args.clusters != null) {
    throw gatewayError('BAD_USER_INPUT', 'pass either `cluster` or `clusters`, not both', {
      argument: 'clusters',
    });
  }
  if (args.clusters?.length === 0) {
    throw gatewayError('BAD_USER_INPUT', '`clusters` is empty: name at least one cluster, or omit it', {
      argument: 'clusters',
    });
  }
  if (args.kinds?.length === 0) {
    throw gatewayError(
      'BAD_USER_INPUT',
      '`kinds` is empty: name at least one change kind, or omit it for all',
      {
        argument: 'kinds',
      },
    );
  }
  checkedNames('nodeName', 'names', args.names);
  const clusters = (args.clusters ?? [args.cluster]).map((c) => informerFor(ctx, c).name);
  if (ctx.caller.anonymous) return isCheckOnly(ctx) ? nothing() : subscribeNow(ctx, args, clusters);
  const checks = [...new Set(clusters)].map((cluster) => ({
    cluster,
    needs: { verb: 'watch', resource: 'nodes' },
    info,
  }));
  return subscribeChecked(ctx, checks).then(() =>
    isCheckOnly(ctx)
      ? nothing()
      : recheckingAccess(ctx, subscribeNow(ctx, args, clusters), checks, (failure) => ({ failure })),
  );
}

const CHECK_ONLY = Symbol('nodeChanged check only');

/**
 * A copy of `ctx` under which nodeChanged's subscribe checks everything it checks (arguments,
 * access) and then subscribes to nothing: the fan-out asks it of each new subscriber of a
 * group whose stream already runs. A symbol property, so it survives plugins copying the context.
 */
export function checkOnlyContext<T extends object>(ctx: T): T {
  return { ...ctx, [CHECK_ONLY]: true };
}

function isCheckOnly(ctx: GatewayContext): boolean {
  return (ctx as { [CHECK_ONLY]?: boolean })[CHECK_ONLY] === true;
}

function nothing(): AsyncIterableIterator<NodeChangeItem> {
  const done = async (): Promise<IteratorResult<NodeChangeItem>> => ({ done: true, value: undefined });
  return {
    next: done,
    return: done,
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

function subscribeNow(
  ctx: GatewayContext,
  args: NodeChangedArgs,
  clusters: readonly string[],
): AsyncIterableIterator<NodeFeedItem> {
  const result = ctx.services.nodes.subscribe(
    {
      clusters: new Set(clusters),
      names: args.names ? new Set(args.names) : undefined,
      selector: selectorOf(args.labelSelector),
      kinds: args.kinds ? new Set(args.kinds) : undefined,
    },
    args.since ?? undefined,
  );
  if (result.kind === 'invalid-cursor') {
    throw gatewayError('BAD_USER_INPUT', `since: ${result.reason}`, { argument: 'since' });
  }
  return result.events;
}

/** Each item as the client sees it: an event, or the error that ends a too-slow subscription. */
export function nodeChangeOf(item: NodeChangeItem): NodeEvent {
  if ('failure' in item) throw item.failure;
  if ('overflow' in item) {
    throw gatewayError('SUBSCRIBER_TOO_SLOW', item.overflow.message, { limit: item.overflow.limit });
  }
  return item;
}

function selectorOf(text: string | null | undefined): LabelSelector | undefined {
  if (text == null) return undefined;
  try {
    return parseLabelSelector(text);
  } catch (err) {
    if (!(err instanceof LabelSelectorError)) throw err;
    throw gatewayError('BAD_USER_INPUT', `labelSelector: ${err.message}`, { argument: 'labelSelector' });
  }
}
