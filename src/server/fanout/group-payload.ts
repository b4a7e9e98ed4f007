import type { ExecutionResult } from 'graphql';
import { formattedWithoutHttp } from '../use-strip-http-extensions.js';

/**
 * What graphql-yoga's SSE processor serializes for one event: a result, or a result carrying
 * its own JSON in `stringify` (yoga calls `result.stringify ?? JSON.stringify`, the hook
 * graphql-jit's results use).
 */
export type SseValue = ExecutionResult & { readonly stringify?: (result: unknown) => string };

/** The `event: next` frame of an SSE value the group shares, encoded once for all members. */
const sharedSseFrames = new WeakMap<SseValue, Uint8Array>();

/**
 * The whole SSE frame of `value` when it is a group's shared value, as sse-member-response.ts
 * writes it; undefined for anything else (a result with errors, or one a plugin replaced).
 */
export function sharedSseFrameOf(value: unknown): Uint8Array | undefined {
  return typeof value === 'object' && value !== null ? sharedSseFrames.get(value as SseValue) : undefined;
}

/**
 * One executed event of a group, serialized at most once however many members, of either
 * transport, take it: each form is made the first time a member asks for it.
 */
export class GroupPayload {
  private text: string | undefined;
  private bytes: Buffer | undefined;
  private sse: SseValue | undefined;

  constructor(readonly result: ExecutionResult) {}

  /** The result's JSON as graphql-ws sends it (no `extensions.http`). */
  get json(): string {
    this.text ??= JSON.stringify(formattedWithoutHttp(this.result));
    return this.text;
  }

  /** `json` as UTF-8: what goes inside a member's graphql-ws `next` frame. */
  get jsonBytes(): Buffer {
    this.bytes ??= Buffer.from(this.json);
    return this.bytes;
  }

  /**
   * What an SSE member hands yoga. A result of `data` alone (every ordinary event) carries the
   * shared JSON, which is what yoga would produce for it (JSON.stringify of `{ data }`); a
   * result with errors or extensions goes to yoga as it is, so yoga's own serialization (masking,
   * internals removed) makes its bytes, as without the fan-out.
   */
  get sseValue(): SseValue {
    if (this.sse) return this.sse;
    const keys = Object.keys(this.result);
    if (keys.length === 1 && keys[0] === 'data') {
      const json = this.json;
      this.sse = { data: this.result.data, stringify: () => json };
      sharedSseFrames.set(this.sse, Buffer.from(`event: next\ndata: ${json}\n\n`));
    } else {
      this.sse = this.result;
    }
    return this.sse;
  }
}
