import type { GroupPayload, SseValue } from './group-payload.js';
import type { MemberWriter } from './member-writer.js';

/**
 * One SSE subscription in a group. yoga's SSE processor stays the writer of the stream (its
 * `event: next` / `data:` framing, keep-alive pings, `event: complete`, cancellation on
 * disconnect); it pulls the member's stream only when the response has room, so what the group
 * writes waits here until then. What waits here is the member's backlog: past the group's
 * high-water mark the member gets its own conflating queue, as a backed-up socket's does.
 */
export class SseMemberWriter implements MemberWriter<SseValue> {
  private values: (SseValue | undefined)[] = [];
  private sizes: number[] = [];
  private head = 0;
  private pending = 0;
  private closed = false;
  private waiters: { lowWaterBytes: number; wake: () => void }[] = [];

  /** Characters of JSON written and not yet taken (JSON is nearly all ASCII: about its bytes). */
  get bufferedBytes(): number {
    return this.pending;
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  write(payload: GroupPayload): void {
    if (this.closed) return;
    const size = payload.json.length;
    this.values.push(payload.sseValue);
    this.sizes.push(size);
    this.pending += size;
  }

  take(): SseValue | undefined {
    if (this.head >= this.values.length) return undefined;
    const value = this.values[this.head];
    this.values[this.head] = undefined;
    this.pending -= this.sizes[this.head]!;
    this.head++;
    if (this.head === this.values.length) {
      this.values = [];
      this.sizes = [];
      this.head = 0;
    } else if (this.head >= COMPACT_AFTER && this.head * 2 >= this.values.length) {
      this.values = this.values.slice(this.head);
      this.sizes = this.sizes.slice(this.head);
      this.head = 0;
    }
    if (this.waiters.length > 0) this.wakeWritable();
    return value;
  }

  writable(lowWaterBytes: number): Promise<void> {
    if (this.closed || this.pending <= lowWaterBytes) return Promise.resolve();
    return new Promise((wake) => this.waiters.push({ lowWaterBytes, wake }));
  }

  close(): void {
    this.closed = true;
    this.values = [];
    this.sizes = [];
    this.head = 0;
    this.pending = 0;
    this.wakeWritable();
  }

  private wakeWritable(): void {
    const ready = this.waiters.filter((w) => this.closed || this.pending <= w.lowWaterBytes);
    if (ready.length === 0) return;
    this.waiters = this.waiters.filter((w) => !ready.includes(w));
    for (const w of ready) w.wake();
  }
}

/** Taken values are dropped from the front in batches, not one array shift per event. */
const COMPACT_AFTER = 1024;
