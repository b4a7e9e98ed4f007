import type { GraphQLError } from 'graphql';
import type { GatewayConfig } from '../config/gateway-config.js';
import { gatewayError } from '../resolvers/graphql-errors.js';

/** How many subscriptions may stream at once. */
export interface SubscriptionLimitsConfig {
  /** On one graphql-ws socket (an SSE stream carries one subscription). */
  readonly perConnection: number;
  /** Of one caller (see callerBucket), over every connection and transport of this replica. */
  readonly perUser: number;
  /** On this replica. */
  readonly total: number;
}

export interface SubscriptionRefusal {
  readonly scope: 'connection' | 'user' | 'gateway';
  readonly limit: number;
}

/** Gives back one subscription's slots; calling it again does nothing. */
export type ReleaseSubscription = () => void;

/**
 * Counts live subscriptions per connection, per caller and in total, and refuses one that would
 * pass a limit. Counters of connections and callers with no subscription are dropped, so the
 * bookkeeping is bounded by the live subscriptions.
 */
export class SubscriptionLimits {
  private total = 0;
  private readonly byConnection = new Map<object, number>();
  private readonly byUser = new Map<string, number>();

  constructor(private readonly config: SubscriptionLimitsConfig) {}

  static fromConfig(config: GatewayConfig): SubscriptionLimits {
    return new SubscriptionLimits({
      perConnection: config.limits.subscriptionsPerConnection,
      perUser: config.limits.subscriptionsPerUser,
      total: config.limits.subscriptions,
    });
  }

  acquire(connection: object, user: string): ReleaseSubscription | SubscriptionRefusal {
    const onConnection = this.byConnection.get(connection) ?? 0;
    if (onConnection >= this.config.perConnection)
      return { scope: 'connection', limit: this.config.perConnection };
    const ofUser = this.byUser.get(user) ?? 0;
    if (ofUser >= this.config.perUser) return { scope: 'user', limit: this.config.perUser };
    if (this.total >= this.config.total) return { scope: 'gateway', limit: this.config.total };
    this.total++;
    this.byConnection.set(connection, onConnection + 1);
    this.byUser.set(user, ofUser + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.total--;
      decrement(this.byConnection, connection);
      decrement(this.byUser, user);
    };
  }

  get active(): number {
    return this.total;
  }
}

function decrement<K>(counts: Map<K, number>, key: K): void {
  const n = (counts.get(key) ?? 1) - 1;
  if (n <= 0) counts.delete(key);
  else counts.set(key, n);
}

export function isRefusal(r: ReleaseSubscription | SubscriptionRefusal): r is SubscriptionRefusal {
  return typeof r !== 'function';
}

/** The error of the one subscription refused; the caller's other subscriptions go on. */
export function subscriptionLimitError(refusal: SubscriptionRefusal): GraphQLError {
  const what =
    refusal.scope === 'connection'
      ? 'subscriptions on this connection'
      : refusal.scope === 'user'
        ? 'subscriptions of this caller'
        : 'subscriptions on this gateway';
  return gatewayError('RATE_LIMITED', `too many ${what} (at most ${refusal.limit}); end one and retry`, {
    limit: refusal.scope,
    max: refusal.limit,
  });
}
