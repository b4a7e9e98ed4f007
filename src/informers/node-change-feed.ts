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
  /**
   * The subscribers of each cluster: those of every node, and those naming nodes by name, so an
   * event touches only the subscriptions that can want it, not all of them.
   */
  private readonly byCluster = new Map<string, ClusterIndex>();
  private startedCount = 0;
  /** Readers a fan-out serves from one subscription of this feed, beyond the first of each. */
  private sharedReaders = 0;

  constructor(
    private readonly queueLimit: number,
    private readonly hooks: NodeFeedHooks = {},
  ) {}

  /** Subscribers, counting each reader a fan-out serves from a shared subscription. */
  get size(): number {
    return this.subscribers.size + this.sharedReaders;
  }

  /**
   * A fan-out (src/server/fanout) serving one subscription to several readers reports them
   * here, so `gateway_node_subscribers` still counts subscribers, not subscriptions.
   */
  addSharedReaders(delta: number): void {
    this.sharedReaders += delta;
    this.hooks.onSubscribersChange?.(this.size);
  }

  /** Such a reader merged events or fell too far behind in its own queue (the same metrics). */
  readonly readerHooks = {
    onMerged: () => this.hooks.onMerged?.(),
    onOverflow: (error: SubscriberOverflowError) => this.hooks.onOverflow?.(error),
  };

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
    this.index(subscriber, 'add');
    this.startedCount++;
    this.hooks.onSubscribersChange?.(this.size);
    const replay = initial.filter((event) => wants(subscriber.filter, event));
    return replay.length === 0 ? subscriber.queue : replayThen(replay, subscriber.queue);
  }

  publish(event: NodeEvent): void {
    const index = this.byCluster.get(event.cluster);
    if (!index) return;
    if (event.name === null) {
      // Without a name (RESYNC) an event is for every subscriber of the cluster, once each.
      const everyone = new Set(index.all);
      for (const named of index.byName.values()) for (const subscriber of named) everyone.add(subscriber);
      for (const subscriber of everyone) this.offer(subscriber, event);
      return;
    }
    const named = index.byName.get(event.name);
    for (const subscriber of [...index.all, ...(named ?? [])]) this.offer(subscriber, event);
  }

  private offer(subscriber: Subscriber, event: NodeEvent): void {
    if (!wants(subscriber.filter, event)) return;
    // A full queue closes itself; forget it now rather than when its reader gets round to it.
    if (!subscriber.queue.push(event)) this.remove(subscriber);
  }

  /** Tells subscribers of `cluster` it is gone; those left with no cluster end. */
  clusterRemoved(last: NodeEvent): void {
    for (const subscriber of this.subscribers) {
      const clusters = subscriber.filter.clusters;
      if (!clusters.has(last.cluster)) continue;
      this.index(subscriber, 'delete');
      clusters.delete(last.cluster);
      this.index(subscriber, 'add');
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
    this.byCluster.clear();
    this.sharedReaders = 0;
    this.hooks.onSubscribersChange?.(0);
  }

  private remove(subscriber: Subscriber): void {
    if (!this.subscribers.delete(subscriber)) return;
    this.index(subscriber, 'delete');
    this.hooks.onSubscribersChange?.(this.size);
  }

  private index(subscriber: Subscriber, op: 'add' | 'delete'): void {
    for (const cluster of subscriber.filter.clusters) {
      let index = this.byCluster.get(cluster);
      if (!index) {
        if (op === 'delete') continue;
        index = { all: new Set(), byName: new Map() };
        this.byCluster.set(cluster, index);
      }
      const names = subscriber.filter.names;
      if (!names) index.all[op](subscriber);
      else {
        for (const name of names) {
          let set = index.byName.get(name);
          if (!set) {
            if (op === 'delete') continue;
            set = new Set();
            index.byName.set(name, set);
          }
          set[op](subscriber);
          if (set.size === 0) index.byName.delete(name);
        }
      }
      if (index.all.size === 0 && index.byName.size === 0) this.byCluster.delete(cluster);
    }
  }
}

interface ClusterIndex {
  readonly all: Set<Subscriber>;
  readonly byName: Map<string, Set<Subscriber>>;
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
