/**
 * Records the Events a real cluster shows for what happens to nodes and their pods, the way
 * client-go's event recorder writes them (core/v1, aggregated: a repeat bumps `count` and
 * `lastTimestamp`):
 *
 * - cordon / uncordon: the kubelet's NodeNotSchedulable / NodeSchedulable (involvedObject.uid is the
 *   node's name, as the kubelet sets it);
 * - Ready -> False/Unknown: the node lifecycle controller's NodeNotReady (uid: the node's UID);
 *   back to Ready: the kubelet's NodeReady;
 * - a pod on a node starts terminating (delete, eviction, drain): the kubelet's Killing
 *   "Stopping container X" per container, about the pod.
 *
 * Node events go to namespace `default`, pod events to the pod's. Bounded like kube-apiserver's
 * --event-ttl: at most `maxEvents` are kept (oldest go first) and none longer than `ttlMs`.
 */
import { EVENT_TYPE } from './event-resource.js';
import { type KubeObject, rfc3339 } from './kube-object.js';
import type { Registry } from './registry.js';
import type { Store, StoredObject, StoreEvent } from './store.js';
import type { Timers } from './timers.js';

export interface EventRecorderOptions {
  /** Events kept at most; the oldest are deleted first. */
  maxEvents: number;
  /** An event is deleted this long after it was last seen. */
  ttlMs: number;
}

interface Involved {
  kind: string;
  name: string;
  uid: string;
  namespace?: string;
  apiVersion: string;
  fieldPath?: string;
}

interface Recorded {
  key: string;
  lastSeen: number;
}

export class EventRecorder {
  private readonly unsubscribe: () => void;
  /** Aggregation key -> stored event key (namespace/name), oldest first. */
  private readonly recorded = new Map<string, Recorded>();
  private sequence = 0;

  constructor(
    private readonly store: Store,
    private readonly registry: Registry,
    timers: Timers,
    private readonly opts: EventRecorderOptions,
    private readonly now: () => number = Date.now,
  ) {
    this.unsubscribe = store.subscribe((e) => this.onEvent(e));
    timers.every(Math.min(opts.ttlMs, 60_000), () => this.expire());
  }

  stop(): void {
    this.unsubscribe();
  }

  private onEvent(e: StoreEvent): void {
    if (e.type !== 'MODIFIED' || !e.prev) return;
    const resource = e.object.type.resource;
    if (resource === 'nodes') this.nodeChanged(e.prev, e.object);
    else if (resource === 'pods' && e.object.terminating && !e.prev.terminating)
      this.podTerminating(e.object);
  }

  private nodeChanged(prev: StoredObject, next: StoredObject): void {
    const name = next.name;
    const kubelet = { component: 'kubelet', host: name };
    const asKubelet: Involved = { kind: 'Node', name, uid: name, apiVersion: 'v1' };
    const wasCordoned = prev.fields['spec.unschedulable'] === 'true';
    const cordoned = next.fields['spec.unschedulable'] === 'true';
    if (wasCordoned !== cordoned) {
      const status = cordoned ? 'NodeNotSchedulable' : 'NodeSchedulable';
      this.record('default', asKubelet, 'Normal', status, `Node ${name} status is now: ${status}`, kubelet);
    }
    const wasReady = prev.node?.ready ?? false;
    const ready = next.node?.ready ?? false;
    if (wasReady && !ready) {
      const asController: Involved = { kind: 'Node', name, uid: next.uid, apiVersion: 'v1' };
      this.record(
        'default',
        asController,
        'Normal',
        'NodeNotReady',
        `Node ${name} status is now: NodeNotReady`,
        {
          component: 'node-controller',
        },
      );
    } else if (!wasReady && ready) {
      this.record(
        'default',
        asKubelet,
        'Normal',
        'NodeReady',
        `Node ${name} status is now: NodeReady`,
        kubelet,
      );
    }
  }

  private podTerminating(stored: StoredObject): void {
    const node = stored.fields['spec.nodeName'];
    if (!node) return;
    const pod = this.store.parse(stored);
    const containers = ((pod.spec as { containers?: { name?: string }[] } | undefined)?.containers ?? []).map(
      (c) => c.name ?? '',
    );
    for (const container of containers) {
      const ref: Involved = {
        kind: 'Pod',
        namespace: stored.namespace,
        name: stored.name,
        uid: stored.uid,
        apiVersion: 'v1',
        fieldPath: `spec.containers{${container}}`,
      };
      this.record(stored.namespace, ref, 'Normal', 'Killing', `Stopping container ${container}`, {
        component: 'kubelet',
        host: node,
      });
    }
  }

  private record(
    namespace: string,
    ref: Involved,
    type: string,
    reason: string,
    message: string,
    source: { component: string; host?: string },
  ): void {
    const at = this.now();
    const nowIso = rfc3339(at);
    const aggregate = [
      namespace,
      ref.kind,
      ref.namespace,
      ref.name,
      ref.uid,
      ref.fieldPath,
      reason,
      message,
      source.component,
    ].join('\u0000');
    const seen = this.recorded.get(aggregate);
    const existing = seen && this.store.get('events', seen.key);
    if (seen && existing) {
      const event = this.store.parse(existing);
      event.count = Number(event.count ?? 1) + 1;
      event.lastTimestamp = nowIso;
      this.store.write('events', event);
      this.recorded.delete(aggregate);
      this.recorded.set(aggregate, { key: seen.key, lastSeen: at });
      return;
    }
    const event: KubeObject = {
      metadata: { name: `${ref.name}.${this.uniqueSuffix(at)}`, namespace },
      involvedObject: ref,
      reason,
      message,
      source,
      firstTimestamp: nowIso,
      lastTimestamp: nowIso,
      count: 1,
      type,
      eventTime: null,
      reportingComponent: source.component,
      reportingInstance: source.host ?? '',
    };
    const stored = this.registry.create(EVENT_TYPE, event, namespace);
    this.recorded.set(aggregate, { key: stored.key, lastSeen: at });
    while (this.recorded.size > this.opts.maxEvents) this.dropOldest();
  }

  /** client-go names events `<object>.<unix nanoseconds in hex>`. */
  private uniqueSuffix(at: number): string {
    this.sequence = (this.sequence + 1) % 1_000_000;
    return (BigInt(at) * 1_000_000n + BigInt(this.sequence)).toString(16);
  }

  private dropOldest(): void {
    const [aggregate, entry] = this.recorded.entries().next().value as [string, Recorded];
    this.recorded.delete(aggregate);
    this.store.remove('events', entry.key);
  }

  private expire(): void {
    const cutoff = this.now() - this.opts.ttlMs;
    for (const [aggregate, entry] of this.recorded) {
      if (entry.lastSeen > cutoff) break;
      this.recorded.delete(aggregate);
      this.store.remove('events', entry.key);
    }
  }
}
