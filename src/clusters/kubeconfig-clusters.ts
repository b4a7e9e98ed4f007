import { type FSWatcher, watch } from 'node:fs';
import { basename, dirname } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import type { Tracer } from '@opentelemetry/api';
import type { Logger } from '../platform/logger.js';
import type { GatewayMetrics } from '../platform/metrics.js';
import type { ClusterConnection, ClusterListener, ClusterRegistry } from './cluster-registry.js';
import { KubeHttpClient } from './kube-client.js';
import { loadKubeconfig, NoUsableKubeconfigError } from './kubeconfig-lookup.js';

export interface ClusterSelection {
  /** Explicit context names; empty = the current context (unless allContexts). */
  contexts: readonly string[];
  allContexts: boolean;
}

export interface KubeconfigClusterRegistryOptions {
  /** Kubeconfig files (KUBECONFIG may name several); empty = ~/.kube/config, else in-cluster. */
  kubeconfigPaths: readonly string[];
  /** The service account folder of in-cluster mode; default kubelet's mount. */
  serviceAccountDir?: string;
  selection: ClusterSelection;
  apiTimeoutMs: number;
  logger: Logger;
  metrics?: GatewayMetrics;
  /** Every cluster client makes a span per API call with it (tracing on); undefined = none. */
  tracer?: Tracer;
  /** Re-read the files when they change. */
  watchFiles?: boolean;
}

/**
 * Clusters from kubeconfig contexts. `reload()` re-reads the files: contexts that appeared
 * are added, ones that disappeared (or whose server or user changed) are removed, so
 * subscribers start and stop their informers.
 */
export class KubeconfigClusterRegistry implements ClusterRegistry {
  private clusters = new Map<string, ClusterConnection & { fingerprint: string }>();
  private readonly listeners = new Set<ClusterListener>();
  private watchers: FSWatcher[] = [];
  private reloadTimer?: NodeJS.Timeout;
  private current: string | undefined;

  constructor(private readonly options: KubeconfigClusterRegistryOptions) {}

  get defaultCluster(): string | undefined {
    const selected = this.options.selection.contexts;
    if (selected.length > 0) return selected.find((c) => this.clusters.has(c));
    if (this.current && this.clusters.has(this.current)) return this.current;
    return this.clusters.keys().next().value;
  }

  /**
   * Loads the kubeconfig; throws when an explicitly requested context does not exist, and
   * NoUsableKubeconfigError when there is no kubeconfig or it yields no cluster to serve.
   */
  start(): void {
    this.reload({ strict: true });
    if (this.clusters.size === 0) {
      const files = this.options.kubeconfigPaths.join(', ') || 'the default kubeconfig';
      throw new NoUsableKubeconfigError(
        `no cluster to serve: ${files} has no usable current context (pass --context NAME or --all-contexts)`,
      );
    }
    if (this.options.watchFiles !== false) this.watchFiles();
  }

  get(name: string): ClusterConnection | undefined {
    return this.clusters.get(name);
  }

  list(): readonly ClusterConnection[] {
    return [...this.clusters.values()];
  }

  subscribe(listener: ClusterListener): () => void {
    this.listeners.add(listener);
    for (const cluster of this.clusters.values()) listener({ type: 'added', cluster });
    return () => this.listeners.delete(listener);
  }

  reload(opts: { strict?: boolean } = {}): void {
    const log = this.options.logger;
    let kc: KubeConfig;
    try {
      kc = this.loadKubeConfig();
    } catch (err) {
      if (opts.strict) throw err;
      // A half-written file must not tear down healthy clusters; the next change retries.
      log.warn({ err }, 'kubeconfig could not be read; keeping the current clusters');
      return;
    }
    this.current = kc.getCurrentContext() || undefined;
    const wanted = this.selectContexts(kc, opts.strict === true);
    const next = new Map<string, ClusterConnection & { fingerprint: string }>();
    for (const name of wanted) {
      const fingerprint = fingerprintOf(kc, name);
      const existing = this.clusters.get(name);
      if (existing && existing.fingerprint === fingerprint) {
        next.set(name, existing);
        continue;
      }
      const connection = this.connect(kc, name, fingerprint);
      if (connection) next.set(name, connection);
    }
    const previous = this.clusters;
    this.clusters = next;
    for (const [name, old] of previous) {
      if (next.get(name) !== old) {
        log.info({ cluster: name }, 'cluster removed');
        this.emit({ type: 'removed', cluster: old });
        old.client.close();
      }
    }
    for (const [name, connection] of next) {
      if (previous.get(name) !== connection) {
        log.info({ cluster: name, server: connection.server }, 'cluster added');
        this.emit({ type: 'added', cluster: connection });
      }
    }
  }

  close(): void {
    clearTimeout(this.reloadTimer);
    for (const w of this.watchers) w.close();
    this.watchers = [];
    for (const c of this.clusters.values()) c.client.close();
  }

  private loadKubeConfig(): KubeConfig {
    return loadKubeconfig({
      paths: this.options.kubeconfigPaths,
      serviceAccountDir: this.options.serviceAccountDir,
    });
  }

  private selectContexts(kc: KubeConfig, strict: boolean): string[] {
    const { contexts, allContexts } = this.options.selection;
    const available = new Set(kc.getContexts().map((c) => c.name));
    if (allContexts) return [...available];
    if (contexts.length === 0) return kc.getCurrentContext() ? [kc.getCurrentContext()] : [];
    const missing = contexts.filter((c) => !available.has(c));
    if (missing.length > 0 && strict) {
      throw new Error(
        `kubeconfig has no context named ${missing.join(', ')} (available: ${[...available].join(', ') || 'none'})`,
      );
    }
    return contexts.filter((c) => available.has(c));
  }

  private connect(
    kc: KubeConfig,
    name: string,
    fingerprint: string,
  ): (ClusterConnection & { fingerprint: string }) | undefined {
    const scoped = new KubeConfig();
    scoped.loadFromString(kc.exportConfig());
    scoped.setCurrentContext(name);
    try {
      const client = new KubeHttpClient({
        cluster: name,
        kubeConfig: scoped,
        apiTimeoutMs: this.options.apiTimeoutMs,
        metrics: this.options.metrics,
        tracer: this.options.tracer,
      });
      return { name, server: client.server, client, fingerprint };
    } catch (err) {
      this.options.logger.error({ err, cluster: name }, 'context skipped: it cannot be used');
      return undefined;
    }
  }

  private emit(change: Parameters<ClusterListener>[0]): void {
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch (err) {
        this.options.logger.error({ err, cluster: change.cluster.name }, 'cluster listener failed');
      }
    }
  }

  private watchFiles(): void {
    // Watch directories, not files: editors and `kubectl config` replace the file by rename,
    // which silently ends a watch on the old inode.
    const byDir = new Map<string, Set<string>>();
    for (const p of this.options.kubeconfigPaths) {
      const names = byDir.get(dirname(p)) ?? new Set<string>();
      names.add(basename(p));
      byDir.set(dirname(p), names);
    }
    for (const [dir, names] of byDir) {
      try {
        const watcher = watch(dir, (_event, file) => {
          if (file && names.has(file.toString())) this.scheduleReload();
        });
        watcher.unref();
        this.watchers.push(watcher);
      } catch (err) {
        this.options.logger.warn({ err, dir }, 'cannot watch kubeconfig directory; use SIGHUP to reload');
      }
    }
  }

  private scheduleReload(): void {
    clearTimeout(this.reloadTimer);
    this.reloadTimer = setTimeout(() => this.reload(), 100);
    this.reloadTimer.unref();
  }
}

function fingerprintOf(kc: KubeConfig, contextName: string): string {
  const ctx = kc.getContextObject(contextName);
  const cluster = ctx ? kc.getCluster(ctx.cluster) : null;
  const user = ctx ? kc.getUser(ctx.user) : null;
  return JSON.stringify([cluster, user]);
}
