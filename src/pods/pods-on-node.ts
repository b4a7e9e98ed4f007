import { type PagedListClient, streamPagedList } from '../clusters/paged-list.js';
import type { KubePod, KubePodPhase } from './kube-pod.js';
import { DEFAULT_POD_PAGE_SIZE } from './kube-pod.js';

/** The one call listing a node's pods needs (a KubeClient satisfies it). */
export type PodsOnNodeClient = PagedListClient;

export interface PodsOnNodeQuery {
  node: string;
  /** Only this namespace; undefined = all namespaces. */
  namespace?: string;
  /** Only pods in this phase (server-side field selector). */
  phase?: KubePodPhase;
}

export interface PodsOnNodeOptions {
  /** Deadline of each page's call. */
  timeoutMs: number;
  /** @default 500 */
  pageSize?: number;
  signal?: AbortSignal;
}

/**
 * The pods on one node, straight from the API (never cached): a LIST of full objects with
 * `fieldSelector=spec.nodeName=<node>`, paged. Each pod is trimmed to the fields `KubePod`
 * declares (no managedFields, env, …), so holding a node's pods costs little. Sorted by
 * namespace, then name. Equivalent to `kubectl get pods -A --field-selector spec.nodeName=<node>`.
 */
export async function listPodsOnNode(
  client: PodsOnNodeClient,
  query: PodsOnNodeQuery,
  options: PodsOnNodeOptions,
): Promise<KubePod[]> {
  const pods: KubePod[] = [];
  const selectors = [`spec.nodeName=${escapeFieldValue(query.node)}`];
  if (query.phase) selectors.push(`status.phase=${query.phase}`);
  await streamPagedList(
    client,
    {
      path: podsPath(query.namespace),
      query: { fieldSelector: selectors.join(',') },
      pageSize: options.pageSize ?? DEFAULT_POD_PAGE_SIZE,
      timeoutMs: options.timeoutMs,
      signal: options.signal,
    },
    {
      onMember() {},
      onElement(key, value) {
        if (key === 'items') pods.push(trimPod(value as KubePod));
      },
    },
  );
  return pods.sort(byNamespaceAndName);
}

function podsPath(namespace: string | undefined): string {
  return namespace === undefined
    ? '/api/v1/pods'
    : `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods`;
}

/** Field selector values escape `\`, `,` and `=` (k8s.io/apimachinery fields.EscapeValue). */
export function escapeFieldValue(value: string): string {
  return value.replace(/[\\,=]/g, (c) => `\\${c}`);
}

/** The order an apiserver lists in (storage key order: namespace, then name, byte-wise). */
export function byNamespaceAndName(a: KubePod, b: KubePod): number {
  return (
    compare(a.metadata.namespace ?? '', b.metadata.namespace ?? '') ||
    compare(a.metadata.name ?? '', b.metadata.name ?? '')
  );
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Keeps only what KubePod declares, so the rest of a full pod object can be collected. */
export function trimPod(pod: KubePod): KubePod {
  const { metadata = {}, spec, status } = pod;
  return {
    metadata: {
      namespace: metadata.namespace,
      name: metadata.name,
      uid: metadata.uid,
      creationTimestamp: metadata.creationTimestamp,
      deletionTimestamp: metadata.deletionTimestamp,
      annotations: metadata.annotations,
      labels: metadata.labels,
      ownerReferences: metadata.ownerReferences,
      resourceVersion: metadata.resourceVersion,
    },
    spec: spec && {
      nodeName: spec.nodeName,
      volumes: spec.volumes?.map((v) =>
        v.emptyDir ? { name: v.name, emptyDir: v.emptyDir } : { name: v.name },
      ),
      containers: spec.containers?.map((c) => ({ name: c.name, image: c.image })),
      terminationGracePeriodSeconds: spec.terminationGracePeriodSeconds,
    },
    status: status && {
      phase: status.phase,
      conditions: status.conditions?.map((c) => ({ type: c.type, status: c.status })),
      containerStatuses: status.containerStatuses?.map((c) => ({
        name: c.name,
        image: c.image,
        ready: c.ready,
        restartCount: c.restartCount,
        state: c.state,
      })),
    },
  };
}
