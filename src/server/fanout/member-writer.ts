import type { GroupPayload } from './group-payload.js';

/**
 * Where a group member's events go: one subscription on one transport. The group writes to it
 * while `bufferedBytes` stays under its high-water mark and queues for the member otherwise.
 *
 * - A pushing transport (graphql-ws) frames and sends each payload itself; its member's stream
 *   never yields (`take` absent).
 * - A pulling transport (SSE, whose response stream asks for the next event when the client has
 *   room) keeps what was written until `take` hands it to the member's stream.
 */
export interface MemberWriter<T = never> {
  /** Written and not yet on its way to the client: the member queues above the high-water mark. */
  readonly bufferedBytes: number;
  /** False once nothing written can reach the client any more (socket closed). */
  readonly isOpen: boolean;
  write(payload: GroupPayload): void;
  /** Resolves once `bufferedBytes` is at most `lowWaterBytes`, or the writer is no longer open. */
  writable(lowWaterBytes: number): Promise<void>;
  /** A pulling writer's oldest value not yet taken by the member's stream. */
  take?(): T | undefined;
  /** The member's stream was returned (client gone): drop what was not taken, wake `writable`. */
  close?(): void;
}
