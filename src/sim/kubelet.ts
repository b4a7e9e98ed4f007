/**
 * What the kubelets (and the node lifecycle controller) do to API objects: start bound pods (Pending ->
 * Running), finish graceful deletion after the pod's grace period (scaled down), post node heartbeats
 * (MODIFIED events that only bump lastHeartbeatTime: the background noise of a real cluster) and flip node
 * readiness (with the not-ready taint and pods marked not Ready, as the node lifecycle controller does).
 */
import { type KubeObject, rfc3339 } from './kube-object.js';
import { type PodTemplate, podStatus } from './pod-factory.js';
import type { Random } from './random.js';
import type { Store, StoredObject, StoreEvent } from './store.js';
import type { Timers } from './timers.js';

export interface KubeletOptions {
  /** Multiplies grace periods: 0.01 turns 30 s into 300 ms. */
  deleteGraceScale: number;
  /** Time from binding to Running. */
  podStartDelayMs: number;
  /** Interval between heartbeat rounds; 0 disables them. */
  heartbeatIntervalMs: number;
}

type Condition = Record<string, unknown> & { type?: string; status?: string };
type Taint = { key?: string; effect?: string; value?: string; timeAdded?: string };

const NOT_READY_TAINT = 'node.kubernetes.io/not-ready';
const UNREACHABLE_TAINT = 'node.kubernetes.io/unreachable';
const UNSCHEDULABLE_TAINT = 'node.kubernetes.io/unschedulable';

export class Kubelet {
  private readonly terminating = new Map<string, { timer: NodeJS.Timeout | undefined; at: number }>();
  private readonly starting = new Set<string>();
  private readonly nextIp = new Map<string, number>();
  private readonly unsubscribe: () => void;

  constructor(
    private readonly store: Store,
    private readonly random: Random,
    private readonly timers: Timers,
    private readonly opts: KubeletOptions,
    private readonly now: () => number = Date.now,
  ) {
    this.unsubscribe = store.subscribe((e) => this.onEvent(e));
    if (opts.heartbeatIntervalMs > 0)
      this.timers.every(opts.heartbeatIntervalMs, () => this.heartbeatInBatches());
  }

  private onEvent(e: StoreEvent): void {
    if (e.object.type.resource === 'nodes' && e.type !== 'DELETED') this.syncUnschedulableTaint(e.object);
    if (e.object.type.resource !== 'pods') return;
    const o = e.object;
    if (e.type === 'DELETED') {
      const t = this.terminating.get(o.uid);
      if (t) this.timers.cancel(t.timer);
      this.terminating.delete(o.uid);
      this.starting.delete(o.uid);
      return;
    }
    const nodeName = o.fields['spec.nodeName'];
    if (!nodeName) return;
    if (o.terminating) this.scheduleRemoval(o);
    else if (o.fields['status.phase'] === 'Pending' && !this.starting.has(o.uid)) {
      this.starting.add(o.uid);
      this.timers.after(this.opts.podStartDelayMs, () => this.startPod(o.key, o.uid));
    }
  }

  private scheduleRemoval(o: StoredObject): void {
    const pod = this.store.parse(o);
    const grace = pod.metadata?.deletionGracePeriodSeconds ?? 0;
    const at = this.now() + grace * 1000 * this.opts.deleteGraceScale;
    const existing = this.terminating.get(o.uid);
    if (existing && existing.at <= at) return;
    if (existing) this.timers.cancel(existing.timer);
    const timer = this.timers.after(at - this.now(), () => {
      this.terminating.delete(o.uid);
      const current = this.store.get('pods', o.key);
      if (current?.uid === o.uid) this.store.remove('pods', o.key);
    });
    this.terminating.set(o.uid, { timer, at });
  }

  private startPod(key: string, uid: string): void {
    this.starting.delete(uid);
    const stored = this.store.get('pods', key);
    if (!stored || stored.uid !== uid || stored.terminating || stored.fields['status.phase'] !== 'Pending')
      return;
    const pod = this.store.parse(stored);
    const spec = pod.spec as PodTemplate['spec'] & { nodeName?: string; hostNetwork?: boolean };
    const node = this.store.get('nodes', spec.nodeName ?? '');
    if (!node) return;
    const nodeObj = this.store.parse(node);
    const addresses =
      (nodeObj.status as { addresses?: Array<{ type: string; address: string }> }).addresses ?? [];
    const hostIP = addresses.find((a) => a.type === 'InternalIP')?.address;
    const podIP = spec.hostNetwork ? hostIP : this.allocateIp(nodeObj);
    const status = podStatus(
      spec,
      'Running',
      { ...(hostIP ? { hostIP } : {}), ...(podIP ? { podIP } : {}), createdMs: this.now() - 3_000 },
      this.random,
    );
    for (const c of (status.containerStatuses as Array<Record<string, unknown>>) ?? []) {
      c.restartCount = 0;
      c.lastState = {};
    }
    pod.status = status;
    this.store.write('pods', pod);
  }

  private allocateIp(node: KubeObject): string | undefined {
    const cidr = (node.spec as { podCIDR?: string } | undefined)?.podCIDR;
    if (!cidr) return undefined;
    const prefix = cidr.split('.').slice(0, 3).join('.');
    // Start high to stay clear of the addresses the generator handed out.
    const n = this.nextIp.get(prefix) ?? 200;
    this.nextIp.set(prefix, n >= 254 ? 100 : n + 1);
    return `${prefix}.${n}`;
  }

  /**
   * The node lifecycle controller keeps the node.kubernetes.io/unschedulable:NoSchedule taint in line with
   * spec.unschedulable (TaintNodesByCondition), so a cordon shows up in taints as on a real cluster.
   */
  private syncUnschedulableTaint(stored: StoredObject): void {
    const unschedulable = stored.fields['spec.unschedulable'] === 'true';
    const hasTaint = stored.json.includes(`"key":"${UNSCHEDULABLE_TAINT}"`);
    if (unschedulable === hasTaint) return;
    const node = this.store.parse(stored);
    const spec = (node.spec ?? {}) as { taints?: Taint[] };
    const taints = (spec.taints ?? []).filter((t) => t.key !== UNSCHEDULABLE_TAINT);
    if (unschedulable)
      taints.push({ key: UNSCHEDULABLE_TAINT, effect: 'NoSchedule', timeAdded: rfc3339(this.now()) });
    if (taints.length) spec.taints = taints;
    else delete spec.taints;
    node.spec = spec;
    this.store.write('nodes', node);
  }

  /** One heartbeat for one node: lastHeartbeatTime moves, nothing else does. */
  private beat(stored: StoredObject, nowIso: string): void {
    const node = this.store.parse(stored);
    const status = (node.status ?? {}) as { conditions?: Condition[] };
    const conditions = status.conditions ?? [];
    // A kubelet that stopped posting (Ready=Unknown) sends no heartbeats.
    if (conditions.some((c) => c.type === 'Ready' && c.status === 'Unknown')) return;
    for (const c of conditions) c.lastHeartbeatTime = nowIso;
    for (const m of (node.metadata?.managedFields ?? []) as Array<Record<string, unknown>>) {
      if (m.manager === 'kubelet' && m.subresource === 'status') m.time = nowIso;
    }
    this.store.write('nodes', node);
  }

  /** One heartbeat round over all nodes, now. */
  heartbeat(): void {
    const nowIso = rfc3339(this.now());
    for (const n of this.store.list('nodes')) this.beat(n, nowIso);
  }

  /** Timer-driven rounds yield to the event loop between batches (5000 nodes would block ~0.5 s). */
  private heartbeatInBatches(): void {
    const names = this.store.list('nodes').map((n) => n.name);
    const nowIso = rfc3339(this.now());
    const step = (from: number): void => {
      for (const name of names.slice(from, from + 200)) {
        const n = this.store.get('nodes', name);
        if (n) this.beat(n, nowIso);
      }
      if (from + 200 < names.length) this.timers.after(0, () => step(from + 200));
    };
    step(0);
  }

  setNodeReady(name: string, ready: boolean): StoredObject | undefined {
    const stored = this.store.get('nodes', name);
    if (!stored) return undefined;
    const node = this.store.parse(stored);
    const status = (node.status ?? {}) as { conditions?: Condition[] };
    const spec = (node.spec ?? {}) as { taints?: Taint[] };
    const nowIso = rfc3339(this.now());
    for (const c of status.conditions ?? []) {
      const wasTrue = c.status === 'True';
      if (c.type === 'Ready') {
        if (ready !== wasTrue) c.lastTransitionTime = nowIso;
        c.status = ready ? 'True' : 'False';
        c.reason = ready ? 'KubeletReady' : 'KubeletNotReady';
        c.message = ready
          ? 'kubelet is posting ready status'
          : 'container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized';
      } else if (ready && c.status === 'Unknown') {
        c.status = 'False';
        c.lastTransitionTime = nowIso;
      }
      c.lastHeartbeatTime = nowIso;
    }
    const taints = (spec.taints ?? []).filter(
      (t) => t.key !== NOT_READY_TAINT && t.key !== UNREACHABLE_TAINT,
    );
    if (!ready) taints.push({ key: NOT_READY_TAINT, effect: 'NoSchedule', timeAdded: nowIso });
    if (taints.length) spec.taints = taints;
    else delete spec.taints;
    node.spec = spec;
    const written = this.store.write('nodes', node);
    this.setPodsReady(name, ready, nowIso);
    return written;
  }

  private setPodsReady(nodeName: string, ready: boolean, nowIso: string): void {
    for (const p of this.store.podsOnNode(nodeName)) {
      const phase = p.fields['status.phase'];
      if (p.terminating || phase !== 'Running') continue;
      const pod = this.store.parse(p);
      const status = (pod.status ?? {}) as {
        conditions?: Condition[];
        containerStatuses?: Array<Record<string, unknown>>;
      };
      let changed = false;
      for (const c of status.conditions ?? []) {
        if ((c.type === 'Ready' || c.type === 'ContainersReady') && (c.status === 'True') !== ready) {
          c.status = ready ? 'True' : 'False';
          c.lastTransitionTime = nowIso;
          if (ready) delete c.reason;
          else c.reason = 'NodeNotReady';
          changed = true;
        }
      }
      for (const cs of status.containerStatuses ?? []) cs.ready = ready;
      if (changed) this.store.write('pods', pod);
    }
  }

  stop(): void {
    this.unsubscribe();
  }
}
