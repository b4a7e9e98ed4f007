/**
 * metrics.k8s.io/v1beta1 as metrics-server serves it, enough for `kubectl top nodes` and
 * `kubectl top pods`: discovery, LIST and GET of NodeMetrics and PodMetrics (JSON; kubectl's
 * metrics client does not ask for Tables). Values are plausible and deterministic: each Running
 * container uses a share of its request (35%-65%, drifting slowly over a 10-minute cycle with a
 * phase of its own from the seed and the pod's UID); a node uses its pods' sum plus a system share.
 * Samples change once per `RESOLUTION_MS` (the sample's timestamp), like a scrape interval, so two
 * readers in the same interval see the same numbers. NotReady nodes and their pods have no sample.
 */
import { parseQuantity } from '../pods/quantity.js';
import { rfc3339 } from './kube-object.js';
import { filterMatches, parseFilter } from './object-filter.js';
import type { ResourceRequest } from './request-info.js';
import { RESOURCES } from './resources.js';
import { errors } from './status.js';
import type { Store, StoredObject } from './store.js';

export const METRICS_GROUP = 'metrics.k8s.io';
export const METRICS_VERSION = 'v1beta1';
const RESOLUTION_MS = 30_000;
const WINDOW = '30s';
const CYCLE_MS = 600_000;

interface ContainerUsage {
  name: string;
  cpuNanos: number;
  memoryBytes: number;
}

const DEFAULT_CPU_NANOS = 100_000_000; // 100m when a container requests none
const DEFAULT_MEMORY_BYTES = 64 * 1024 * 1024;

/** FNV-1a of a string, as a phase in [0, 1). */
function phaseOf(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) / 4294967296;
}

export class MetricsApi {
  constructor(
    private readonly store: Store,
    private readonly seed: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The APIGroup entry of /apis and the document of /apis/metrics.k8s.io. */
  apiGroup(): { name: string; versions: unknown[]; preferredVersion: unknown } {
    const version = { groupVersion: `${METRICS_GROUP}/${METRICS_VERSION}`, version: METRICS_VERSION };
    return { name: METRICS_GROUP, versions: [version], preferredVersion: version };
  }

  /** APIResourceList of /apis/metrics.k8s.io/v1beta1. */
  resourceList(): unknown {
    const resource = (name: string, kind: string, namespaced: boolean) => ({
      name,
      singularName: '',
      namespaced,
      kind,
      verbs: ['get', 'list'],
    });
    return {
      kind: 'APIResourceList',
      apiVersion: 'v1',
      groupVersion: `${METRICS_GROUP}/${METRICS_VERSION}`,
      resources: [resource('nodes', 'NodeMetrics', false), resource('pods', 'PodMetrics', true)],
    };
  }

  /** GET/LIST of nodes or pods; anything else is 404/405 as on metrics-server. */
  handle(r: ResourceRequest): string {
    if (r.version !== METRICS_VERSION || (r.resource !== 'nodes' && r.resource !== 'pods') || r.subresource)
      throw errors.notFoundPath();
    if (r.verb !== 'get' && r.verb !== 'list') throw errors.methodNotAllowed();
    const sampledAt = Math.floor(this.now() / RESOLUTION_MS) * RESOLUTION_MS;
    if (r.resource === 'nodes') {
      if (r.namespace !== undefined) throw errors.notFoundPath();
      return r.verb === 'get' ? this.getNode(r.name!, sampledAt) : this.listNodes(r, sampledAt);
    }
    return r.verb === 'get'
      ? this.getPod(r.namespace ?? '', r.name!, sampledAt)
      : this.listPods(r, sampledAt);
  }

  private listNodes(r: ResourceRequest, at: number): string {
    const filter = parseFilter(RESOURCES.nodes, undefined, r.query);
    const items = this.store
      .list('nodes')
      .filter((n) => n.node?.ready && filterMatches(filter, n))
      .map((n) => this.nodeMetrics(n, at));
    return JSON.stringify({ kind: 'NodeMetricsList', apiVersion: this.apiVersion(), metadata: {}, items });
  }

  private getNode(name: string, at: number): string {
    const node = this.store.get('nodes', name);
    if (!node?.node?.ready) throw errors.notFound({ resource: 'nodes', group: METRICS_GROUP }, name);
    return JSON.stringify({
      kind: 'NodeMetrics',
      apiVersion: this.apiVersion(),
      ...this.nodeMetrics(node, at),
    });
  }

  private listPods(r: ResourceRequest, at: number): string {
    const filter = parseFilter(RESOURCES.pods, r.namespace, r.query);
    const items = this.store
      .list('pods', r.namespace)
      .filter((p) => this.sampled(p) && filterMatches(filter, p))
      .map((p) => this.podMetrics(p, at));
    return JSON.stringify({ kind: 'PodMetricsList', apiVersion: this.apiVersion(), metadata: {}, items });
  }

  private getPod(namespace: string, name: string, at: number): string {
    const pod = this.store.get('pods', `${namespace}/${name}`);
    if (!pod || !this.sampled(pod)) throw errors.notFound({ resource: 'pods', group: METRICS_GROUP }, name);
    return JSON.stringify({ kind: 'PodMetrics', apiVersion: this.apiVersion(), ...this.podMetrics(pod, at) });
  }

  private apiVersion(): string {
    return `${METRICS_GROUP}/${METRICS_VERSION}`;
  }

  /** Running pods on Ready nodes are scraped. */
  private sampled(pod: StoredObject): boolean {
    if (pod.fields['status.phase'] !== 'Running') return false;
    const node = this.store.get('nodes', pod.fields['spec.nodeName'] ?? '');
    return node?.node?.ready === true;
  }

  private nodeMetrics(node: StoredObject, at: number): Record<string, unknown> {
    let cpu = 0;
    let memory = 0;
    for (const pod of this.store.podsOnNode(node.name)) {
      if (pod.fields['status.phase'] !== 'Running') continue;
      for (const c of this.containerUsage(pod, at)) {
        cpu += c.cpuNanos;
        memory += c.memoryBytes;
      }
    }
    // The kubelet, runtime and OS: 4-8% of the node's CPU and ~0.5-1 GiB.
    const allocatable = (
      this.store.parse(node).status as { allocatable?: Record<string, string> } | undefined
    )?.allocatable;
    const allocCpu = Number(parseQuantity(allocatable?.cpu ?? '1')?.nanos ?? 1_000_000_000n);
    const drift = this.drift(`${node.uid}`, at);
    cpu += Math.round(allocCpu * (0.04 + 0.04 * drift));
    memory += Math.round((512 + 512 * drift) * 1024 * 1024);
    return {
      metadata: { name: node.name, creationTimestamp: rfc3339(this.now()), labels: node.labels },
      timestamp: rfc3339(at),
      window: WINDOW,
      usage: { cpu: `${cpu}n`, memory: `${Math.ceil(memory / 1024)}Ki` },
    };
  }

  private podMetrics(pod: StoredObject, at: number): Record<string, unknown> {
    return {
      metadata: {
        name: pod.name,
        namespace: pod.namespace,
        creationTimestamp: rfc3339(this.now()),
        labels: pod.labels,
      },
      timestamp: rfc3339(at),
      window: WINDOW,
      containers: this.containerUsage(pod, at).map((c) => ({
        name: c.name,
        usage: { cpu: `${c.cpuNanos}n`, memory: `${Math.ceil(c.memoryBytes / 1024)}Ki` },
      })),
    };
  }

  private containerUsage(pod: StoredObject, at: number): ContainerUsage[] {
    const spec = this.store.parse(pod).spec as
      | { containers?: { name?: string; resources?: { requests?: Record<string, string> } }[] }
      | undefined;
    return (spec?.containers ?? []).map((c) => {
      const name = c.name ?? '';
      const requests = c.resources?.requests ?? {};
      const cpu = Number(parseQuantity(requests.cpu ?? '')?.nanos ?? BigInt(DEFAULT_CPU_NANOS));
      const memory =
        Number(parseQuantity(requests.memory ?? '')?.nanos ?? BigInt(DEFAULT_MEMORY_BYTES * 1e9)) / 1e9;
      const drift = this.drift(`${pod.uid}/${name}`, at);
      // Kilobyte-aligned like the kubelet's cAdvisor numbers (so a container's Ki is exact).
      const memoryBytes = Math.round((memory * (0.35 + 0.3 * drift)) / 1024) * 1024;
      return { name, cpuNanos: Math.round(cpu * (0.35 + 0.3 * drift)), memoryBytes };
    });
  }

  /** In [0, 1]: a slow sine with a phase per object and seed, sampled at `at`. */
  private drift(id: string, at: number): number {
    const phase = phaseOf(`${this.seed}:${id}`);
    return 0.5 + 0.5 * Math.sin(2 * Math.PI * (at / CYCLE_MS + phase));
  }
}
