import type { GroupPayload } from './group-payload.js';
import type { MemberWriter } from './member-writer.js';

/** The part of a `ws` WebSocket a member writes to. */
export interface FanoutSocket {
  readonly readyState: number;
  readonly bufferedAmount: number;
  send(data: Buffer, options: { binary: false }): void;
}

const OPEN = 1;
const FRAME_END = Buffer.from('}');
const TEXT = { binary: false } as const;

/**
 * One graphql-ws subscription: each payload goes out inside its own `next` frame (prefix with
 * the subscription id + payload + `}`), byte for byte what graphql-ws's JSON.stringify of
 * `{ id, type, payload }` sends.
 */
export class WsMemberWriter implements MemberWriter {
  private readonly prefix: Buffer;

  constructor(
    private readonly socket: FanoutSocket,
    id: string,
  ) {
    this.prefix = Buffer.from(`{"id":${JSON.stringify(id)},"type":"next","payload":`);
  }

  get bufferedBytes(): number {
    return this.socket.bufferedAmount;
  }

  get isOpen(): boolean {
    return this.socket.readyState === OPEN;
  }

  write(payload: GroupPayload): void {
    if (!this.isOpen) return;
    // A text frame, as graphql-ws sends (ws would send a Buffer as a binary one).
    this.socket.send(Buffer.concat([this.prefix, payload.jsonBytes, FRAME_END]), TEXT);
  }

  writable(lowWaterBytes: number): Promise<void> {
    return socketGate(this.socket, lowWaterBytes).writable();
  }
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
