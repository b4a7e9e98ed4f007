import { isKubeApiError } from '../clusters/kube-api-error.js';
import type { KubePod } from '../pods/kube-pod.js';
import type { PodLister, PodWatchEvent, PodWatcher } from './drain-cluster-api.js';
import { pause } from './drain-timings.js';

export interface PodDeletionWatchOptions {
  readonly api: PodWatcher & PodLister;
  readonly node: string;
  /** The pods of the node as the plan's LIST saw them, and that LIST's resourceVersion. */
  readonly pods: readonly KubePod[];
  readonly resourceVersion: string;
  /** Aborting ends the watch: no request is sent after it fires. */
  readonly signal: AbortSignal;
  /** Server-side timeout of each watch request; it is re-opened from the last resourceVersion. @default 60 */
  readonly watchTimeoutSeconds?: number;
  /** A watch that sends nothing this long past its own timeout is closed and re-opened. @default 10000 */
  readonly inactivitySlackMs?: number;
  /** Wait before re-opening a watch that failed. */
  readonly retryDelayMs: number;
}

/** What a waiter learns about its pod. */
export type PodFate = 'deleted' | 'replaced';

/**
 * One WATCH of a node's pods (fieldSelector spec.nodeName) that tells every pod of a drain when
 * it is gone, instead of a GET per pod every second (kubectl's waitForDelete): a 110-pod drain
 * sends a handful of requests to wait rather than hundreds. Resumes from the last
 * resourceVersion when the server ends a watch; relists when the version expired (410).
 * `available` turns false when the watch is refused (403: the person may get pods but not watch
 * them) — the drain then polls each pod as kubectl does.
 */
export class PodDeletionWatch {
  private readonly latest = new Map<string, KubePod>();
  private readonly waiters = new Map<string, Set<() => void>>();
  private resourceVersion: string;
  private readonly stopper = new AbortController();
  private readonly signal: AbortSignal;
  private refused = false;
  private loop: Promise<void> | undefined;

  constructor(private readonly options: PodDeletionWatchOptions) {
    this.resourceVersion = options.resourceVersion;
    for (const pod of options.pods) this.latest.set(keyOf(pod), pod);
    this.signal = AbortSignal.any([options.signal, this.stopper.signal]);
  }

  /** False once the API refused the watch (then callers poll). */
  get available(): boolean {
    return !this.refused;
  }

  start(): void {
    this.loop ??= this.run();
  }

  /** Ends the watch; resolves when its request is closed. */
  async stop(): Promise<void> {
    this.stopper.abort();
    this.notifyAll();
    await this.loop;
  }

  /** The newest version of a pod the watch has seen, or undefined once it is gone. */
  current(pod: KubePod): KubePod | undefined {
    return this.latest.get(keyOf(pod));
  }

  /** Whether the pod (this uid) is gone: deleted, or replaced by one with another uid. */
  fateOf(pod: KubePod): PodFate | undefined {
    const seen = this.latest.get(keyOf(pod));
    if (seen === undefined) return 'deleted';
    return seen.metadata.uid !== pod.metadata.uid ? 'replaced' : undefined;
  }

  /**
   * Resolves at the pod's next change seen by the watch, after `ms` (so a caller can check a
   * deadline or skipWaitForDeleteTimeoutSeconds), or when the watch stops or is refused.
   */
  changed(pod: KubePod, ms: number): Promise<void> {
    const key = keyOf(pod);
    return new Promise<void>((resolve) => {
      const set = this.waiters.get(key) ?? new Set();
      this.waiters.set(key, set);
      const done = () => {
        clearTimeout(timer);
        set.delete(done);
        if (set.size === 0 && this.waiters.get(key) === set) this.waiters.delete(key);
        resolve();
      };
      const timer = setTimeout(done, ms);
      set.add(done);
      if (this.signal.aborted || this.refused) done();
    });
  }

  private async run(): Promise<void> {
    const timeoutSeconds = this.options.watchTimeoutSeconds ?? 60;
    while (!this.signal.aborted && !this.refused) {
      try {
        const watch = await this.options.api.watchPodsOnNode(
          this.options.node,
          this.resourceVersion,
          timeoutSeconds,
          this.signal,
        );
        const inactivityMs = timeoutSeconds * 1000 + (this.options.inactivitySlackMs ?? 10_000);
        if ((await this.consume(watch, inactivityMs)) === 'expired') await this.relistQuietly();
      } catch (err) {
        if (this.signal.aborted) break;
        if (isKubeApiError(err, 'FORBIDDEN')) {
          this.refused = true;
          this.notifyAll();
          break;
        }
        if (isKubeApiError(err, 'GONE')) {
          await this.relistQuietly();
          continue;
        }
        await pause(this.options.retryDelayMs, this.signal);
      }
    }
  }

  /** Reads one watch until it ends; 'expired' when the server said the version is too old. */
  private async consume(
    watch: { events: AsyncIterable<PodWatchEvent>; close(): void },
    inactivityMs: number,
  ): Promise<'ended' | 'expired'> {
    let timer: NodeJS.Timeout | undefined;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => watch.close(), inactivityMs);
    };
    arm();
    // Stopping ends the read at once, whatever the transport does with the signal.
    const onAbort = () => watch.close();
    this.signal.addEventListener('abort', onAbort, { once: true });
    if (this.signal.aborted) watch.close();
    try {
      for await (const event of watch.events) {
        arm();
        if (event.type === 'ERROR') return event.object.code === 410 ? 'expired' : 'ended';
        this.apply(event);
      }
      return 'ended';
    } finally {
      clearTimeout(timer);
      this.signal.removeEventListener('abort', onAbort);
      watch.close();
    }
  }

  private apply(event: PodWatchEvent): void {
    const pod = event.object;
    const version = pod.metadata?.resourceVersion;
    if (version) this.resourceVersion = version;
    if (event.type === 'BOOKMARK') return;
    const key = keyOf(pod);
    if (event.type === 'DELETED') {
      if (this.latest.get(key)?.metadata.uid === pod.metadata.uid) this.latest.delete(key);
    } else this.latest.set(key, pod);
    this.notify(key);
  }

  /** After a 410: what is on the node now replaces what the watch knew; resume from there. */
  private async relist(): Promise<void> {
    const listed = await this.options.api.listPodsOnNode(this.options.node, null);
    const now = new Map(listed.pods.map((pod) => [keyOf(pod), pod]));
    for (const key of [...this.latest.keys()]) if (!now.has(key)) this.latest.delete(key);
    for (const [key, pod] of now) this.latest.set(key, pod);
    if (listed.resourceVersion) this.resourceVersion = listed.resourceVersion;
    this.notifyAll();
  }

  private async relistQuietly(): Promise<void> {
    try {
      await this.relist();
    } catch (err) {
      if (isKubeApiError(err, 'FORBIDDEN')) {
        this.refused = true;
        this.notifyAll();
      } else await pause(this.options.retryDelayMs, this.signal);
    }
  }

  private notify(key: string): void {
    for (const done of [...(this.waiters.get(key) ?? [])]) done();
  }

  private notifyAll(): void {
    for (const key of [...this.waiters.keys()]) this.notify(key);
  }
}

function keyOf(pod: KubePod): string {
  return `${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`;
}
