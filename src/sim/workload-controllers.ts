/**
 * The controllers that own pods: the ReplicaSet controller (keeps spec.replicas active pods, creating
 * replacements with new names and UIDs when pods terminate), the DaemonSet controller (one pod per eligible
 * node, recreated on the same node), and the garbage collectors (dependents of deleted owners, pods of
 * deleted nodes, contents of terminating namespaces).
 */
import type { KubeObject } from './kube-object.js';
import { repels, type Toleration } from './node-facts.js';
import type { PodTemplate } from './pod-factory.js';
import type { Registry } from './registry.js';
import { RESOURCE_LIST, RESOURCES } from './resources.js';
import type { StoredObject, StoreEvent } from './store.js';
import type { Timers } from './timers.js';

type TemplateSpec = {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: PodTemplate['spec'];
};

function isActive(p: StoredObject): boolean {
  const phase = p.fields['status.phase'];
  return !p.terminating && phase !== 'Succeeded' && phase !== 'Failed';
}

function isReadyPod(p: StoredObject): boolean {
  if (!isActive(p) || p.fields['status.phase'] !== 'Running') return false;
  const pod = JSON.parse(p.json) as KubeObject;
  return ((pod.status as { conditions?: Array<{ type?: string; status?: string }> }).conditions ?? []).some(
    (c) => c.type === 'Ready' && c.status === 'True',
  );
}

export class WorkloadControllers {
  private readonly dirtyReplicaSets = new Set<string>();
  private readonly dirtyDaemonSets = new Set<string>();
  private readonly dirtyNamespaces = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private readonly unsubscribe: () => void;
  private readonly ownerKinds = new Map<string, { resource: 'replicasets' | 'daemonsets'; key: string }>();

  constructor(
    private readonly registry: Registry,
    private readonly timers: Timers,
    private readonly delayMs: number,
  ) {
    const store = registry.store;
    for (const rs of store.list('replicasets'))
      this.ownerKinds.set(rs.uid, { resource: 'replicasets', key: rs.key });
    for (const ds of store.list('daemonsets'))
      this.ownerKinds.set(ds.uid, { resource: 'daemonsets', key: ds.key });
    this.unsubscribe = store.subscribe((e) => this.onEvent(e));
  }

  private get store() {
    return this.registry.store;
  }

  private onEvent(e: StoreEvent): void {
    const o = e.object;
    switch (o.type.resource) {
      case 'pods': {
        const owner = o.controllerUid ?? e.prev?.controllerUid;
        const kind = owner ? this.ownerKinds.get(owner) : undefined;
        const wasActive = e.prev ? isActive(e.prev) : false;
        const changed =
          e.type === 'DELETED' ||
          e.type === 'ADDED' ||
          wasActive !== isActive(o) ||
          o.fields['status.phase'] !== e.prev?.fields['status.phase'];
        if (kind && changed)
          this.mark(kind.resource === 'replicasets' ? this.dirtyReplicaSets : this.dirtyDaemonSets, kind.key);
        if (e.type === 'DELETED') {
          const ns = this.store.get('namespaces', o.namespace);
          if (ns?.terminating) this.mark(this.dirtyNamespaces, ns.key);
        }
        break;
      }
      case 'replicasets':
      case 'daemonsets':
        if (e.type === 'DELETED') {
          this.ownerKinds.delete(o.uid);
          this.collectDependents(o.uid);
        } else {
          this.ownerKinds.set(o.uid, { resource: o.type.resource, key: o.key });
          // Status writes by this controller do not need another pass; spec changes (generation) do.
          if (
            e.type === 'ADDED' ||
            o.json.indexOf('"generation"') < 0 ||
            generationOf(o) !== generationOf(e.prev)
          ) {
            this.mark(
              o.type.resource === 'replicasets' ? this.dirtyReplicaSets : this.dirtyDaemonSets,
              o.key,
            );
          }
        }
        break;
      case 'nodes':
        if (e.type === 'DELETED') {
          for (const p of this.store.podsOnNode(o.name)) this.store.remove('pods', p.key);
        }
        if (e.type !== 'MODIFIED')
          for (const ds of this.store.list('daemonsets')) this.mark(this.dirtyDaemonSets, ds.key);
        break;
      case 'namespaces':
        if (o.terminating) this.mark(this.dirtyNamespaces, o.key);
        break;
      default:
        break;
    }
  }

  private mark(set: Set<string>, key: string): void {
    set.add(key);
    this.timer ??= this.timers.after(this.delayMs, () => {
      this.timer = undefined;
      this.flush();
    });
  }

  private flush(): void {
    const rs = [...this.dirtyReplicaSets];
    const ds = [...this.dirtyDaemonSets];
    const ns = [...this.dirtyNamespaces];
    this.dirtyReplicaSets.clear();
    this.dirtyDaemonSets.clear();
    this.dirtyNamespaces.clear();
    for (const k of rs) this.guard(() => this.syncReplicaSet(k));
    for (const k of ds) this.guard(() => this.syncDaemonSet(k));
    for (const k of ns) this.guard(() => this.syncNamespace(k));
  }

  private guard(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      console.error('sim: controller sync failed', err);
    }
  }

  private podFromTemplate(
    owner: KubeObject,
    kind: 'ReplicaSet' | 'DaemonSet',
    nodeName?: string,
  ): KubeObject {
    const template = ((owner.spec as { template?: TemplateSpec }).template ?? {}) as TemplateSpec;
    const spec = structuredClone(template.spec ?? { containers: [] }) as Record<string, unknown>;
    if (nodeName) spec.nodeName = nodeName;
    const name = owner.metadata?.name ?? '';
    return {
      metadata: {
        generateName: `${name}-`,
        labels: { ...template.metadata?.labels },
        ...(template.metadata?.annotations ? { annotations: { ...template.metadata.annotations } } : {}),
        ownerReferences: [
          {
            apiVersion: 'apps/v1',
            kind,
            name,
            uid: owner.metadata?.uid ?? '',
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
      },
      spec,
    };
  }

  private syncReplicaSet(key: string): void {
    const stored = this.store.get('replicasets', key);
    if (!stored || stored.terminating) return;
    const rs = this.store.parse(stored);
    const replicas = (rs.spec as { replicas?: number }).replicas ?? 1;
    const pods = this.store.controlledBy('pods', stored.uid);
    const active = pods.filter(isActive);
    for (let i = active.length; i < replicas; i++) {
      this.registry.create(RESOURCES.pods, this.podFromTemplate(rs, 'ReplicaSet'), stored.namespace);
    }
    if (active.length > replicas) {
      // Scale down: unscheduled first, then not ready, then the newest.
      const ranked = [...active].sort((a, b) => rank(a) - rank(b) || b.rv - a.rv);
      for (const p of ranked.slice(0, active.length - replicas)) this.registry.delete(RESOURCES.pods, p);
    }
    const now = this.store.controlledBy('pods', stored.uid).filter(isActive);
    const ready = now.filter(isReadyPod).length;
    const status = {
      replicas: now.length,
      fullyLabeledReplicas: now.length,
      readyReplicas: ready,
      availableReplicas: ready,
      observedGeneration: rs.metadata?.generation ?? 1,
    };
    if (JSON.stringify(status) !== JSON.stringify(rs.status)) {
      rs.status = status;
      this.store.write('replicasets', rs);
    }
  }

  private syncDaemonSet(key: string): void {
    const stored = this.store.get('daemonsets', key);
    if (!stored || stored.terminating) return;
    const ds = this.store.parse(stored);
    const template = ((ds.spec as { template?: TemplateSpec }).template ?? {}) as TemplateSpec;
    const tolerations = (template.spec as { tolerations?: Toleration[] } | undefined)?.tolerations ?? [];
    const selector = Object.entries(
      (template.spec as { nodeSelector?: Record<string, string> } | undefined)?.nodeSelector ?? {},
    );
    const byNode = new Map<string, StoredObject[]>();
    for (const p of this.store.controlledBy('pods', stored.uid)) {
      const n = p.fields['spec.nodeName'] ?? '';
      byNode.set(n, [...(byNode.get(n) ?? []), p]);
    }
    let desired = 0;
    let ready = 0;
    for (const nodeStored of this.store.list('nodes')) {
      const node = nodeStored.node;
      if (!node) continue;
      // The DaemonSet controller ignores unschedulable; it does respect NoSchedule taints and nodeSelector.
      if (selector.some(([k, v]) => node.labels[k] !== v)) continue;
      // Daemon pods tolerate the node.kubernetes.io/* condition taints (the controller adds tolerations).
      if (node.taints.some((t) => repels(t, tolerations) && !t.key?.startsWith('node.kubernetes.io/')))
        continue;
      desired++;
      const existing = (byNode.get(node.name) ?? []).filter(isActive);
      if (existing.length === 0) {
        this.registry.create(
          RESOURCES.pods,
          this.podFromTemplate(ds, 'DaemonSet', node.name),
          stored.namespace,
        );
      } else if (existing.some(isReadyPod)) ready++;
    }
    const status = {
      currentNumberScheduled: desired,
      numberMisscheduled: 0,
      desiredNumberScheduled: desired,
      numberReady: ready,
      observedGeneration: ds.metadata?.generation ?? 1,
      updatedNumberScheduled: desired,
      numberAvailable: ready,
      ...(desired - ready > 0 ? { numberUnavailable: desired - ready } : {}),
    };
    if (JSON.stringify(status) !== JSON.stringify(ds.status)) {
      ds.status = status;
      this.store.write('daemonsets', ds);
    }
  }

  /** Background cascading deletion: the dependents of a deleted owner go too. */
  private collectDependents(ownerUid: string): void {
    for (const p of this.store.controlledBy('pods', ownerUid)) {
      if (!p.terminating) this.guard(() => this.registry.delete(RESOURCES.pods, p));
    }
  }

  /** The namespace controller: delete everything inside, then the namespace itself. */
  private syncNamespace(key: string): void {
    const ns = this.store.get('namespaces', key);
    if (!ns?.terminating) return;
    // Every namespaced kind (ServiceAccounts, Secrets, Roles, ...), pods last and gracefully.
    for (const t of RESOURCE_LIST) {
      if (!t.namespaced || t.resource === 'pods') continue;
      for (const o of this.store.list(t.resource, ns.name)) this.registry.delete(t, o);
    }
    const pods = this.store.list('pods', ns.name);
    for (const p of pods) if (!p.terminating) this.registry.delete(RESOURCES.pods, p);
    if (this.store.list('pods', ns.name).length === 0) this.store.remove('namespaces', ns.key);
  }

  stop(): void {
    this.unsubscribe();
  }
}

function generationOf(o: StoredObject | undefined): number | undefined {
  if (!o) return undefined;
  return (JSON.parse(o.json) as KubeObject).metadata?.generation;
}

function rank(p: StoredObject): number {
  if (!p.fields['spec.nodeName']) return 0;
  if (p.fields['status.phase'] !== 'Running') return 1;
  return 2;
}
