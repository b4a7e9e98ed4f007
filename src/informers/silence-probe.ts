import type { KubeClient } from '../clusters/kube-client.js';
import { NODES_PATH } from './node-list.js';

export interface SilenceProbeOptions {
  /** Silence (nothing heard) after which the API is probed; again this long after each probe. */
  afterMs: number;
  /** Deadline of one probe. */
  timeoutMs: number;
}

export type ProbeResult = { ok: true } | { ok: false; error: Error; consecutive: number };

/**
 * Tells a quiet watch from a dead API. A healthy watch may say nothing for a minute (a real
 * server's bookmark interval), so silence alone proves nothing; but a frozen or unreachable
 * API looks exactly like it. So when nothing was heard for `afterMs`, ask the API something
 * cheap (one node, through the client so it has a deadline) and report the answer. While the
 * silence lasts it asks again every `afterMs`; anything heard (a watch line, a good probe)
 * restarts the wait.
 */
export class SilenceProbe {
  private lastHeardAt = Date.now();
  private failures = 0;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly client: Pick<KubeClient, 'json'>,
    private readonly options: SilenceProbeOptions,
    private readonly onResult: (result: ProbeResult) => void,
  ) {}

  start(): void {
    this.lastHeardAt = Date.now();
    this.schedule(this.options.afterMs);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  /** The watch said something: the API is alive. */
  heard(): void {
    this.lastHeardAt = Date.now();
    this.failures = 0;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.check(), Math.max(0, delayMs));
    // A probe must never keep a process alive on its own.
    this.timer.unref?.();
  }

  private async check(): Promise<void> {
    const silentMs = Date.now() - this.lastHeardAt;
    if (silentMs < this.options.afterMs) return this.schedule(this.options.afterMs - silentMs);
    const started = Date.now();
    const result = await this.probe();
    if (this.stopped) return;
    if (result.ok) this.lastHeardAt = Date.now();
    // The watch spoke while the probe was out: whatever the probe says, the API is alive.
    if (!result.ok && this.lastHeardAt >= started) this.failures = 0;
    else this.onResult(result);
    this.schedule(started + this.options.afterMs - Date.now());
  }

  private async probe(): Promise<ProbeResult> {
    try {
      await this.client.json({ path: NODES_PATH, query: { limit: 1 }, timeoutMs: this.options.timeoutMs });
      this.failures = 0;
      return { ok: true };
    } catch (err) {
      this.failures++;
      const error = err instanceof Error ? err : new Error(String(err));
      return { ok: false, error, consecutive: this.failures };
    }
  }
}
