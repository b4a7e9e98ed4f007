import type { ExecutionResult } from 'graphql';
import { type SubscriberOverflowError, SubscriberQueue } from '../../events/subscriber-queue.js';
import { mergeNodeEvents, type NodeEvent, nodeEventKey } from '../../informers/node-event.js';
import type { NodeChangeItem } from '../../resolvers/node-changes.js';
import { formattedWithoutHttp } from '../use-strip-http-extensions.js';
import type { SliceScheduler } from './slice-scheduler.js';

/** The part of a `ws` WebSocket a member writes to. */
export interface FanoutSocket {
  readonly readyState: number;
  readonly bufferedAmount: number;
  send(data: Buffer, options: { binary: false }): void;
}

/** One event of a group: its source item and, once executed, its serialized payload. */
export interface GroupFrame {
  /** Undefined for the error that refused the group's source. */
  readonly item?: NodeChangeItem;
  /** The execution result's JSON; undefined for a frame merged in one member's queue. */
  readonly payload?: Buffer;
  /** The node the event is about: a slow member's pending frames for one node merge. */
  readonly key?: string;
}

export interface GroupOptions {
  /** Runs the group's operation for one source item: once per group, never per member. */
  execute(item: NodeChangeItem): ExecutionResult | Promise<ExecutionResult>;
  scheduler: SliceScheduler;
  /** A slow member's pending events before SUBSCRIBER_TOO_SLOW (--subscriber-queue-limit). */
  queueLimit: number;
  /** Bytes a socket may hold unsent before its members queue instead of writing. */
  highWaterBytes: number;
  /** A queueing member writes again once its socket holds no more than this. */
  lowWaterBytes: number;
  onClosed(group: SubscriberGroup): void;
  onMemberEnd?(): void;
  /** Members beyond the first (they share the group's one feed subscription). */
  onSharedReaders?(delta: number): void;
  onMerged?(): void;
  onOverflow?(error: SubscriberOverflowError): void;
  onError?(err: unknown): void;
}

const OPEN = 1;
/** Members written per scheduler task: small enough that a slice ends close to its budget. */
const CHUNK = 64;
const FRAME_END = Buffer.from('}');
const TEXT = { binary: false } as const;

export function isNodeEvent(item: NodeChangeItem): item is NodeEvent {
  return !('overflow' in item) && !('failure' in item);
}

export function serializedResult(result: ExecutionResult): Buffer {
  return Buffer.from(JSON.stringify(formattedWithoutHttp(result)));
}

/**
 * Subscribers with the same operation, variables and caller: the same events, the same answer.
 * Each source event is executed and serialized once for the group, and the same bytes go to
 * every member inside its own graphql-ws `next` frame (prefix with the member's id + payload +
 * `}`), in scheduler slices. A member whose socket is backed up gets a SubscriberQueue of its own
 * (conflation, SUBSCRIBER_TOO_SLOW) and never holds up the others.
 */
export class SubscriberGroup {
  private readonly members = new Set<GroupMember>();
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

  add(id: string, socket: FanoutSocket): GroupMember {
    const member = new GroupMember(id, socket, this);
    this.members.add(member);
    if (this.members.size > 1) this.options.onSharedReaders?.(1);
    return member;
  }

  /** Called by a member as it ends; the last one out stops the group's source. */
  removeMember(member: GroupMember): void {
    if (!this.members.delete(member)) return;
    this.options.onMemberEnd?.();
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
   * member whose socket is slow (its own queue); only a backlog at its bound leaves events to
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
            this.deliver({ item, payload: serializedResult(r), key }, resolve);
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
      for (; index < stop; index++) members[index]!.deliver(frame);
      if (index < members.length) return true;
      done();
      return false;
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
 * One graphql-ws subscription in a group. `sink` is what graphql-ws iterates: it never yields
 * (frames are written to the socket directly) and completes when the member ends, so
 * graphql-ws still sends `complete`, calls onComplete and returns it on the client's complete.
 */
export class GroupMember {
  readonly sink: AsyncIterableIterator<never>;
  private readonly prefix: Buffer;
  private queue: SubscriberQueue<GroupFrame> | undefined;
  private ended = false;
  private settle: (result: IteratorResult<never>) => void = () => {};
  private readonly endedPromise: Promise<IteratorResult<never>>;

  constructor(
    readonly id: string,
    private readonly socket: FanoutSocket,
    private readonly group: SubscriberGroup,
  ) {
    // graphql-ws's own serialization: JSON.stringify({ id, type, payload }).
    this.prefix = Buffer.from(`{"id":${JSON.stringify(id)},"type":"next","payload":`);
    this.endedPromise = new Promise((resolve) => {
      this.settle = resolve;
    });
    this.sink = {
      next: () => this.endedPromise,
      return: async () => {
        this.finish();
        return { done: true, value: undefined };
      },
      throw: async (err?: unknown) => {
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

  deliver(frame: GroupFrame): void {
    if (this.ended) return;
    if (this.queue) {
      this.queue.push(frame);
      return;
    }
    if (this.socket.bufferedAmount > this.group.options.highWaterBytes) {
      this.startQueueing().push(frame);
      return;
    }
    this.write(frame.payload!);
  }

  /** The group ended: write what is pending, then complete. */
  endAfterPending(): void {
    if (this.queue) this.queue.end();
    else this.finish();
  }

  private write(payload: Buffer): void {
    if (this.socket.readyState !== OPEN) return;
    // A text frame, as graphql-ws sends (ws would send a Buffer as a binary one).
    this.socket.send(Buffer.concat([this.prefix, payload, FRAME_END]), TEXT);
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
        // Out of the group now (it gets no more events); its socket gets the error once writable.
        this.group.removeMember(this);
      },
    });
    this.queue = queue;
    void this.drain(queue).catch((err) => this.group.options.onError?.(err));
    return queue;
  }

  /**
   * Writes a backed-up member's frames as its socket empties (merged or error frames are
   * executed for it alone); once its queue is empty and the socket writable, it is back on the
   * direct path.
   */
  private async drain(queue: SubscriberQueue<GroupFrame>): Promise<void> {
    let caughtUp = false;
    try {
      for (;;) {
        await socketGate(this.socket, this.group.options.lowWaterBytes).writable();
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
        const payload = frame.payload ?? (item && serializedResult(await this.group.options.execute(item)));
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
    this.settle({ done: true, value: undefined });
  }
}

function wake(waiter: (() => void) | undefined): void {
  waiter?.();
}

const gates = new WeakMap<FanoutSocket, SocketGate>();

function socketGate(socket: FanoutSocket, lowWaterBytes: number): SocketGate {
  let gate = gates.get(socket);
  if (!gate) {
    gate = new SocketGate(socket, lowWaterBytes);
    gates.set(socket, gate);
  }
  return gate;
}

/**
 * Wakes the backed-up members of one socket when it has room again: one poll per socket (ws
 * has no drain event), not one timer per member.
 */
class SocketGate {
  private waiters: (() => void)[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly socket: FanoutSocket,
    private readonly lowWaterBytes: number,
  ) {}

  private get open(): boolean {
    return this.socket.readyState !== OPEN || this.socket.bufferedAmount <= this.lowWaterBytes;
  }

  writable(): Promise<void> {
    if (this.open) return Promise.resolve();
    return new Promise((resolve) => {
      this.waiters.push(resolve);
      this.timer ??= setTimeout(() => this.poll(), GATE_POLL_MS);
    });
  }

  private poll(): void {
    this.timer = undefined;
    if (!this.open) {
      this.timer = setTimeout(() => this.poll(), GATE_POLL_MS);
      return;
    }
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}

const GATE_POLL_MS = 10;

function isAsyncIterable<T>(value: unknown): value is AsyncIterable<T> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}
