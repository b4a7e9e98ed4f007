import type { Unsubscribe } from '../events/pubsub.js';
import type { Logger } from '../platform/logger.js';
import type { NodeLease, NodeLock } from './node-lock.js';

/**
 * What a LeaseKeeper reads of the leased job's store to notice a cancel request: the node drain
 * store (DrainJobStore) and the bulk drain store (BulkDrainStore) both fit.
 */
export interface CancelRequests {
  get(id: string): Promise<{ readonly cancelRequested: boolean } | undefined>;
  subscribeEvents(
    id: string,
    handlers: { event(event: { readonly kind: string }): void; error(err: Error): void },
  ): Promise<Unsubscribe>;
}

export interface LeaseKeeperOptions {
  readonly lock: NodeLock;
  readonly store: CancelRequests;
  readonly lease: NodeLease;
  readonly leaseMs: number;
  readonly jobId: string;
  readonly logger: Logger;
}

/**
 * Keeps a running job's lease (a node drain's node lease, a bulk drain's coordinator lease) alive (renewing every third of its life) and watches for a
 * cancel request: at once through the job's events, and on every renewal through the store, in
 * case a published event was missed. When the lease cannot be proven ours any more (lost, or
 * the store unreachable for most of its life) the run is told to stop: another replica may
 * take the job over soon, and two runners must never evict at once.
 */
export class LeaseKeeper {
  lost = false;
  private timer: NodeJS.Timeout | undefined;
  private unsubscribe: Unsubscribe | undefined;
  private renewing = false;
  private stopped = false;
  private resubscribeTimer: NodeJS.Timeout | undefined;
  private renewedAt = Date.now();

  constructor(private readonly options: LeaseKeeperOptions) {}

  async start(onStop: (reason: 'cancel' | 'lease-lost') => void): Promise<void> {
    await this.watchCancel(onStop);
    this.timer = setInterval(() => void this.renew(onStop), Math.max(10, this.options.leaseMs / 3));
  }

  /** Subscribes to the job's events; after the stream breaks, subscribes again until stopped. */
  private async watchCancel(onStop: (reason: 'cancel') => void): Promise<void> {
    const { store, jobId, logger } = this.options;
    const retry = () => {
      if (this.stopped) return;
      this.resubscribeTimer = setTimeout(() => void this.watchCancel(onStop), 500);
    };
    try {
      this.unsubscribe = await store.subscribeEvents(jobId, {
        event: (e) => {
          if (e.kind === 'CANCEL_REQUESTED') onStop('cancel');
        },
        error: (err) => {
          logger.warn({ err: err.message }, 'cancel watch interrupted; resubscribing');
          this.unsubscribe = undefined;
          retry();
        },
      });
      if (this.stopped) return await this.unsubscribe();
      // A request made while the stream was down was published to nobody: read the flag too.
      if ((await store.get(jobId))?.cancelRequested) onStop('cancel');
    } catch (err) {
      logger.warn(
        { err: String(err) },
        'cannot watch for cancel requests yet; lease renewals check meanwhile',
      );
      retry();
    }
  }

  async stop(release: boolean): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    clearTimeout(this.resubscribeTimer);
    await this.unsubscribe?.().catch(() => undefined);
    if (!release) return;
    await this.options.lock.release(this.options.lease).catch((err: unknown) => {
      this.options.logger.warn({ err: String(err) }, 'could not release the lease; it will lapse');
    });
  }

  private async renew(onStop: (reason: 'cancel' | 'lease-lost') => void): Promise<void> {
    if (this.renewing || this.lost) return;
    this.renewing = true;
    const sentAt = Date.now();
    const { lock, lease, leaseMs, store, jobId, logger } = this.options;
    try {
      if (!(await lock.renew(lease, leaseMs))) return this.lose(onStop, 'the lease was taken or lapsed');
      this.renewedAt = sentAt;
      if ((await store.get(jobId))?.cancelRequested) onStop('cancel');
    } catch (err) {
      logger.warn({ err: String(err) }, 'lease renewal failed');
      if (Date.now() - this.renewedAt >= leaseMs * 0.8)
        this.lose(onStop, 'the store was unreachable too long');
    } finally {
      this.renewing = false;
    }
  }

  private lose(onStop: (reason: 'lease-lost') => void, why: string): void {
    this.lost = true;
    this.options.logger.warn({ why }, 'lost the lease; stopping the run');
    onStop('lease-lost');
  }
}
