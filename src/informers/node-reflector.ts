import { isKubeApiError, KubeApiError, type KubeStatus } from '../clusters/kube-api-error.js';
import type { KubeClient, KubeStreamResponse } from '../clusters/kube-client.js';
import type { Logger } from '../platform/logger.js';
import { Backoff, type BackoffOptions, sleep } from './backoff.js';
import type { RawWatchEvent } from './kube-node.js';
import { LineSplitter } from './ndjson-lines.js';
import type { ReflectorStore } from './node-cache.js';
import { listNodes, NODES_PATH } from './node-list.js';
import type { RelistReason, WatchRestartReason } from './node-metrics.js';
import { projectNode } from './node-projection.js';
import { type ProbeResult, SilenceProbe } from './silence-probe.js';

/** What the reflector needs from a cluster client: LIST and a streamed WATCH. */
export type NodeListerWatcher = Pick<KubeClient, 'cluster' | 'json' | 'stream' | 'apiTimeoutMs'>;

export interface NodeReflectorOptions {
  /** LIST page size. @default 500 */
  pageSize?: number;
  /**
   * Server-side watch timeout; each watch asks for a random value in [t, 2t) so many
   * gateways don't reconnect in step (client-go does the same). @default 300
   */
  watchTimeoutSeconds?: number;
  /**
   * A watch that sends nothing (no event, no bookmark) for this long is considered stalled
   * and re-opened. Must exceed the server's bookmark interval (about a minute). @default 120_000
   */
  inactivityMs?: number;
  /**
   * A watch silent this long gets the API probed (one-node LIST), and again as long as the
   * silence lasts, so a frozen API is noticed in seconds rather than at `inactivityMs`.
   * 0 = never probe. @default 5000
   */
  probeAfterMs?: number;
  /** Deadline of one probe. @default 3000 */
  probeTimeoutMs?: number;
  backoff?: BackoffOptions;
}

/** What the reflector tells its owner; the informer turns it into status, logs and metrics. */
export interface ReflectorObserver {
  /** The cache is complete and the watch is current (or not, with the reason). */
  onSyncedChange?(synced: boolean, reason?: Error): void;
  /** A LIST that will replace the cache started; the cache keeps serving until it completes. */
  onRelistStart?(reason: RelistReason): void;
  /** Nodes received so far by the running LIST. */
  onRelistProgress?(nodesSoFar: number): void;
  onListed?(info: { reason: RelistReason; nodes: number; durationMs: number }): void;
  /** What a probe of a silent watch's API found (see NodeReflectorOptions.probeAfterMs). */
  onProbe?(result: ProbeResult): void;
  onWatchEvent?(type: RawWatchEvent['type']): void;
  onWatchRestart?(reason: WatchRestartReason, detail?: string): void;
  /** A failed attempt; the reflector retries after `retryInMs`. */
  onError?(err: Error, retryInMs: number): void;
}

type WatchEnd =
  | { reason: 'closed'; received: number; lastedMs: number }
  | { reason: 'expired' }
  | { reason: 'stalled' }
  | { reason: 'recovered' }
  | { reason: 'failed'; error: Error };

/**
 * LIST then WATCH one cluster's nodes into a ReflectorStore, forever, until stopped. Routine
 * endings are handled quietly: a closed or timed-out watch resumes from the last
 * resourceVersion, an expired one (410) relists and the store reports the difference. A silent
 * watch is detected by an inactivity deadline and re-opened; failures retry with capped
 * exponential backoff and jitter. Nothing it does can throw into its owner.
 */
export class NodeReflector {
  private readonly abort = new AbortController();
  private readonly backoff: Backoff;
  private resourceVersion: string | undefined;
  private synced = false;
  private listedOnce = false;
  /** The previous watch went silent: the next one counts as in sync only once it says something. */
  private stalledLastTime = false;
  /** Probes of the open watch's API that failed in a row, with nothing heard since. */
  private probeFailures = 0;
  private current: KubeStreamResponse | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly client: NodeListerWatcher,
    private readonly store: ReflectorStore,
    private readonly logger: Logger,
    private readonly options: NodeReflectorOptions = {},
    private readonly observer: ReflectorObserver = {},
  ) {
    this.backoff = new Backoff(options.backoff);
  }

  get isSynced(): boolean {
    return this.synced;
  }

  start(): void {
    this.running ??= this.run();
  }

  /** Ends the watch and the loop; resolves once the loop has exited. Never emits an error. */
  async stop(): Promise<void> {
    this.abort.abort();
    this.current?.close();
    await this.running;
  }

  private async run(): Promise<void> {
    let relistReason: RelistReason = 'initial';
    while (!this.abort.signal.aborted) {
      try {
        if (this.resourceVersion === undefined) await this.relist(relistReason);
        const end = await this.watch(this.resourceVersion!);
        relistReason = await this.afterWatch(end);
      } catch (err) {
        if (this.abort.signal.aborted) break;
        relistReason = await this.afterFailure(err);
      }
    }
  }

  private async relist(reason: RelistReason): Promise<void> {
    const started = Date.now();
    this.observer.onRelistStart?.(reason);
    // What the cache holds is kept (and served) until the new LIST replaces it, but it is no
    // longer known to be current.
    if (this.listedOnce) this.setSynced(false, new Error(`relisting nodes (${reason})`));
    const { nodes, resourceVersion } = await listNodes(this.client, {
      pageSize: this.options.pageSize,
      signal: this.abort.signal,
      onProgress: (count) => this.observer.onRelistProgress?.(count),
    });
    if (this.abort.signal.aborted) return;
    // The first fill tells no one: there was nothing before it to differ from.
    this.store.replace(nodes, { silent: !this.listedOnce });
    this.listedOnce = true;
    this.stalledLastTime = false;
    this.resourceVersion = resourceVersion;
    this.backoff.reset();
    this.observer.onListed?.({ reason, nodes: nodes.length, durationMs: Date.now() - started });
    this.setSynced(true);
  }

  /** Decides what follows a watch that ended; returns why a relist would happen next. */
  private async afterWatch(end: WatchEnd): Promise<RelistReason> {
    switch (end.reason) {
      case 'expired':
        this.logger.info({ cluster: this.client.cluster }, 'node watch expired (410); relisting');
        this.resourceVersion = undefined;
        return 'expired';
      case 'closed':
        this.observer.onWatchRestart?.('closed');
        // A server that accepts watches and closes them at once must not make us spin.
        if (end.received === 0 && end.lastedMs < 1000) await sleep(this.backoff.next(), this.abort.signal);
        return 'error';
      case 'stalled':
        this.logger.warn({ cluster: this.client.cluster }, 'node watch silent past its deadline; restarting');
        this.observer.onWatchRestart?.('stalled');
        this.setSynced(false, new Error(`node watch was silent for ${this.inactivityMs} ms`));
        return 'error';
      case 'recovered':
        // The API answers again but this watch said nothing since it stopped: it may be a dead
        // connection. Re-open it from our resourceVersion (the server replays what we missed).
        this.logger.info({ cluster: this.client.cluster }, 'API answers again; re-opening the node watch');
        this.observer.onWatchRestart?.('probe');
        return 'error';
      case 'failed':
        throw end.error;
    }
  }

  private async afterFailure(err: unknown): Promise<RelistReason> {
    if (isKubeApiError(err, 'GONE')) {
      this.resourceVersion = undefined;
      return 'expired';
    }
    const error = err instanceof Error ? err : new Error(String(err));
    const delay = this.backoff.next();
    this.setSynced(false, error);
    this.observer.onWatchRestart?.('error', error.message);
    this.observer.onError?.(error, delay);
    this.logger.warn(
      { cluster: this.client.cluster, err: error, retryInMs: delay },
      'node informer failed; retrying',
    );
    await sleep(delay, this.abort.signal);
    return 'error';
  }

  private get inactivityMs(): number {
    return this.options.inactivityMs ?? 120_000;
  }

  /** Probes the API while the open watch is silent; undefined when probing is off. */
  private probeWhileSilent(onRecovered: () => void): SilenceProbe | undefined {
    const afterMs = this.options.probeAfterMs ?? 5000;
    if (afterMs <= 0) return undefined;
    const timeoutMs = this.options.probeTimeoutMs ?? 3000;
    const probe = new SilenceProbe(this.client, { afterMs, timeoutMs }, (result) => {
      this.observer.onProbe?.(result);
      if (!result.ok) {
        if (result.consecutive === 1) {
          this.logger.warn(
            { cluster: this.client.cluster, err: result.error, silentForMs: afterMs },
            'node watch silent and the API does not answer a probe; serving the cache, marked stale',
          );
        }
        this.probeFailures = result.consecutive;
        // setSynced ignores a repeat; the observer heard about the repeat through onProbe.
        this.setSynced(false, result.error);
      } else if (this.probeFailures > 0) {
        this.probeFailures = 0;
        onRecovered();
      }
    });
    probe.start();
    return probe;
  }

  private async watch(resourceVersion: string): Promise<WatchEnd> {
    const base = this.options.watchTimeoutSeconds ?? 300;
    const res = await this.client.stream({
      path: NODES_PATH,
      query: {
        watch: true,
        allowWatchBookmarks: true,
        resourceVersion,
        timeoutSeconds: Math.floor(base * (1 + Math.random())),
      },
      signal: this.abort.signal,
    });
    this.current = res;
    // The API answered: earlier failed probes no longer say anything.
    this.probeFailures = 0;
    // A watch that opens from our resourceVersion will replay whatever we missed: in sync,
    // unless the last watch went silent, in which case wait for proof that this one talks.
    if (!this.stalledLastTime) this.setSynced(true);
    try {
      return await this.consume(res);
    } finally {
      this.current = undefined;
      res.close();
    }
  }

  /** Reads watch lines until the stream ends, errors, goes silent or says 410. */
  private consume(res: KubeStreamResponse): Promise<WatchEnd> {
    const started = Date.now();
    const splitter = new LineSplitter();
    let received = 0;
    return new Promise<WatchEnd>((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      let done = false;
      const probe = this.probeWhileSilent(() => finish({ reason: 'recovered' }));
      const finish = (end: WatchEnd) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        probe?.stop();
        res.body.removeAllListeners('data');
        this.stalledLastTime = end.reason === 'stalled';
        resolve(end);
      };
      const arm = () => {
        clearTimeout(timer);
        timer = setTimeout(() => finish({ reason: 'stalled' }), this.inactivityMs);
      };
      arm();
      res.body.setEncoding('utf8');
      res.body.on('data', (chunk: string) => {
        arm();
        probe?.heard();
        let lines: string[];
        try {
          lines = splitter.push(chunk);
        } catch (err) {
          return finish({ reason: 'failed', error: err instanceof Error ? err : new Error(String(err)) });
        }
        for (const line of lines) {
          received++;
          const end = this.handleLine(line);
          if (end) return finish(end);
        }
      });
      const closed = () => finish({ reason: 'closed', received, lastedMs: Date.now() - started });
      res.body.once('end', closed);
      res.body.once('close', closed);
      res.body.once('error', closed);
    });
  }

  /** Applies one watch line; returns how the watch ends if the line ends it. */
  private handleLine(line: string): WatchEnd | undefined {
    try {
      return this.applyLine(JSON.parse(line) as RawWatchEvent);
    } catch (err) {
      // Runs inside a stream callback: anything thrown here would be an uncaught exception.
      return { reason: 'failed', error: new Error(`bad node watch event: ${String(err)}`) };
    }
  }

  private applyLine(event: RawWatchEvent): WatchEnd | undefined {
    this.observer.onWatchEvent?.(event.type);
    if (event.type === 'ERROR') return this.watchError(event.object as KubeStatus);
    const rv = event.object?.metadata?.resourceVersion;
    if (event.type !== 'BOOKMARK') this.applyEvent(event);
    if (rv) this.resourceVersion = rv;
    this.backoff.reset();
    if (this.stalledLastTime || this.probeFailures > 0) {
      this.stalledLastTime = false;
      this.probeFailures = 0;
      this.setSynced(true);
    }
    return undefined;
  }

  private applyEvent(event: RawWatchEvent): void {
    const node = projectNode(event.object, this.client.cluster);
    if (event.type === 'DELETED') this.store.remove(node.name, node);
    else this.store.upsert(node);
  }

  private watchError(status: KubeStatus): WatchEnd {
    if (status.code === 410) return { reason: 'expired' };
    const error = KubeApiError.fromResponse(
      status.code ?? 500,
      status,
      `node watch on ${this.client.cluster}`,
    );
    return { reason: 'failed', error };
  }

  private setSynced(synced: boolean, reason?: Error): void {
    if (this.synced === synced) return;
    this.synced = synced;
    this.observer.onSyncedChange?.(synced, reason);
  }
}
