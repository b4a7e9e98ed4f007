/**
 * The handle's view of cluster state. Reads return wire JSON objects (fresh copies); every mutation goes
 * through the registry, so it bumps resourceVersion and emits watch events exactly like an API write.
 */
import type { V1Pod, V1PodDisruptionBudget } from '@kubernetes/client-node';
import { type PdbViolation, pdbViolationsOf } from './disruption-violations.js';
import { nodeName as formatNodeName } from './generate-cluster.js';
import type {
  KubeObject,
  SimDaemonSet,
  SimNamespace,
  SimNode,
  SimPod,
  SimPodDisruptionBudget,
  SimReplicaSet,
} from './kube-object.js';
import type { Kubelet } from './kubelet.js';
import { CONTROL_PLANE_INSTANCE, INSTANCE_TYPES, imageCatalog, makeNode } from './node-factory.js';
import type { Random } from './random.js';
import type { Registry } from './registry.js';
import { RESOURCES, type ServedResource } from './resources.js';
import { errors } from './status.js';
import { objectKey, type StoredObject } from './store.js';

export interface PodFilter {
  nodeName?: string;
  namespace?: string;
}

export interface WorkerNodeQuery {
  /** Prefer the node whose pod count is closest to this (default: the median worker). */
  approxPods?: number;
  /** Node names not to return (e.g. one already used by another test). */
  exclude?: readonly string[];
}

export interface SimCluster {
  listNodes(): readonly SimNode[];
  getNode(name: string): SimNode | undefined;
  /** Read-modify-write of a node (labels, taints, unschedulable, conditions...; spec and status alike). */
  patchNode(name: string, mutate: (node: SimNode) => void): SimNode;
  addNode(name?: string): SimNode;
  deleteNode(name: string): void;
  listPods(filter?: PodFilter): readonly SimPod[];
  getPod(namespace: string, name: string): SimPod | undefined;
  patchPod(namespace: string, name: string, mutate: (pod: SimPod) => void): SimPod;
  createPod(pod: SimPod | V1Pod): SimPod;
  /** Deletes like `kubectl delete pod`: graceful unless `force` (grace period 0). */
  deletePod(namespace: string, name: string, opts?: { force?: boolean }): void;
  listPodDisruptionBudgets(namespace?: string): readonly SimPodDisruptionBudget[];
  createPodDisruptionBudget(pdb: SimPodDisruptionBudget | V1PodDisruptionBudget): SimPodDisruptionBudget;
  updatePodDisruptionBudget(pdb: SimPodDisruptionBudget | V1PodDisruptionBudget): SimPodDisruptionBudget;
  deletePodDisruptionBudget(namespace: string, name: string): void;
  listNamespaces(): readonly SimNamespace[];
  listReplicaSets(namespace?: string): readonly SimReplicaSet[];
  listDaemonSets(namespace?: string): readonly SimDaemonSet[];
  setNodeReady(name: string, ready: boolean): void;
  /** One round of heartbeat MODIFIED events (one per node with a live kubelet), now. */
  heartbeat(): void;
  /**
   * A drainable worker: Ready, schedulable, not control-plane, with ReplicaSet pods; the one whose pod count
   * is closest to `approxPods`. Deterministic for a given cluster state.
   */
  findWorkerNode(query?: WorkerNodeQuery): string;
  /** Number of pods bound to a node (O(1)). */
  podCount(nodeName: string): number;
  /** Evictions admitted although they left a PodDisruptionBudget short of healthy pods (should be none). */
  pdbViolations(): readonly PdbViolation[];
  readonly resourceVersion: string;
}

function parse<T>(o: StoredObject): T {
  return JSON.parse(
    `{"kind":"${o.type.kind}","apiVersion":"${o.type.group ? `${o.type.group}/` : ''}${o.type.version}",${o.json.slice(1)}`,
  ) as T;
}

export function createSimCluster(registry: Registry, kubelet: Kubelet, random: Random): SimCluster {
  const store = registry.store;
  const get = (
    resource: ServedResource,
    namespace: string | undefined,
    name: string,
  ): StoredObject | undefined =>
    store.get(resource, objectKey(RESOURCES[resource].namespaced ? namespace : undefined, name));
  const must = (resource: ServedResource, namespace: string | undefined, name: string): StoredObject => {
    const o = get(resource, namespace, name);
    if (!o) throw errors.notFound(RESOURCES[resource], name);
    return o;
  };
  const toObject = (o: unknown): KubeObject => JSON.parse(JSON.stringify(o)) as KubeObject;
  let images: ReturnType<typeof imageCatalog> | undefined;

  return {
    listNodes: () => store.list('nodes').map((o) => parse<SimNode>(o)),
    getNode: (name) => {
      const o = get('nodes', undefined, name);
      return o ? parse<SimNode>(o) : undefined;
    },
    patchNode(name, mutate) {
      const prev = must('nodes', undefined, name);
      const obj = parse<SimNode>(prev);
      mutate(obj);
      return parse<SimNode>(registry.update(RESOURCES.nodes, prev, toObject(obj), { subresource: 'all' }));
    },
    addNode(name) {
      let n = name;
      if (!n) {
        const total = store.count('nodes');
        for (let i = total; !n || get('nodes', undefined, n); i++)
          n = formatNodeName(i, Math.max(total + 1, 1000));
      }
      images ??= imageCatalog(random);
      const now = registry.now();
      const index = store.count('nodes');
      const node = makeNode(
        {
          name: n,
          uid: '',
          createdMs: now,
          controlPlane: false,
          region: 'us-east-1',
          zone: ['us-east-1a', 'us-east-1b', 'us-east-1c'][index % 3]!,
          instance: INSTANCE_TYPES[index % INSTANCE_TYPES.length] ?? CONTROL_PLANE_INSTANCE,
          internalIP: `172.21.${Math.floor(index / 250) % 250}.${(index % 250) + 2}`,
          podCIDR: `10.${100 + (Math.floor(index / 256) % 100)}.${index % 256}.0/24`,
          providerId: `aws:///us-east-1a/i-0${random.hex(16)}`,
          images,
          machineId: random.hex(32),
          bootId: random.uuid(),
          systemUuid: random.uuid(),
          nodePool: 'pool-added',
          heartbeatMs: now,
        },
        random,
      );
      return parse<SimNode>(registry.create(RESOURCES.nodes, node));
    },
    deleteNode(name) {
      registry.delete(RESOURCES.nodes, must('nodes', undefined, name));
    },
    listPods(filter = {}) {
      const objs = filter.nodeName ? store.podsOnNode(filter.nodeName) : store.list('pods', filter.namespace);
      return objs
        .filter((o) => !filter.namespace || o.namespace === filter.namespace)
        .map((o) => parse<SimPod>(o));
    },
    getPod: (namespace, name) => {
      const o = get('pods', namespace, name);
      return o ? parse<SimPod>(o) : undefined;
    },
    patchPod(namespace, name, mutate) {
      const prev = must('pods', namespace, name);
      const obj = parse<SimPod>(prev);
      mutate(obj);
      return parse<SimPod>(registry.update(RESOURCES.pods, prev, toObject(obj), { subresource: 'all' }));
    },
    createPod(pod) {
      const obj = toObject(pod);
      return parse<SimPod>(registry.create(RESOURCES.pods, obj, obj.metadata?.namespace ?? 'default'));
    },
    deletePod(namespace, name, opts = {}) {
      registry.delete(
        RESOURCES.pods,
        must('pods', namespace, name),
        opts.force ? { gracePeriodSeconds: 0 } : {},
      );
    },
    listPodDisruptionBudgets: (namespace) =>
      store.list('poddisruptionbudgets', namespace).map((o) => parse<SimPodDisruptionBudget>(o)),
    createPodDisruptionBudget(pdb) {
      const obj = toObject(pdb);
      return parse<SimPodDisruptionBudget>(
        registry.create(RESOURCES.poddisruptionbudgets, obj, obj.metadata?.namespace ?? 'default'),
      );
    },
    updatePodDisruptionBudget(pdb) {
      const obj = toObject(pdb);
      const prev = must(
        'poddisruptionbudgets',
        obj.metadata?.namespace ?? 'default',
        obj.metadata?.name ?? '',
      );
      return parse<SimPodDisruptionBudget>(
        registry.update(RESOURCES.poddisruptionbudgets, prev, obj, { checkResourceVersion: true }),
      );
    },
    deletePodDisruptionBudget(namespace, name) {
      registry.delete(RESOURCES.poddisruptionbudgets, must('poddisruptionbudgets', namespace, name));
    },
    listNamespaces: () => store.list('namespaces').map((o) => parse<SimNamespace>(o)),
    listReplicaSets: (namespace) => store.list('replicasets', namespace).map((o) => parse<SimReplicaSet>(o)),
    listDaemonSets: (namespace) => store.list('daemonsets', namespace).map((o) => parse<SimDaemonSet>(o)),
    setNodeReady(name, ready) {
      must('nodes', undefined, name);
      kubelet.setNodeReady(name, ready);
    },
    heartbeat: () => kubelet.heartbeat(),
    findWorkerNode(query = {}) {
      const exclude = new Set(query.exclude ?? []);
      const candidates: Array<{ name: string; pods: number }> = [];
      for (const stored of store.list('nodes')) {
        if (exclude.has(stored.name) || 'node-role.kubernetes.io/control-plane' in stored.labels) continue;
        const facts = stored.node;
        if (!facts?.ready || facts.unschedulable || facts.taints.length > 0) continue;
        const pods = store.podsOnNode(stored.name);
        if (!pods.some((p) => p.namespace !== 'kube-system' && p.controllerUid && !p.terminating)) continue;
        candidates.push({ name: stored.name, pods: pods.length });
      }
      if (candidates.length === 0)
        throw new Error(
          'sim: no drainable worker node (Ready, schedulable, untainted, with ReplicaSet pods)',
        );
      const sorted = [...candidates].sort((a, b) => a.pods - b.pods || (a.name < b.name ? -1 : 1));
      const target = query.approxPods ?? sorted[Math.floor(sorted.length / 2)]!.pods;
      return sorted.reduce((best, c) => (Math.abs(c.pods - target) < Math.abs(best.pods - target) ? c : best))
        .name;
    },
    podCount: (nodeName) => store.podCountOnNode(nodeName),
    pdbViolations: () => pdbViolationsOf(store),
    get resourceVersion() {
      return String(store.resourceVersion);
    },
  };
}
