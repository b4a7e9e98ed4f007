/** Why a queue was closed because its reader fell too far behind. */
export class SubscriberOverflowError extends Error {
  override readonly name = 'SubscriberOverflowError';
  constructor(
    readonly limit: number,
    readonly dropped: number,
  ) {
    super(
      `subscriber too slow: more than ${limit} events were pending (${dropped} dropped); ` +
        'the subscription was closed: read events faster or narrow the subscription, then resubscribe',
    );
  }
}

export interface SubscriberQueueOptions<T> {
  /** Most items pending for a reader that is not keeping up; one more closes the queue. */
  limit: number;
  /**
   * A full queue closes only once its reader has taken nothing for this long, so a burst (a
   * relist reporting thousands of nodes at once) that a live reader is draining is not an
   * overflow. @default 1000
   */
  maxIdleMs?: number;
  /** Pending items that close the queue even while its reader is draining. @default 10 * limit */
  hardLimit?: number;
  /**
   * Items with the same key are merged while pending (the older one leaves its place and the
   * merged item goes to the tail, so delivery order stays the order of the newest parts).
   * Undefined key = never merged.
   */
  keyOf?: (item: T) => string | undefined;
  /** Combines a pending item with a newer one of the same key. Default: keep the newer. */
  merge?: (older: T, newer: T) => T;
  /**
   * The last item a reader sees after an overflow (e.g. an error payload). Without it the
   * reader's next() rejects with SubscriberOverflowError.
   */
  overflowItem?: (error: SubscriberOverflowError) => T;
  onMerge?: () => void;
  onOverflow?: (error: SubscriberOverflowError) => void;
  /** Called once when the queue ends for any reason (reader return, close, overflow). */
  onClose?: () => void;
}

type Waiter<T> = { resolve: (r: IteratorResult<T>) => void; reject: (err: unknown) => void };

let unkeyedSeq = 0;

/**
 * A bounded async queue between one producer (a fan-out) and one subscriber. Push never blocks
 * and never throws: a fast reader gets each item handed over directly, a slow reader's pending
 * items for the same key are merged, and a reader that still overflows (full, and idle for
 * `maxIdleMs`) is closed with a clear error while its pending items are released, so a reader
 * that never reads costs at most `limit` items of memory and never slows other subscribers.
 */
export class SubscriberQueue<T> implements AsyncIterableIterator<T> {
  // Map keeps insertion order: the first entry is the oldest pending item.
  private readonly pending = new Map<string, T>();
  private waiter: Waiter<T> | undefined;
  private state: 'open' | 'ending' | 'done' = 'open';
  private failure: unknown;
  private closeNotified = false;
  /** When the reader last asked for an item: how a slow reader is told from a burst. */
  private lastTakenAt = Date.now();

  constructor(private readonly options: SubscriberQueueOptions<T>) {}

  get size(): number {
    return this.pending.size;
  }

  get closed(): boolean {
    return this.state !== 'open';
  }

  /** Offers an item; false when the queue no longer accepts items. */
  push(item: T): boolean {
    if (this.state !== 'open') return false;
    if (this.waiter) {
      const waiter = this.waiter;
      this.waiter = undefined;
      this.lastTakenAt = Date.now();
      waiter.resolve({ value: item, done: false });
      return true;
    }
    this.enqueue(item);
    // Checked after merging: a reader whose queue is still over the limit, and who has taken
    // nothing for a while, is not coming back for these events.
    if (this.pending.size > this.options.limit && this.isOverflowing()) {
      this.overflow();
      return false;
    }
    return true;
  }

  private enqueue(item: T): void {
    const key = this.options.keyOf?.(item);
    const older = key === undefined ? undefined : this.pending.get(key);
    if (key !== undefined && older !== undefined) {
      this.pending.delete(key);
      this.pending.set(key, this.options.merge ? this.options.merge(older, item) : item);
      this.options.onMerge?.();
      return;
    }
    this.pending.set(key ?? `\u0000${unkeyedSeq++}`, item);
  }

  /** Ends the queue after the reader has taken what is pending (and `last`, if given). */
  end(last?: T): void {
    if (this.state !== 'open') return;
    if (last !== undefined) this.pending.set(`\u0000${unkeyedSeq++}`, last);
    this.state = 'ending';
    this.settleWaiter();
  }

  /** Ends the queue now: pending items are dropped, the reader's next() rejects with `err`. */
  fail(err: unknown): void {
    if (this.state === 'done') return;
    this.pending.clear();
    this.failure = err;
    this.state = 'ending';
    this.settleWaiter();
  }

  next(): Promise<IteratorResult<T>> {
    this.lastTakenAt = Date.now();
    const first = this.pending.entries().next();
    if (!first.done) {
      this.pending.delete(first.value[0]);
      return Promise.resolve({ value: first.value[1], done: false });
    }
    if (this.state !== 'open') return this.finish();
    if (this.waiter) return Promise.reject(new Error('SubscriberQueue: concurrent next() calls'));
    return new Promise((resolve, reject) => {
      this.waiter = { resolve, reject };
    });
  }

  return(): Promise<IteratorResult<T>> {
    this.pending.clear();
    this.failure = undefined;
    this.state = 'ending';
    this.settleWaiter();
    return this.finish();
  }

  throw(err?: unknown): Promise<IteratorResult<T>> {
    this.pending.clear();
    this.state = 'ending';
    this.settleWaiter();
    this.markDone();
    return Promise.reject(err);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private isOverflowing(): boolean {
    if (this.pending.size > (this.options.hardLimit ?? this.options.limit * 10)) return true;
    return Date.now() - this.lastTakenAt >= (this.options.maxIdleMs ?? 1000);
  }

  private overflow(): void {
    const error = new SubscriberOverflowError(this.options.limit, this.pending.size);
    this.options.onOverflow?.(error);
    this.pending.clear();
    if (this.options.overflowItem) {
      this.pending.set('\u0000overflow', this.options.overflowItem(error));
      this.state = 'ending';
    } else {
      this.failure = error;
      this.state = 'ending';
    }
  }

  /** A reader parked in next() while the queue ended gets its answer now. */
  private settleWaiter(): void {
    const waiter = this.waiter;
    if (!waiter) return;
    this.waiter = undefined;
    const first = this.pending.entries().next();
    if (!first.done) {
      this.pending.delete(first.value[0]);
      waiter.resolve({ value: first.value[1], done: false });
      return;
    }
    this.finish().then(waiter.resolve, waiter.reject);
  }

  private finish(): Promise<IteratorResult<T>> {
    this.markDone();
    const failure = this.failure;
    if (failure !== undefined) {
      this.failure = undefined;
      return Promise.reject(failure);
    }
    return Promise.resolve({ value: undefined, done: true });
  }

  private markDone(): void {
    this.state = 'done';
    if (this.closeNotified) return;
    this.closeNotified = true;
    this.options.onClose?.();
  }
}
