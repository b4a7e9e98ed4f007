/**
 * The disruption controller: keeps each PodDisruptionBudget's status (expectedPods, currentHealthy,
 * desiredHealthy, disruptionsAllowed, disruptedPods) in line with the pods it selects. Like the real one it
 * runs asynchronously after pod changes, so an eviction works from the status last computed.
 */

import {
  type LabelSelector,
  type LabelSelectorSpec,
  labelSelectorFromSpec,
  matches,
} from '../clusters/label-selector.js';
import { type KubeObject, rfc3339 } from './kube-object.js';
import type { Store, StoredObject, StoreEvent } from './store.js';

/** A PDB's selector; undefined (selects nothing) when spec.selector is missing, as in policy/v1. */
export function pdbSelector(pdb: KubeObject): LabelSelector | undefined {
  const spec = (pdb.spec ?? {}) as { selector?: LabelSelectorSpec | null };
  if (!spec.selector) return undefined;
  try {
    return labelSelectorFromSpec(spec.selector);
  } catch {
    return undefined;
  }
}

/** intstr scaled value: an integer, or a percentage of `total` (rounded up). */
function scaled(v: unknown, total: number): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.endsWith('%')) return Math.ceil((Number(v.slice(0, -1)) * total) / 100);
  return Number(v) || 0;
}

function isReady(pod: KubeObject): boolean {
  const conditions =
    (pod.status as { conditions?: Array<{ type?: string; status?: string }> } | undefined)?.conditions ?? [];
  return conditions.some((c) => c.type === 'Ready' && c.status === 'True');
}

/** An evicted pod stays in disruptedPods until deleted or for this long (DeletionTimeout in the controller). */
const DISRUPTED_POD_TIMEOUT_MS = 120_000;

export class DisruptionController {
  private readonly dirty = new Set<string>();
  private timer: NodeJS.Immediate | undefined;
  private readonly unsubscribe: () => void;
  private readonly selectors = new Map<string, { rv: number; selector: LabelSelector | undefined }>();

  constructor(
    private readonly store: Store,
    private readonly now: () => number = Date.now,
  ) {
    this.unsubscribe = store.subscribe((e) => this.onEvent(e));
  }

  private selectorOf(pdb: StoredObject): LabelSelector | undefined {
    const cached = this.selectors.get(pdb.key);
    if (cached && cached.rv === pdb.rv) return cached.selector;
    const selector = pdbSelector(this.store.parse(pdb));
    this.selectors.set(pdb.key, { rv: pdb.rv, selector });
    return selector;
  }

  private onEvent(e: StoreEvent): void {
    const o = e.object;
    const r = o.type.resource;
    if (r === 'pods') {
      // Only budgets selecting the pod (before or after the change) need recomputing.
      for (const pdb of this.store.list('poddisruptionbudgets', o.namespace)) {
        const sel = this.selectorOf(pdb);
        if (sel && (matches(sel, o.labels) || (e.prev && matches(sel, e.prev.labels))))
          this.markDirty(pdb.key);
      }
    } else if (r === 'replicasets') {
      for (const pdb of this.store.list('poddisruptionbudgets', o.namespace)) this.markDirty(pdb.key);
    } else if (r === 'poddisruptionbudgets') {
      if (e.type === 'DELETED') {
        this.selectors.delete(o.key);
        return;
      }
      // Our own status writes keep observedGeneration == generation; creation and spec changes do not.
      const pdb = this.store.parse(o);
      const observed = (pdb.status as { observedGeneration?: number } | undefined)?.observedGeneration ?? 0;
      if (observed < (pdb.metadata?.generation ?? 1)) this.markDirty(o.key);
    }
  }

  private markDirty(pdbKey: string): void {
    this.dirty.add(pdbKey);
    this.timer ??= setImmediate(() => {
      this.timer = undefined;
      const keys = [...this.dirty];
      this.dirty.clear();
      this.sync(keys);
    });
  }

  /** Recomputes every PDB now (also used once at startup). */
  syncAll(): void {
    this.sync(this.store.list('poddisruptionbudgets').map((p) => p.key));
  }

  private sync(pdbKeys: readonly string[]): void {
    // Per namespace, an index of pods by label pair, so each budget only looks at candidate pods.
    const indexes = new Map<string, Map<string, StoredObject[]>>();
    const podsByLabel = (namespace: string): Map<string, StoredObject[]> => {
      let index = indexes.get(namespace);
      if (!index) {
        index = new Map();
        for (const p of this.store.list('pods', namespace)) {
          for (const [k, v] of Object.entries(p.labels)) {
            const pair = `${k}=${v}`;
            const list = index.get(pair);
            if (list) list.push(p);
            else index.set(pair, [p]);
          }
        }
        indexes.set(namespace, index);
      }
      return index;
    };
    const replicaSets = new Map<string, Map<string, StoredObject>>();
    const replicasOf = (namespace: string, uid: string): number | undefined => {
      let byUid = replicaSets.get(namespace);
      if (!byUid) {
        byUid = new Map(this.store.list('replicasets', namespace).map((r) => [r.uid, r]));
        replicaSets.set(namespace, byUid);
      }
      const rs = byUid.get(uid);
      return rs
        ? (((JSON.parse(rs.json) as KubeObject).spec as { replicas?: number }).replicas ?? 1)
        : undefined;
    };
    for (const key of pdbKeys) {
      const stored = this.store.get('poddisruptionbudgets', key);
      if (!stored) continue;
      const sel = this.selectorOf(stored);
      let candidates: readonly StoredObject[] = [];
      if (sel) {
        const pinned = sel.requirements.find(
          (r) => (r.operator === 'equals' || r.operator === 'in') && r.values.length === 1,
        );
        candidates = pinned
          ? (podsByLabel(stored.namespace).get(`${pinned.key}=${pinned.values[0]}`) ?? [])
          : this.store.list('pods', stored.namespace);
      }
      this.syncPdb(stored, candidates, (uid) => replicasOf(stored.namespace, uid));
    }
  }

  private syncPdb(
    stored: StoredObject,
    pods: readonly StoredObject[],
    replicasOf: (uid: string) => number | undefined,
  ): void {
    const pdb = this.store.parse(stored);
    const spec = (pdb.spec ?? {}) as { minAvailable?: number | string; maxUnavailable?: number | string };
    const sel = this.selectorOf(stored);
    const selected = sel ? pods.filter((p) => matches(sel, p.labels)) : [];
    const old = (pdb.status ?? {}) as Record<string, unknown> & { disruptedPods?: Record<string, string> };
    const now = this.now();

    // Pods evicted but not yet gone stay counted as disrupted (they are not healthy any more).
    const disrupted: Record<string, string> = {};
    for (const [name, at] of Object.entries(old.disruptedPods ?? {})) {
      const pod = selected.find((p) => p.name === name);
      if (
        pod &&
        !(JSON.parse(pod.json) as KubeObject).metadata?.deletionTimestamp &&
        now - Date.parse(at) < DISRUPTED_POD_TIMEOUT_MS
      ) {
        disrupted[name] = at;
      }
    }
    let healthy = 0;
    const controllers = new Map<string, number>();
    let uncontrolled = 0;
    for (const p of selected) {
      const pod = JSON.parse(p.json) as KubeObject;
      const phase = p.fields['status.phase'];
      if (phase === 'Succeeded' || phase === 'Failed') continue;
      if (p.controllerUid) {
        const replicas = controllers.get(p.controllerUid) ?? replicasOf(p.controllerUid);
        if (replicas !== undefined) controllers.set(p.controllerUid, replicas);
        else uncontrolled++;
      } else uncontrolled++;
      if (!pod.metadata?.deletionTimestamp && isReady(pod) && !disrupted[p.name]) healthy++;
    }
    let expected: number;
    let desired: number;
    if (spec.maxUnavailable !== undefined) {
      expected = [...controllers.values()].reduce((a, b) => a + b, 0) + uncontrolled;
      desired = Math.max(0, expected - scaled(spec.maxUnavailable, expected));
    } else if (
      typeof spec.minAvailable === 'number' ||
      (typeof spec.minAvailable === 'string' && !spec.minAvailable.endsWith('%'))
    ) {
      expected = selected.filter(
        (p) => p.fields['status.phase'] !== 'Succeeded' && p.fields['status.phase'] !== 'Failed',
      ).length;
      desired = Number(spec.minAvailable);
    } else {
      expected = [...controllers.values()].reduce((a, b) => a + b, 0) + uncontrolled;
      desired = scaled(spec.minAvailable ?? 0, expected);
    }
    const allowed = Math.max(0, healthy - desired);
    const generation = pdb.metadata?.generation ?? 1;
    const status: Record<string, unknown> = {
      observedGeneration: generation,
      ...(Object.keys(disrupted).length ? { disruptedPods: disrupted } : {}),
      disruptionsAllowed: allowed,
      currentHealthy: healthy,
      desiredHealthy: desired,
      expectedPods: expected,
      conditions: [
        {
          type: 'DisruptionAllowed',
          status: allowed > 0 ? 'True' : 'False',
          observedGeneration: generation,
          lastTransitionTime: ((old.conditions as Array<Record<string, unknown>> | undefined)?.[0]?.status ===
          (allowed > 0 ? 'True' : 'False')
            ? (old.conditions as Array<Record<string, unknown>>)[0]!.lastTransitionTime
            : rfc3339(now)) as string,
          reason: allowed > 0 ? 'SufficientPods' : 'InsufficientPods',
          message: '',
        },
      ],
    };
    if (JSON.stringify(status) === JSON.stringify(old)) return;
    pdb.status = status;
    this.store.write('poddisruptionbudgets', pdb);
  }

  stop(): void {
    if (this.timer) clearImmediate(this.timer);
    this.unsubscribe();
  }
}
