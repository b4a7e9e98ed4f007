/**
 * Bounded per-resource event history (the apiserver's watch cache window): watches may resume from any
 * resourceVersion at or after `floor`; older ones get 410 "too old resource version".
 */
import type { StoreEvent } from './store.js';

export class EventHistory {
  private readonly buffer: Array<StoreEvent | undefined>;
  private start = 0;
  private size = 0;
  /** Lowest resourceVersion a watch may resume from: every event after it is still retained. */
  floor: number;

  constructor(
    readonly capacity: number,
    floor: number,
  ) {
    this.buffer = new Array(Math.max(1, capacity));
    this.floor = floor;
  }

  push(event: StoreEvent): void {
    const cap = this.buffer.length;
    if (this.size === cap) {
      const evicted = this.buffer[this.start]!;
      this.floor = evicted.rv;
      this.buffer[this.start] = event;
      this.start = (this.start + 1) % cap;
    } else {
      this.buffer[(this.start + this.size) % cap] = event;
      this.size++;
    }
  }

  private at(i: number): StoreEvent {
    return this.buffer[(this.start + i) % this.buffer.length]!;
  }

  /** Events with rv > `rv`, oldest first; undefined when `rv` is older than the retained window. */
  since(rv: number): StoreEvent[] | undefined {
    if (rv < this.floor) return undefined;
    let lo = 0;
    let hi = this.size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.at(mid).rv <= rv) lo = mid + 1;
      else hi = mid;
    }
    const out: StoreEvent[] = [];
    for (let i = lo; i < this.size; i++) out.push(this.at(i));
    return out;
  }

  /** Forgets everything: only resumes from `floor` or later succeed afterwards. */
  compact(floor: number): void {
    this.buffer.fill(undefined);
    this.start = 0;
    this.size = 0;
    this.floor = floor;
  }

  get length(): number {
    return this.size;
  }
}
