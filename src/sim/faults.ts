/**
 * Fault injection through the handle: latency per resource and verb, failing the next N requests, and
 * watch/connection faults (which the server and watch hub carry out through the hooks given here).
 */
import type { AuditVerb } from './audit.js';

export interface SimFaults {
  /** Adds `ms` before answering requests for `resource` ('*' = any) with `verb` ('*' = any); 0 removes it. */
  setLatency(resource: string, verb: AuditVerb | '*', ms: number): void;
  /**
   * Fails the next `count` matching requests with a Status of `code` (403/404/429/500/503...).
   * Code 0 never answers: the request hangs until the client gives up (a timeout).
   */
  failNext(count: number, code: number, match?: { resource?: string; verb?: AuditVerb }): void;
  /** Ends every open watch stream now. */
  dropWatches(): void;
  /** Forgets the watch history and list snapshots: the next resume from an older resourceVersion gets 410. */
  compactHistory(): void;
  /** While stalled, open watches stay open but send nothing (no bookmarks); events still enter history. */
  stallWatches(stalled: boolean): void;
  /** Closes the listener (ECONNREFUSED) and open connections for `ms`, then listens on the same port again. */
  refuseConnections(ms: number): void;
  /** Removes latency and pending failures and un-stalls watches. */
  reset(): void;
}

export interface FaultHooks {
  dropWatches(): void;
  compactHistory(): void;
  stallWatches(stalled: boolean): void;
  refuseConnections(ms: number): void;
}

interface FailRule {
  remaining: number;
  code: number;
  resource: string | undefined;
  verb: AuditVerb | undefined;
}

export class Faults implements SimFaults {
  private readonly latency = new Map<string, number>();
  private rules: FailRule[] = [];

  constructor(private readonly hooks: FaultHooks) {}

  setLatency(resource: string, verb: AuditVerb | '*', ms: number): void {
    const key = `${resource}|${verb}`;
    if (ms > 0) this.latency.set(key, ms);
    else this.latency.delete(key);
  }

  failNext(count: number, code: number, match: { resource?: string; verb?: AuditVerb } = {}): void {
    if (count > 0) this.rules.push({ remaining: count, code, resource: match.resource, verb: match.verb });
  }

  dropWatches(): void {
    this.hooks.dropWatches();
  }

  compactHistory(): void {
    this.hooks.compactHistory();
  }

  stallWatches(stalled: boolean): void {
    this.hooks.stallWatches(stalled);
  }

  refuseConnections(ms: number): void {
    this.hooks.refuseConnections(ms);
  }

  reset(): void {
    this.latency.clear();
    this.rules = [];
    this.hooks.stallWatches(false);
  }

  /** Latency to add for a request (the most specific rule wins). */
  latencyFor(resource: string, verb: AuditVerb): number {
    return (
      this.latency.get(`${resource}|${verb}`) ??
      this.latency.get(`${resource}|*`) ??
      this.latency.get(`*|${verb}`) ??
      this.latency.get('*|*') ??
      0
    );
  }

  /** Consumes one pending failure matching the request; returns its code. */
  takeFailure(resource: string, verb: AuditVerb): number | undefined {
    const rule = this.rules.find(
      (r) =>
        (r.resource === undefined || r.resource === resource) && (r.verb === undefined || r.verb === verb),
    );
    if (!rule) return undefined;
    rule.remaining--;
    if (rule.remaining <= 0) this.rules.splice(this.rules.indexOf(rule), 1);
    return rule.code;
  }
}
