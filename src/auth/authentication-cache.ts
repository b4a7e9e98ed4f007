import { AuthenticationError } from './authentication-error.js';
import type { Authenticator } from './authenticator.js';
import type { Caller } from './caller.js';
import { tokenHash } from './token-hash.js';

export interface AuthenticationCacheOptions {
  /** How long an identity is reused; capped by the caller's expiresAt. 0 = no caching. */
  ttlMs: number;
  /** How long a token the authority refused stays refused without asking again. */
  failureTtlMs: number;
  /** Entries kept at most; the least recently used goes first. */
  maxEntries: number;
  now?: () => number;
}

type Entry =
  | { readonly expiresAt: number; readonly caller: Caller }
  | { readonly expiresAt: number; readonly refusal: AuthenticationError };

/**
 * Remembers what an authenticator answered, keyed by the token's SHA-256 (the token itself is
 * never held), so each request does not cost a TokenReview. Refusals are kept briefly too: a
 * bad token sent in a loop then costs one API call per `failureTtlMs`. An authority that did
 * not answer (UPSTREAM_UNAVAILABLE) is never cached. Concurrent lookups of one token share
 * one call.
 */
export class CachingAuthenticator implements Authenticator {
  private readonly entries = new Map<string, Entry>();
  private readonly pending = new Map<string, Promise<Caller>>();
  private readonly now: () => number;

  constructor(
    private readonly inner: Authenticator,
    private readonly options: AuthenticationCacheOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  /** Entries currently held (expired ones included until touched or pushed out). */
  get size(): number {
    return this.entries.size;
  }

  /** Whether the token's answer is held (for tests; looks up by hash like everything else). */
  has(token: string): boolean {
    return this.entries.has(tokenHash(token));
  }

  authenticate(token: string): Promise<Caller> {
    const key = tokenHash(token);
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt > this.now()) {
      // Re-insert: Map order is the LRU order.
      this.entries.delete(key);
      this.entries.set(key, entry);
      return 'caller' in entry ? Promise.resolve(entry.caller) : Promise.reject(entry.refusal);
    }
    if (entry) this.entries.delete(key);
    const inFlight = this.pending.get(key);
    if (inFlight) return inFlight;
    const call = this.inner.authenticate(token).then(
      (caller) => {
        const until = Math.min(this.now() + this.options.ttlMs, caller.expiresAt ?? Number.POSITIVE_INFINITY);
        this.remember(key, { expiresAt: until, caller }, this.options.ttlMs);
        return caller;
      },
      (err: unknown) => {
        if (err instanceof AuthenticationError && err.code === 'UNAUTHENTICATED') {
          const ttl = this.options.failureTtlMs;
          this.remember(key, { expiresAt: this.now() + ttl, refusal: err }, ttl);
        }
        throw err;
      },
    );
    this.pending.set(key, call);
    const forget = () => this.pending.delete(key);
    call.then(forget, forget);
    return call;
  }

  private remember(key: string, entry: Entry, ttlMs: number): void {
    if (ttlMs <= 0 || entry.expiresAt <= this.now()) return;
    this.entries.delete(key);
    this.entries.set(key, entry);
    while (this.entries.size > this.options.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }
}
