import { type LabelSelector, matches } from '../clusters/label-selector.js';
import { type SubscriberOverflowError, SubscriberQueue } from '../events/subscriber-queue.js';
import type { NodeChangeKind } from './node-changes.js';
import { mergeNodeEvents, type NodeEvent, nodeEventKey } from './node-event.js';

/** Which events one subscriber wants. Every set given must match (names OR'd within a set). */
export interface NodeEventFilter {
  readonly clusters: ReadonlySet<string>;
  readonly names?: ReadonlySet<string>;
  readonly selector?: LabelSelector;
  readonly kinds?: ReadonlySet<NodeChangeKind>;
}

/** What a subscriber reads: events, or (last) why it was cut off. */
export type NodeFeedItem = NodeEvent | { readonly overflow: SubscriberOverflowError };

export interface NodeFeedHooks {
  onSubscribersChange?(count: number): void;
  onMerged?(): void;
  onOverflow?(error: SubscriberOverflowError): void;
}

interface Subscriber {
  readonly filter: NodeEventFilter & { clusters: Set<string> };
  readonly queue: SubscriberQueue<NodeFeedItem>;
}

/**
 * Fans node events out to subscribers, each behind its own bounded queue, so a reader that
 * never reads costs at most `queueLimit` events and never delays anyone else: publish is
 * synchronous and O(subscribers), it never awaits a reader.
 */
export class NodeChangeFeed {
  private readonly subscribers = new Set<Subscriber>();
  private startedCount = 0;

  constructor(
    private readonly queueLimit: number,
    private readonly hooks: NodeFeedHooks = {},
  ) {}

  get size(): number {
    return this.subscribers.size;
  }

  /** Subscriptions ever started (tests await a new subscription being in place). */
  get started(): number {
    return this.startedCount;
  }

  /**
   * Starts a subscription; those of the `initial` events (a replay) that pass the filter are
   * delivered before any live one.
   */
  subscribe(
    filter: NodeEventFilter,
    initial: readonly NodeEvent[] = [],
  ): AsyncIterableIterator<NodeFeedItem> {
    const subscriber: Subscriber = {
      filter: { ...filter, clusters: new Set(filter.clusters) },
      queue: new SubscriberQueue<NodeFeedItem>({
        limit: this.queueLimit,
        keyOf: (item) => ('overflow' in item ? undefined : nodeEventKey(item)),
        merge: (older, newer) =>
          'overflow' in older || 'overflow' in newer ? newer : mergeNodeEvents(older, newer),
        overflowItem: (overflow) => ({ overflow }),
        onMerge: this.hooks.onMerged,
        onOverflow: this.hooks.onOverflow,
        onClose: () => this.remove(subscriber),
      }),
    };
    this.subscribers.add(subscriber);
    this.startedCount++;
    this.hooks.onSubscribersChange?.(this.subscribers.size);
    const replay = initial.filter((event) => wants(subscriber.filter, event));
    return replay.length === 0 ? subscriber.queue : replayThen(replay, subscriber.queue);
  }

  publish(event: NodeEvent): void {
    for (const subscriber of this.subscribers) {
      if (!wants(subscriber.filter, event)) continue;
      // A full queue closes itself; forget it now rather than when its reader gets round to it.
      if (!subscriber.queue.push(event)) this.remove(subscriber);
    }
  }

  /** Tells subscribers of `cluster` it is gone; those left with no cluster end. */
  clusterRemoved(last: NodeEvent): void {
    for (const subscriber of this.subscribers) {
      const clusters = subscriber.filter.clusters;
      if (!clusters.has(last.cluster)) continue;
      clusters.delete(last.cluster);
      if (clusters.size === 0) {
        subscriber.queue.end(last);
        this.remove(subscriber);
      } else if (!subscriber.queue.push(last)) {
        this.remove(subscriber);
      }
    }
  }

  /** Ends every subscription (shutdown). */
  close(): void {
    for (const subscriber of this.subscribers) subscriber.queue.end();
    this.subscribers.clear();
    this.hooks.onSubscribersChange?.(0);
  }

  private remove(subscriber: Subscriber): void {
    if (this.subscribers.delete(subscriber)) this.hooks.onSubscribersChange?.(this.subscribers.size);
  }
}

function wants(filter: NodeEventFilter, event: NodeEvent): boolean {
  if (!filter.clusters.has(event.cluster)) return false;
  if (event.name === null) return true;
  if (filter.names && !filter.names.has(event.name)) return false;
  if (filter.kinds && !event.changes.some((k) => filter.kinds!.has(k))) return false;
  if (filter.selector) {
    const now = event.node?.labels;
    const before = event.previousLabels;
    if (!matches(filter.selector, now) && !(before && matches(filter.selector, before))) return false;
  }
  return true;
}

/**
 * Yields a replay exactly as recorded (never merged: the reader asked for precisely what it
 * missed; the history bounds its size), then the live queue. A class, not an async generator:
 * a generator parked in `await live.next()` would queue a reader's return() until the next
 * event, leaking the subscription of a cluster that has gone quiet.
 */
function replayThen(
  replay: readonly NodeEvent[],
  live: SubscriberQueue<NodeFeedItem>,
): AsyncIterableIterator<NodeFeedItem> {
  let index = 0;
  const iterator: AsyncIterableIterator<NodeFeedItem> = {
    next() {
      if (index < replay.length) return Promise.resolve({ value: replay[index++]!, done: false });
      return live.next();
    },
    return() {
      index = replay.length;
      return live.return();
    },
    throw(err?: unknown) {
      index = replay.length;
      return live.throw(err);
    },
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}
