import type { NodeLease, NodeLock } from './node-lock.js';

/** NodeLock within one process. */
export class MemoryNodeLock implements NodeLock {
  private readonly leases = new Map<string, { token: string; expiresAt: number }>();

  async acquire(key: string, token: string, ttlMs: number): Promise<boolean> {
    return this.acquireNow(key, token, ttlMs);
  }

  /** Synchronous acquire, for the memory store's atomic re-creation of a job. */
  acquireNow(key: string, token: string, ttlMs: number): boolean {
    const current = this.current(key);
    if (current && current !== token) return false;
    this.leases.set(key, { token, expiresAt: Date.now() + ttlMs });
    return true;
  }

  async renew(lease: NodeLease, ttlMs: number): Promise<boolean> {
    if (this.current(lease.key) !== lease.token) return false;
    this.leases.set(lease.key, { token: lease.token, expiresAt: Date.now() + ttlMs });
    return true;
  }

  async release(lease: NodeLease): Promise<void> {
    if (this.current(lease.key) === lease.token) this.leases.delete(lease.key);
  }

  async holder(key: string): Promise<string | null> {
    return this.current(key) ?? null;
  }

  /** Synchronous check, for the memory store's fenced writes. */
  holds(lease: NodeLease): boolean {
    return this.current(lease.key) === lease.token;
  }

  private current(key: string): string | undefined {
    const lease = this.leases.get(key);
    if (!lease) return undefined;
    if (lease.expiresAt > Date.now()) return lease.token;
    this.leases.delete(key);
    return undefined;
  }
}
