/**
 * Paginated lists (limit/continue) are served from a snapshot taken by the first page, so that every
 * object appears exactly once and the list's resourceVersion stays consistent, as etcd's MVCC read gives
 * the real apiserver. Snapshots expire like etcd compaction expires continue tokens: after `ttlMs`, or at
 * once on compactHistory(); using an expired token gets 410 Expired.
 */
import { randomUUID } from 'node:crypto';
import { errors } from './status.js';
import type { StoredObject } from './store.js';

interface Snapshot {
  items: readonly StoredObject[];
  rv: number;
  createdAt: number;
}

export interface ContinueState {
  items: readonly StoredObject[];
  rv: number;
  offset: number;
}

export class ListSnapshots {
  private readonly snapshots = new Map<string, Snapshot>();

  constructor(
    private readonly ttlMs = 300_000,
    private readonly maxSnapshots = 256,
  ) {}

  /** A continue token for `items[offset:]` at resourceVersion `rv`. */
  token(items: readonly StoredObject[], rv: number, offset: number, existingId?: string): string {
    let id = existingId;
    if (!id || !this.snapshots.has(id)) {
      id = randomUUID();
      this.snapshots.set(id, { items, rv, createdAt: Date.now() });
      this.evict();
    }
    const last = items[offset - 1]?.key ?? '';
    // Same outer shape as the apiserver's token; clients treat it as opaque.
    const payload = { v: 'meta.k8s.io/v1', rv, start: `${last}\u0000`, sim: { id, offset } };
    return Buffer.from(JSON.stringify(payload)).toString('base64');
  }

  resolve(token: string): ContinueState & { id: string } {
    let payload: { v?: string; rv?: number; sim?: { id?: string; offset?: number } };
    try {
      payload = JSON.parse(Buffer.from(token, 'base64').toString('utf8'));
    } catch {
      throw errors.badRequest(`continue key is not valid: illegal base64 data or JSON`);
    }
    if (
      payload.v !== 'meta.k8s.io/v1' ||
      typeof payload.sim?.id !== 'string' ||
      typeof payload.sim.offset !== 'number'
    ) {
      throw errors.badRequest(
        'continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)',
      );
    }
    const snap = this.snapshots.get(payload.sim.id);
    if (!snap || Date.now() - snap.createdAt > this.ttlMs) {
      this.snapshots.delete(payload.sim.id);
      throw errors.gone(
        'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.',
      );
    }
    return { id: payload.sim.id, items: snap.items, rv: snap.rv, offset: payload.sim.offset };
  }

  /** Called when the last page was served: the snapshot is no longer needed. */
  release(id: string): void {
    this.snapshots.delete(id);
  }

  expireAll(): void {
    this.snapshots.clear();
  }

  private evict(): void {
    const now = Date.now();
    for (const [id, s] of this.snapshots) {
      if (now - s.createdAt > this.ttlMs || this.snapshots.size > this.maxSnapshots)
        this.snapshots.delete(id);
    }
  }
}
