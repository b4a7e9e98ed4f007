import { KubeApiError, type KubeStatus } from '../../src/clusters/kube-api-error.js';
import type {
  DrainClusterApi,
  NodeGetter,
  PodRemovalOptions,
  PodsOnNode,
} from '../../src/drain/drain-cluster-api.js';
import type { DaemonSetLookup } from '../../src/drain/drain-filters.js';
import type { RawNode } from '../../src/informers/kube-node.js';
import type { KubePod } from '../../src/pods/kube-pod.js';

/** How the fake apiserver answers an eviction; undefined = accept. */
export type EvictionRule = (pod: KubePod, attempt: number) => KubeApiError | undefined;

/**
 * An in-memory stand-in for the few API calls a drain makes, recording each call in order.
 * Accepted evictions delete the pod at once, or after `terminationPolls` GETs (a pod that
 * takes a while to terminate).
 */
export class FakeDrainApi implements DrainClusterApi, NodeGetter {
  readonly calls: string[] = [];
  readonly pods = new Map<string, KubePod>();
  readonly nodes = new Map<string, { unschedulable: boolean }>();
  readonly daemonSets = new Set<string>();
  evictionRule: EvictionRule = () => undefined;
  terminationPolls = 0;
  /** Runs after an accepted eviction or delete took effect. */
  afterRemoval: (key: string) => void = () => undefined;
  /** Fails the next calls whose description starts with the key. */
  readonly failures = new Map<string, KubeApiError[]>();
  private readonly attempts = new Map<string, number>();
  private readonly terminating = new Map<string, number>();

  constructor(nodes: string[] = ['node-1']) {
    for (const n of nodes) this.nodes.set(n, { unschedulable: false });
  }

  addPods(...pods: KubePod[]): void {
    for (const pod of pods) this.pods.set(keyOf(pod), pod);
  }

  async getNode(node: string): Promise<unknown> {
    return this.nodes.get(node);
  }

  async setUnschedulable(node: string, unschedulable: boolean): Promise<RawNode> {
    this.call(`patch ${node} unschedulable=${unschedulable}`);
    const n = this.nodes.get(node);
    if (!n) throw new KubeApiError('NOT_FOUND', `nodes "${node}" not found`, 404);
    n.unschedulable = unschedulable;
    return { metadata: { name: node }, spec: { unschedulable } };
  }

  /** Label and taint edits are tested against the simulator (test/e2e/node-edits.test.ts). */
  async mergePatchNode(node: string): Promise<RawNode> {
    this.call(`merge-patch ${node}`);
    return { metadata: { name: node } };
  }

  async listPodsOnNode(node: string, labelSelector: string | null): Promise<PodsOnNode> {
    this.call(`list ${node}${labelSelector ? ` ${labelSelector}` : ''}`);
    // No resourceVersion and no watch: the drain polls each pod (what these tests count).
    return {
      pods: [...this.pods.values()].filter((p) => p.spec?.nodeName === node),
      resourceVersion: undefined,
    };
  }

  async getPod(namespace: string, name: string): Promise<KubePod | undefined> {
    const key = `${namespace}/${name}`;
    this.call(`get ${key}`);
    const left = this.terminating.get(key);
    if (left !== undefined) {
      if (left <= 0) {
        this.terminating.delete(key);
        this.pods.delete(key);
      } else this.terminating.set(key, left - 1);
    }
    return this.pods.get(key);
  }

  async evictPod(pod: KubePod, _options: PodRemovalOptions): Promise<void> {
    const key = keyOf(pod);
    this.call(`evict ${key}`);
    if (!this.pods.has(key))
      throw new KubeApiError('NOT_FOUND', `pods "${pod.metadata.name}" not found`, 404);
    const attempt = (this.attempts.get(key) ?? 0) + 1;
    this.attempts.set(key, attempt);
    const refusal = this.evictionRule(pod, attempt);
    if (refusal) throw refusal;
    this.remove(key);
  }

  async deletePod(pod: KubePod, options: PodRemovalOptions): Promise<void> {
    const key = keyOf(pod);
    this.call(`delete ${key} grace=${options.gracePeriodSeconds}`);
    if (!this.pods.has(key))
      throw new KubeApiError('NOT_FOUND', `pods "${pod.metadata.name}" not found`, 404);
    this.remove(key);
  }

  async lookupDaemonSet(namespace: string, name: string): Promise<DaemonSetLookup> {
    this.call(`get daemonset ${namespace}/${name}`);
    return this.daemonSets.has(`${namespace}/${name}`)
      ? { kind: 'found' }
      : { kind: 'not-found', message: `daemonsets.apps "${name}" not found` };
  }

  /** Calls matching a prefix, e.g. `evict`. */
  callsOf(prefix: string): string[] {
    return this.calls.filter((c) => c.startsWith(prefix));
  }

  private remove(key: string): void {
    if (this.terminationPolls > 0) {
      const pod = this.pods.get(key)!;
      pod.metadata.deletionTimestamp ??= new Date().toISOString();
      this.terminating.set(key, this.terminationPolls);
    } else this.pods.delete(key);
    this.afterRemoval(key);
  }

  private call(description: string): void {
    this.calls.push(description);
    for (const [prefix, errors] of this.failures) {
      if (description.startsWith(prefix) && errors.length > 0) throw errors.shift();
    }
  }
}

export function tooManyRequests(
  message = "Cannot evict pod as it would violate the pod's disruption budget.",
) {
  const status: KubeStatus = {
    kind: 'Status',
    status: 'Failure',
    reason: 'TooManyRequests',
    code: 429,
    message,
  };
  return new KubeApiError('TOO_MANY_REQUESTS', message, 429, status);
}

function keyOf(pod: KubePod): string {
  return `${pod.metadata.namespace}/${pod.metadata.name}`;
}

let uidSeq = 0;

/** Pod fixtures: a ReplicaSet pod unless told otherwise. */
export function pod(
  name: string,
  extra: {
    namespace?: string;
    node?: string;
    owner?: 'ReplicaSet' | 'DaemonSet' | 'none';
    ownerName?: string;
    emptyDir?: boolean;
    mirror?: boolean;
    phase?: string;
    deletionTimestamp?: string;
    labels?: Record<string, string>;
  } = {},
): KubePod {
  const owner = extra.owner ?? 'ReplicaSet';
  return {
    metadata: {
      namespace: extra.namespace ?? 'default',
      name,
      uid: `uid-${name}-${++uidSeq}`,
      labels: extra.labels,
      deletionTimestamp: extra.deletionTimestamp,
      annotations: extra.mirror ? { 'kubernetes.io/config.mirror': 'hash' } : undefined,
      ownerReferences:
        owner === 'none'
          ? undefined
          : [
              {
                apiVersion: 'apps/v1',
                kind: owner,
                name: extra.ownerName ?? `${name}-owner`,
                controller: true,
              },
            ],
    },
    spec: {
      nodeName: extra.node ?? 'node-1',
      volumes: extra.emptyDir ? [{ name: 'scratch', emptyDir: {} }] : [{ name: 'config' }],
    },
    status: { phase: extra.phase ?? 'Running' },
  };
}
