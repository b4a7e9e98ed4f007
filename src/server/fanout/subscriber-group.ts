import type { ExecutionResult } from 'graphql';
import { type SubscriberOverflowError, SubscriberQueue } from '../../events/subscriber-queue.js';
import { mergeNodeEvents, type NodeEvent, nodeEventKey } from '../../informers/node-event.js';
import type { NodeChangeItem } from '../../resolvers/node-changes.js';
import { GroupPayload } from './group-payload.js';
import type { MemberWriter } from './member-writer.js';
import { afterTicks, type SliceScheduler } from './slice-scheduler.js';

/** One event of a group: its source item and, once executed, its shared payload. */
export interface GroupFrame {
  /** Undefined for the error that refused the group's source. */
  readonly item?: NodeChangeItem;
  /** The execution result; undefined for a frame merged in one member's queue. */
  readonly payload?: GroupPayload;
  /** The node the event is about: a slow member's pending frames for one node merge. */
  readonly key?: string;
}

export interface GroupOptions {
  /** Runs the group's operation for one source item: once per group, never per member. */
  execute(item: NodeChangeItem): ExecutionResult | Promise<ExecutionResult>;
  scheduler: SliceScheduler;
  /** A slow member's pending events before SUBSCRIBER_TOO_SLOW (--subscriber-queue-limit). */
  queueLimit: number;
  /** Bytes a member's writer may hold unsent before the member queues instead of writing. */
  highWaterBytes: number;
  /** A queueing member writes again once its writer holds no more than this. */
  lowWaterBytes: number;
  onClosed(group: SubscriberGroup): void;
  /** Members beyond the first (they share the group's one feed subscription). */
  onSharedReaders?(delta: number): void;
  onMerged?(): void;
  onOverflow?(error: SubscriberOverflowError): void;
  onError?(err: unknown): void;
}

/** Members written per scheduler task: small enough that a slice ends close to its budget. */
const CHUNK = 64;

export function isNodeEvent(item: NodeChangeItem): item is NodeEvent {
  return !('overflow' in item) && !('failure' in item);
}

/**
 * Subscribers with the same operation, variables and caller: the same events, the same answer.
 * Each source event is executed once for the group and its payload serialized once per wire
 * format (GroupPayload); each member's writer (member-writer.ts: graphql-ws or SSE) frames it,
 * in scheduler slices. A member whose writer is backed up gets a SubscriberQueue of its own
 * (conflation, SUBSCRIBER_TOO_SLOW) and never holds up the others.
 */
export class SubscriberGroup {
  private readonly members = new Set<GroupMember<unknown>>();
  private iterator: AsyncIterator<NodeChangeItem> | undefined;
  private closedFlag = false;
  /** Taken off the source, not yet delivered. */
  private readonly backlog: NodeChangeItem[] = [];
  private sourceDone = false;
  private wakePublisher: (() => void) | undefined;
  private wakeReader: (() => void) | undefined;

  constructor(
    readonly key: string,
    readonly options: GroupOptions,
  ) {}

  get closed(): boolean {
    return this.closedFlag;
  }

  get size(): number {
    return this.members.size;
  }

  /** `onEnd` runs once, when the member leaves (its stream ended, overflow, or the group ended). */
  add<T>(writer: MemberWriter<T>, onEnd?: () => void): GroupMember<T> {
    const member = new GroupMember<T>(writer, this, onEnd);
    this.members.add(member);
    if (this.members.size > 1) this.options.onSharedReaders?.(1);
    return member;
  }

  /** Called by a member as it ends; the last one out stops the group's source. */
  removeMember(member: GroupMember<unknown>): void {
    if (!this.members.delete(member)) return;
    member.onEnd?.();
    if (this.members.size > 0) this.options.onSharedReaders?.(-1);
    else this.close();
  }

  /**
   * Starts the group's source stream. `ready` resolves once it runs (members may join then), or
   * with the error result that refused it (for whoever was joining).
   */
  start(source: Promise<AsyncIterable<NodeChangeItem> | ExecutionResult>): void {
    this.ready = source.then(
      (started) => {
        if (!isAsyncIterable(started)) {
          this.close();
          return started;
        }
        this.iterator = started[Symbol.asyncIterator]();
        void this.pump(this.iterator).catch((err) => this.options.onError?.(err));
        return undefined;
      },
      (err: unknown) => {
        this.close();
        throw err;
      },
    );
  }

  ready: Promise<ExecutionResult | undefined> = Promise.resolve(undefined);

  /**
   * Two loops: one takes events off the source as soon as they come, the other executes and
   * delivers them in order. A group that falls behind (CPU) keeps every event in its backlog:
   * merging there would take an event from every member, fast or not. Conflation is for one
   * member whose writer is backed up (its own queue); only a backlog at its bound leaves events to
   * the source's queue, to merge or overflow there.
   */
  private async pump(iterator: AsyncIterator<NodeChangeItem>): Promise<void> {
    void this.read(iterator).catch((err) => this.options.onError?.(err));
    try {
      for (;;) {
        while (this.backlog.length === 0 && !this.sourceDone && !this.closedFlag) {
          await new Promise<void>((resolve) => {
            this.wakePublisher = resolve;
          });
        }
        const item = this.backlog.shift();
        if (item === undefined || this.closedFlag) break;
        wake(this.wakeReader);
        await this.publish(item);
        // A failure (access withdrawn) or overflow is the stream's last item.
        if (!isNodeEvent(item)) break;
      }
    } finally {
      this.close();
      for (const member of [...this.members]) member.endAfterPending();
    }
  }

  private async read(iterator: AsyncIterator<NodeChangeItem>): Promise<void> {
    const limit = this.options.queueLimit * 10;
    try {
      for (;;) {
        while (this.backlog.length >= limit && !this.closedFlag) {
          await new Promise<void>((resolve) => {
            this.wakeReader = resolve;
          });
        }
        if (this.closedFlag) return;
        const next = await iterator.next();
        if (next.done) return;
        this.backlog.push(next.value);
        wake(this.wakePublisher);
        if (!isNodeEvent(next.value)) return;
      }
    } finally {
      this.sourceDone = true;
      wake(this.wakePublisher);
    }
  }

  /** Executes one item inside a slice, then fans its bytes out; resolves once every member has it. */
  private publish(item: NodeChangeItem): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.options.scheduler.enqueue(() => {
        try {
          const result = this.options.execute(item);
          const key = isNodeEvent(item) ? nodeEventKey(item) : undefined;
          const deliver = (r: ExecutionResult) =>
            this.deliver({ item, payload: new GroupPayload(r), key }, resolve);
          if (result instanceof Promise) void result.then(deliver, reject);
          else deliver(result);
        } catch (err) {
          reject(err);
        }
        return false;
      });
    });
  }

  private deliver(frame: GroupFrame, done: () => void): void {
    const members = [...this.members];
    let index = 0;
    this.options.scheduler.enqueue(() => {
      const stop = Math.min(members.length, index + CHUNK);
      let woken = false;
      for (; index < stop; index++) woken = members[index]!.deliver(frame) || woken;
      const more = index < members.length;
      if (!more) done();
      // Woken SSE streams write in promise continuations (yoga's pull, the response's write):
      // let them run inside this slice, so they count against its budget.
      return woken ? afterTicks(more) : more;
    });
  }

  private close(): void {
    if (this.closedFlag) return;
    this.closedFlag = true;
    wake(this.wakePublisher);
    wake(this.wakeReader);
    this.options.onClosed(this);
    void this.iterator?.return?.();
  }
}

/**
 * One subscription in a group. `sink` is what its transport iterates (graphql-ws, or yoga's
 * SSE processor through envelop's hooks): it yields what a pulling writer holds (SSE), never
 * anything for a pushing one (graphql-ws), and completes when the member ends, so the transport
 * still sends its own completion, runs its end hooks and returns it when the client leaves.
 */
export class GroupMember<T> {
  readonly sink: AsyncIterableIterator<T>;
  private queue: SubscriberQueue<GroupFrame> | undefined;
  private ended = false;
  private wakeSink: (() => void) | undefined;

  constructor(
    private readonly writer: MemberWriter<T>,
    private readonly group: SubscriberGroup,
    readonly onEnd?: () => void,
  ) {
    const take = writer.take?.bind(writer);
    this.sink = {
      next: async (): Promise<IteratorResult<T>> => {
        for (;;) {
          const value = take?.();
          if (value !== undefined) return { done: false, value };
          if (this.ended) return { done: true, value: undefined };
          await new Promise<void>((resolve) => {
            this.wakeSink = resolve;
          });
        }
      },
      return: async () => {
        this.writer.close?.();
        this.finish();
        return { done: true, value: undefined };
      },
      throw: async (err?: unknown) => {
        this.writer.close?.();
        this.finish();
        throw err;
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    };
  }

  get slow(): boolean {
    return this.queue !== undefined;
  }

  get done(): boolean {
    return this.ended;
  }

  /** True when it woke this member's stream (a pulling writer's), which then writes. */
  deliver(frame: GroupFrame): boolean {
    if (this.ended) return false;
    if (this.queue) {
      this.queue.push(frame);
      return false;
    }
    if (this.writer.bufferedBytes > this.group.options.highWaterBytes) {
      this.startQueueing().push(frame);
      return false;
    }
    return this.write(frame.payload!);
  }

  /** The group ended: write what is pending, then complete. */
  endAfterPending(): void {
    if (this.queue) this.queue.end();
    else this.finish();
  }

  private write(payload: GroupPayload): boolean {
    if (!this.writer.isOpen) return false;
    this.writer.write(payload);
    // Only a pulling writer has something for the sink; a pushing one sent it already.
    const waiter = this.writer.take ? this.takeWakeSink() : undefined;
    wake(waiter);
    return waiter !== undefined;
  }

  private takeWakeSink(): (() => void) | undefined {
    const waiter = this.wakeSink;
    this.wakeSink = undefined;
    return waiter;
  }

  private startQueueing(): SubscriberQueue<GroupFrame> {
    const queue = new SubscriberQueue<GroupFrame>({
      limit: this.group.options.queueLimit,
      keyOf: (frame) => frame.key,
      merge: (older, newer) =>
        older.item && newer.item && isNodeEvent(older.item) && isNodeEvent(newer.item)
          ? { item: mergeNodeEvents(older.item, newer.item), key: newer.key }
          : newer,
      overflowItem: (overflow) => ({ item: { overflow } }),
      onMerge: this.group.options.onMerged,
      onOverflow: (error) => {
        this.group.options.onOverflow?.(error);
        // Out of the group now (it gets no more events); its writer gets the error once writable.
        this.group.removeMember(this);
      },
    });
    this.queue = queue;
    void this.drain(queue).catch((err) => this.group.options.onError?.(err));
    return queue;
  }

  /**
   * Writes a backed-up member's frames as its writer empties (merged or error frames are
   * executed for it alone); once its queue is empty and the writer has room, it is back on the
   * direct path.
   */
  private async drain(queue: SubscriberQueue<GroupFrame>): Promise<void> {
    let caughtUp = false;
    try {
      for (;;) {
        await this.writer.writable(this.group.options.lowWaterBytes);
        if (this.ended) return;
        if (queue.size === 0 && !queue.closed) {
          caughtUp = true;
          this.queue = undefined;
          return;
        }
        const next = await queue.next();
        if (next.done) return;
        const frame = next.value;
        const item = frame.item;
        const payload = frame.payload ?? (item && new GroupPayload(await this.group.options.execute(item)));
        if (payload) this.write(payload);
        if (!item || !isNodeEvent(item)) return;
      }
    } finally {
      if (!caughtUp) this.finish();
    }
  }

  private finish(): void {
    if (this.ended) return;
    this.ended = true;
    void this.queue?.return();
    this.group.removeMember(this);
    wake(this.takeWakeSink());
  }
}

function wake(waiter: (() => void) | undefined): void {
  waiter?.();
}

function isAsyncIterable<T>(value: unknown): value is AsyncIterable<T> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}
