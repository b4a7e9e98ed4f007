import type { AuthorizationDecision } from './authorizer.js';

export interface DecisionCacheOptions {
  /** How long a decision is reused; 0 = never cached (concurrent checks still share one). */
  readonly ttlMs: number;
  /** @default 10000 */
  readonly maxEntries?: number;
  /** @default Date.now */
  readonly now?: () => number;
}

interface Entry {
  readonly decision: AuthorizationDecision;
  readonly expiresAt: number;
}

/**
 * Decisions by key for `ttlMs`, least recently used dropped beyond `maxEntries`, and one
 * question in flight per key: concurrent identical checks share its answer. A failed question
 * is not remembered.
 */
export class DecisionCache {
  private readonly entries = new Map<string, Entry>();
  private readonly inFlight = new Map<string, Promise<AuthorizationDecision>>();
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(private readonly options: DecisionCacheOptions) {
    this.maxEntries = options.maxEntries ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    return this.entries.size;
  }

  /** The cached decision (unless `fresh`), else the answer of `ask`, shared with concurrent askers. */
  decide(
    key: string,
    ask: () => Promise<AuthorizationDecision>,
    fresh = false,
  ): Promise<AuthorizationDecision> {
    if (!fresh) {
      const hit = this.hit(key);
      if (hit) return Promise.resolve(hit);
    }
    const pending = this.inFlight.get(key);
    if (pending) return pending;
    const asked = ask().then(
      (decision) => {
        this.inFlight.delete(key);
        this.store(key, decision);
        return decision;
      },
      (err: unknown) => {
        this.inFlight.delete(key);
        throw err;
      },
    );
    this.inFlight.set(key, asked);
    return asked;
  }

  private hit(key: string): AuthorizationDecision | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    if (entry.expiresAt <= this.now()) return undefined;
    this.entries.set(key, entry); // most recently used goes last
    return entry.decision;
  }

  private store(key: string, decision: AuthorizationDecision): void {
    if (this.options.ttlMs <= 0) return;
    this.entries.delete(key);
    this.entries.set(key, { decision, expiresAt: this.now() + this.options.ttlMs });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }
}
