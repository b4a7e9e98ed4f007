/** A named check /readyz runs; `ok: false` makes the gateway not ready. */
export interface ReadinessCheck {
  readonly name: string;
  check(): { ok: boolean; reason?: string };
}

export interface ReadinessReport {
  ready: boolean;
  failing: { name: string; reason: string }[];
}

/**
 * Registered checks for /readyz: ready when every check passes. The node caches register one
 * check for all clusters (informer-manager.ts `nodeCachesReadiness`): ready once no cluster is
 * on its first attempt and at least one cluster's cache has synced, so one unreachable cluster
 * among several keeps the replica in service, and a replica with no usable cluster is taken out.
 */
export class ReadinessRegistry {
  private readonly checks = new Map<string, ReadinessCheck>();

  register(check: ReadinessCheck): () => void {
    this.checks.set(check.name, check);
    return () => {
      if (this.checks.get(check.name) === check) this.checks.delete(check.name);
    };
  }

  report(): ReadinessReport {
    const failing: ReadinessReport['failing'] = [];
    for (const c of this.checks.values()) {
      let result: { ok: boolean; reason?: string };
      try {
        result = c.check();
      } catch (err) {
        result = { ok: false, reason: err instanceof Error ? err.message : String(err) };
      }
      if (!result.ok) failing.push({ name: c.name, reason: result.reason ?? 'not ready' });
    }
    return { ready: failing.length === 0, failing };
  }
}
