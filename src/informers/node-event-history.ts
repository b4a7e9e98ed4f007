import { randomBytes } from 'node:crypto';
import { quoteInput } from '../platform/quote-input.js';
import type { NodeEvent } from './node-event.js';

/** Ring buffer of one cluster's recent events, in seq order. */
class EventRing {
  private readonly items: (NodeEvent | undefined)[];
  private head = 0;
  private count = 0;
  /** Highest seq pushed out of the ring; a `since` below it can no longer be replayed. */
  evictedUpTo: number;

  constructor(
    private readonly capacity: number,
    /** The seq this cluster's history starts after: nothing about it is known before. */
    readonly startedAfter: number,
  ) {
    this.items = new Array(Math.max(1, capacity));
    this.evictedUpTo = startedAfter;
  }

  push(event: NodeEvent): void {
    if (this.capacity === 0) {
      this.evictedUpTo = event.seq;
      return;
    }
    const tail = (this.head + this.count) % this.capacity;
    if (this.count === this.capacity) {
      this.evictedUpTo = this.items[this.head]!.seq;
      this.head = (this.head + 1) % this.capacity;
    } else {
      this.count++;
    }
    this.items[tail] = event;
  }

  /** Events with seq > `seq`, oldest first. */
  after(seq: number): NodeEvent[] {
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.at(mid).seq <= seq) lo = mid + 1;
      else hi = mid;
    }
    const out: NodeEvent[] = [];
    for (let i = lo; i < this.count; i++) out.push(this.at(i));
    return out;
  }

  private at(i: number): NodeEvent {
    return this.items[(this.head + i) % this.capacity]!;
  }
}

export type ReplayResult =
  | { kind: 'replay'; events: NodeEvent[] }
  | { kind: 'resync'; reason: string }
  | { kind: 'invalid'; reason: string };

/**
 * Recent node events of every cluster, for `since` replays. Each event gets a gateway-wide
 * sequence number; its cursor is that number tagged with this process's epoch, so a cursor
 * from before a restart (or from another replica) reads as "too old" and gets a RESYNC,
 * never a wrong replay. Bounded: `perCluster` events per cluster.
 */
export class NodeEventHistory {
  private seq = 0;
  private readonly rings = new Map<string, EventRing>();
  readonly epoch: string;

  constructor(
    private readonly perCluster: number,
    epoch = randomBytes(4).toString('hex'),
  ) {
    this.epoch = epoch;
  }

  /** Assigns the next seq and cursor; the event is stored for replays. */
  append(cluster: string, event: Omit<NodeEvent, 'seq' | 'cursor' | 'cluster'>): NodeEvent {
    const seq = ++this.seq;
    const full: NodeEvent = { ...event, cluster, seq, cursor: this.cursorOf(seq) };
    this.ring(cluster).push(full);
    return full;
  }

  /** Starts (or restarts) a cluster's history: events before now cannot be replayed for it. */
  openCluster(cluster: string): void {
    this.rings.set(cluster, new EventRing(this.perCluster, this.seq));
  }

  dropCluster(cluster: string): void {
    this.rings.delete(cluster);
  }

  /** Cursor of the newest event so far: "everything up to now". */
  currentCursor(): string {
    return this.cursorOf(this.seq);
  }

  /** Events of `clusters` after `cursor`, merged in seq order, or why they cannot be replayed. */
  since(cursor: string, clusters: readonly string[]): ReplayResult {
    const parsed = this.parseCursor(cursor);
    if (parsed.kind !== 'ok') return parsed;
    const lists: NodeEvent[][] = [];
    for (const cluster of clusters) {
      const ring = this.ring(cluster);
      if (ring.evictedUpTo > parsed.seq) {
        return {
          kind: 'resync',
          reason: `the event history of cluster ${cluster} no longer reaches back that far`,
        };
      }
      lists.push(ring.after(parsed.seq));
    }
    const events = lists.length === 1 ? lists[0]! : lists.flat().sort((a, b) => a.seq - b.seq);
    return { kind: 'replay', events };
  }

  private parseCursor(
    cursor: string,
  ): { kind: 'ok'; seq: number } | Exclude<ReplayResult, { kind: 'replay' }> {
    const text = Buffer.from(cursor, 'base64url').toString('utf8');
    const match = /^nev:([0-9a-f]+):(\d+)$/.exec(text);
    if (!match) {
      return {
        kind: 'invalid',
        reason: `${quoteInput(cursor)} is not a nodeChanged cursor; pass an event's cursor`,
      };
    }
    const seq = Number(match[2]);
    if (match[1] !== this.epoch || seq > this.seq) {
      return {
        kind: 'resync',
        reason: 'the cursor is from before a gateway restart or from another replica',
      };
    }
    return { kind: 'ok', seq };
  }

  private cursorOf(seq: number): string {
    return Buffer.from(`nev:${this.epoch}:${seq}`).toString('base64url');
  }

  private ring(cluster: string): EventRing {
    let ring = this.rings.get(cluster);
    if (!ring) {
      ring = new EventRing(this.perCluster, this.seq);
      this.rings.set(cluster, ring);
    }
    return ring;
  }
}
