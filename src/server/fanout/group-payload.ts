import type { ExecutionResult } from 'graphql';
import { formattedWithoutHttp } from '../use-strip-http-extensions.js';

/**
 * What graphql-yoga's SSE processor serializes for one event: a result, or a result carrying
 * its own JSON in `stringify` (yoga calls `result.stringify ?? JSON.stringify`, the hook
 * graphql-jit's results use).
 */
export type SseValue = ExecutionResult & { readonly stringify?: (result: unknown) => string };

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
    } else {
      this.sse = this.result;
    }
    return this.sse;
  }
}
