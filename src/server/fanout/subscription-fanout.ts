import {
  createSourceEventStream,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  execute,
  getOperationAST,
  Kind,
} from 'graphql';
import type { Caller } from '../../auth/caller.js';
import { checkOnlyContext, type NodeChangeItem } from '../../resolvers/node-changes.js';
import type { GatewayContext } from '../context.js';
import type { MemberWriter } from './member-writer.js';
import { SliceScheduler } from './slice-scheduler.js';
import { SubscriberGroup } from './subscriber-group.js';

export interface FanoutOptions {
  scheduler?: SliceScheduler;
  /** Bytes a member's writer holds unsent before the member queues. @default 1 MiB */
  highWaterBytes?: number;
  /** @default 256 KiB */
  lowWaterBytes?: number;
  onError?(err: unknown): void;
}

export interface FanoutJoin<T> {
  /** From fanoutKey: operation, variables and caller. */
  key: string;
  /** Where this subscriber's events go: its graphql-ws subscription or its SSE stream. */
  writer: MemberWriter<T>;
  /** The ExecutionArgs the transport would subscribe with; a new group's source runs with them. */
  args: ExecutionArgs;
  /**
   * This subscriber's own subscribe, exactly as without the fan-out (argument errors, access,
   * plugins): an error result is its answer; a stream is closed at once, the group's is used.
   */
  check: (args: ExecutionArgs) => Promise<unknown> | unknown;
  /** The subscriber joined a group (not called when it was refused). */
  onStart?(): void;
  /** It left its group, once. */
  onEnd?(): void;
}

/**
 * Subscription.nodeChanged for many subscribers, over graphql-ws and SSE alike. Without it,
 * every subscription ran graphql-js's subscribe: its own queue, its own execution and
 * serialization of the same event (~43 µs a subscriber an event), all in one turn of the event
 * loop, so 10,000 subscribers stalled queries and pings for seconds. Here subscribers of the
 * same shape share one source stream and one execution, whichever transport each came on (one
 * instance per gateway, one scheduler for every group), and the writes run in bounded slices.
 */
export class SubscriptionFanout {
  private readonly groups = new Map<string, SubscriberGroup>();
  readonly scheduler: SliceScheduler;

  constructor(private readonly options: FanoutOptions = {}) {
    this.scheduler = options.scheduler ?? new SliceScheduler(undefined, options.onError);
  }

  get groupCount(): number {
    return this.groups.size;
  }

  /** Members of the group of `key` (tests). */
  membersOf(key: string): number {
    return this.groups.get(key)?.size ?? 0;
  }

  /** What the transport iterates for this subscriber: an error result, or a stream ending with it. */
  async join<T>(join: FanoutJoin<T>): Promise<AsyncIterableIterator<T> | ExecutionResult> {
    const args = join.args;
    const context = args.contextValue as GatewayContext;
    const checked = await join.check({ ...args, contextValue: checkOnlyContext(context) });
    if (!isAsyncIterable(checked)) return checked as ExecutionResult;
    void checked[Symbol.asyncIterator]().return?.();
    for (;;) {
      const group = this.groups.get(join.key) ?? this.startGroup(join.key, args);
      const refusal = await group.ready;
      if (refusal) return refusal;
      // Its last member left while this one was joining: start another.
      if (group.closed) continue;
      join.onStart?.();
      return group.add(join.writer, join.onEnd).sink;
    }
  }

  private startGroup(key: string, args: ExecutionArgs): SubscriberGroup {
    const context = args.contextValue as GatewayContext;
    const feed = context.services.nodes.feed;
    const group = new SubscriberGroup(key, {
      // What graphql-js's subscribe does per event (mapSourceToResponse), once per group.
      execute: (item: NodeChangeItem) =>
        execute({ ...args, rootValue: item }) as ExecutionResult | Promise<ExecutionResult>,
      scheduler: this.scheduler,
      queueLimit: context.services.config.subscriberQueueLimit,
      highWaterBytes: this.options.highWaterBytes ?? 1024 * 1024,
      lowWaterBytes: this.options.lowWaterBytes ?? 256 * 1024,
      onClosed: (g) => {
        if (this.groups.get(g.key) === g) this.groups.delete(g.key);
      },
      onSharedReaders: (delta) => feed.addSharedReaders(delta),
      onMerged: feed.readerHooks.onMerged,
      onOverflow: feed.readerHooks.onOverflow,
      onError: this.options.onError,
    });
    this.groups.set(key, group);
    group.start(
      Promise.resolve(createSourceEventStream(args)) as Promise<
        AsyncIterable<NodeChangeItem> | ExecutionResult
      >,
    );
    return group;
  }
}

/**
 * The group of a subscription the fan-out serves, or undefined for one it leaves to its transport:
 * anything but a lone root `nodeChanged` field, and any `since` given (a resume replays what
 * that one subscriber missed; it is its own stream).
 */
export function fanoutKey(
  document: DocumentNode,
  query: string,
  operationName: string | null | undefined,
  variables: Readonly<Record<string, unknown>> | null | undefined,
  caller: Caller,
): string | undefined {
  const operation = getOperationAST(document, operationName ?? undefined);
  if (operation?.operation !== 'subscription') return undefined;
  const selections = operation.selectionSet.selections;
  if (selections.length !== 1) return undefined;
  const field = selections[0]!;
  if (field.kind !== Kind.FIELD || field.name.value !== 'nodeChanged') return undefined;
  const since = field.arguments?.find((arg) => arg.name.value === 'since');
  // `since: $since` with no value is no resume (one operation document serves both).
  if (since && !(since.value.kind === Kind.VARIABLE && variables?.[since.value.name.value] == null)) {
    return undefined;
  }
  return JSON.stringify([query, operationName ?? null, variables ?? null, callerScope(caller)]);
}

/**
 * Everything about a caller that can change what they are shown: the identity the gateway
 * impersonates and authorizes (SubjectAccessReviews ask about user, uid, groups and extra).
 * Two sockets of one person share a group; their access is rechecked once for both.
 */
function callerScope(caller: Caller): unknown {
  if (caller.anonymous) return ['anonymous'];
  const extra = caller.extra
    ? Object.entries(caller.extra)
        .map(([k, v]) => [k, [...v].sort()] as const)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    : [];
  return [caller.username, caller.uid ?? null, [...caller.groups].sort(), extra];
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}
