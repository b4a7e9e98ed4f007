/**
 * A small kube-scheduler: binds pending pods (no spec.nodeName, default scheduler) to a Ready, schedulable
 * node whose taints they tolerate and whose labels match their nodeSelector, preferring nodes with the fewest
 * pods of the same controller, then the fewest pods. Pods that fit nowhere stay Pending (PodScheduled=False)
 * and are retried when nodes change.
 */
import { type KubeObject, rfc3339 } from './kube-object.js';
import { repels, type Toleration } from './node-facts.js';
import type { Store, StoreEvent } from './store.js';
import type { Timers } from './timers.js';

export class Scheduler {
  private readonly queue = new Set<string>();
  private readonly unschedulable = new Set<string>();
  private flushTimer: NodeJS.Timeout | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly store: Store,
    private readonly timers: Timers,
    private readonly delayMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.unsubscribe = store.subscribe((e) => this.onEvent(e));
    // Pods generated Pending wait like pods the scheduler already failed to place.
    for (const p of store.list('pods')) {
      if (!p.fields['spec.nodeName'] && p.fields['status.phase'] === 'Pending') this.unschedulable.add(p.key);
    }
  }

  private onEvent(e: StoreEvent): void {
    const r = e.object.type.resource;
    if (r === 'nodes') {
      // Heartbeats are frequent; retrying is cheap when nothing waits, and throttled when something does.
      if (this.unschedulable.size > 0 && !this.retryTimer) {
        this.retryTimer = this.timers.after(Math.max(this.delayMs, 200), () => {
          this.retryTimer = undefined;
          for (const k of this.unschedulable) this.enqueue(k);
        });
      }
      return;
    }
    if (r !== 'pods') return;
    if (e.type === 'DELETED') {
      this.unschedulable.delete(e.object.key);
      return;
    }
    if (
      !e.object.fields['spec.nodeName'] &&
      e.object.fields['spec.schedulerName'] === 'default-scheduler' &&
      e.type === 'ADDED'
    ) {
      this.enqueue(e.object.key);
    }
  }

  private enqueue(key: string): void {
    this.queue.add(key);
    this.flushTimer ??= this.timers.after(this.delayMs, () => {
      this.flushTimer = undefined;
      const keys = [...this.queue];
      this.queue.clear();
      for (const k of keys) this.schedule(k);
    });
  }

  /** The node a pod would be bound to now, or undefined if none fits. */
  pickNode(pod: KubeObject, controllerUid?: string): string | undefined {
    const spec = (pod.spec ?? {}) as { tolerations?: Toleration[]; nodeSelector?: Record<string, string> };
    const tolerations = spec.tolerations ?? [];
    const selector = Object.entries(spec.nodeSelector ?? {});
    const siblings = new Map<string, number>();
    if (controllerUid) {
      for (const p of this.store.controlledBy('pods', controllerUid)) {
        const n = p.fields['spec.nodeName'];
        if (n) siblings.set(n, (siblings.get(n) ?? 0) + 1);
      }
    }
    let best: { name: string; score: number } | undefined;
    for (const stored of this.store.list('nodes')) {
      const n = stored.node;
      if (!n?.ready || n.unschedulable) continue;
      if (selector.some(([k, v]) => n.labels[k] !== v)) continue;
      if (n.taints.some((t) => repels(t, tolerations))) continue;
      const count = this.store.podCountOnNode(n.name);
      if (count >= n.capacity) continue;
      const score = (siblings.get(n.name) ?? 0) * 100_000 + count;
      if (!best || score < best.score) best = { name: n.name, score };
    }
    return best?.name;
  }

  private schedule(key: string): void {
    const stored = this.store.get('pods', key);
    if (!stored || stored.fields['spec.nodeName']) {
      this.unschedulable.delete(key);
      return;
    }
    const pod = this.store.parse(stored);
    if (pod.metadata?.deletionTimestamp) return;
    const node = this.pickNode(pod, stored.controllerUid);
    const status = (pod.status ?? {}) as { conditions?: Array<Record<string, unknown>> };
    const others = (status.conditions ?? []).filter((c) => c.type !== 'PodScheduled');
    if (!node) {
      if (!this.unschedulable.has(key)) {
        this.unschedulable.add(key);
        const total = this.store.count('nodes');
        status.conditions = [
          ...others,
          {
            type: 'PodScheduled',
            status: 'False',
            lastProbeTime: null,
            lastTransitionTime: rfc3339(this.now()),
            reason: 'Unschedulable',
            message: `0/${total} nodes are available: ${total} node(s) didn't match Pod's node affinity/selector, or were unschedulable or not ready.`,
          },
        ];
        pod.status = status;
        this.store.write('pods', pod);
      }
      return;
    }
    this.unschedulable.delete(key);
    (pod.spec as Record<string, unknown>).nodeName = node;
    status.conditions = [
      ...others,
      { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: rfc3339(this.now()) },
    ];
    pod.status = status;
    this.store.write('pods', pod);
  }

  stop(): void {
    this.unsubscribe();
  }
}
