/** A lease someone holds on a node: whoever holds it may drain the node. */
export interface NodeLease {
  readonly key: string;
  /** Unique per acquisition; only the holder of the token can renew or release. */
  readonly token: string;
}

/**
 * Per-node lease locks, so that at most one replica drains a node at a time. A lease lapses
 * `ttlMs` after it was last taken or renewed: a replica that dies loses it without telling anyone.
 */
export interface NodeLock {
  /** Takes the lease if nobody holds it (or `token` already does). */
  acquire(key: string, token: string, ttlMs: number): Promise<boolean>;
  /** Extends the lease; false when it lapsed or someone else holds it now. */
  renew(lease: NodeLease, ttlMs: number): Promise<boolean>;
  /** Gives the lease up if it is still ours. */
  release(lease: NodeLease): Promise<void>;
  /** The token holding the lease, or null. */
  holder(key: string): Promise<string | null>;
}

/** The lock key of a node's drain lease (stores prefix it further). */
export function nodeLeaseKey(cluster: string, node: string): string {
  return `drain:lease:${cluster}:${node}`;
}

/**
 * The lock key of a bulk drain's coordinator lease: whoever holds it coordinates the bulk job
 * (starts its queued nodes, follows their drains, records its events).
 */
export function bulkLeaseKey(bulkId: string): string {
  return `drain:bulk:${bulkId}:lease`;
}
