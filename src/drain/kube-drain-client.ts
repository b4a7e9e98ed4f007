import { isKubeApiError, KubeApiError } from '../clusters/kube-api-error.js';
import type { KubeClient } from '../clusters/kube-client.js';
import { matches, parseLabelSelector } from '../clusters/label-selector.js';
import { streamPagedList } from '../clusters/paged-list.js';
import type { RawNode } from '../informers/kube-node.js';
import { LineSplitter } from '../informers/ndjson-lines.js';
import { DEFAULT_POD_PAGE_SIZE, type KubePod } from '../pods/kube-pod.js';
import { byNamespaceAndName, escapeFieldValue, trimPod } from '../pods/pods-on-node.js';
import type {
  DrainClusterApi,
  NodeGetter,
  PodRemovalOptions,
  PodsOnNode,
  PodWatch,
  PodWatchEvent,
  PodWatcher,
} from './drain-cluster-api.js';
import type { DaemonSetLookup } from './drain-filters.js';

const STRATEGIC_MERGE_PATCH = 'application/strategic-merge-patch+json';
const MERGE_PATCH = 'application/merge-patch+json';

/** The drain's cluster interfaces over the shared KubeClient; every call carries its deadline. */
export class KubeDrainClient implements DrainClusterApi, NodeGetter, PodWatcher {
  constructor(
    private readonly client: Pick<KubeClient, 'cluster' | 'json' | 'stream'>,
    private readonly apiTimeoutMs: number,
  ) {}

  /** Like kubectl's cordon: `{"spec":{"unschedulable":true}}`, and null (field removed) to uncordon. */
  setUnschedulable(
    node: string,
    unschedulable: boolean,
    annotations?: Readonly<Record<string, string | null>>,
  ): Promise<RawNode> {
    const spec = { unschedulable: unschedulable ? true : null };
    return this.client.json<RawNode>({
      method: 'PATCH',
      path: nodePath(node),
      body: annotations ? { metadata: { annotations }, spec } : { spec },
      contentType: STRATEGIC_MERGE_PATCH,
    });
  }

  /**
   * A JSON merge patch (RFC 7386) of the node: label and taint edits. Lists are replaced whole,
   * as every apiserver does for merge patches; a metadata.resourceVersion in `patch` makes a
   * stale edit a 409 Conflict instead of an overwrite.
   */
  mergePatchNode(node: string, patch: Readonly<Record<string, unknown>>): Promise<RawNode> {
    return this.client.json<RawNode>({
      method: 'PATCH',
      path: nodePath(node),
      body: patch,
      contentType: MERGE_PATCH,
    });
  }

  async getNode(node: string): Promise<unknown | undefined> {
    return this.getOrUndefined(nodePath(node));
  }

  /**
   * A paged LIST like src/pods/pods-on-node.ts, keeping the list's resourceVersion (the drain
   * watches its pods from there). The podSelector is applied here, with the apiserver's
   * selector semantics, so the resourceVersion covers every pod of the node.
   */
  async listPodsOnNode(node: string, labelSelector: string | null): Promise<PodsOnNode> {
    const all: KubePod[] = [];
    let resourceVersion: string | undefined;
    await streamPagedList(
      this.client,
      {
        path: '/api/v1/pods',
        query: { fieldSelector: nodeSelector(node) },
        pageSize: DEFAULT_POD_PAGE_SIZE,
        timeoutMs: this.apiTimeoutMs,
      },
      {
        onMember(key, value) {
          // Every page of one continue chain is read at the first page's resourceVersion.
          if (key === 'metadata' && resourceVersion === undefined)
            resourceVersion = (value as { resourceVersion?: string } | null)?.resourceVersion || undefined;
        },
        onElement(key, value) {
          if (key === 'items') all.push(trimPod(value as KubePod));
        },
      },
    );
    all.sort(byNamespaceAndName);
    if (labelSelector === null) return { pods: all, resourceVersion };
    const selector = parseLabelSelector(labelSelector);
    return { pods: all.filter((pod) => matches(selector, pod.metadata.labels)), resourceVersion };
  }

  /** WATCH /api/v1/pods?fieldSelector=spec.nodeName=NODE; the request's deadline covers its headers. */
  async watchPodsOnNode(
    node: string,
    resourceVersion: string,
    timeoutSeconds: number,
    signal: AbortSignal,
  ): Promise<PodWatch> {
    const res = await this.client.stream({
      path: '/api/v1/pods',
      query: {
        watch: true,
        fieldSelector: nodeSelector(node),
        resourceVersion,
        allowWatchBookmarks: true,
        timeoutSeconds,
      },
      timeoutMs: this.apiTimeoutMs,
      signal,
    });
    return { events: watchEvents(res.body, this.client.cluster), close: res.close };
  }

  async getPod(namespace: string, name: string): Promise<KubePod | undefined> {
    const pod = await this.getOrUndefined<KubePod>(podPath(namespace, name));
    return pod && trimPod(pod);
  }

  /** POST pods/NAME/eviction with a policy/v1 Eviction, as kubectl does on servers that serve it. */
  async evictPod(pod: KubePod, options: PodRemovalOptions): Promise<void> {
    const { namespace = '', name = '' } = pod.metadata;
    await this.client.json({
      method: 'POST',
      path: `${podPath(namespace, name)}/eviction`,
      body: {
        apiVersion: 'policy/v1',
        kind: 'Eviction',
        metadata: { name, namespace },
        deleteOptions: deleteOptions(options),
      },
    });
  }

  async deletePod(pod: KubePod, options: PodRemovalOptions): Promise<void> {
    const { namespace = '', name = '' } = pod.metadata;
    await this.client.json({
      method: 'DELETE',
      path: podPath(namespace, name),
      body: { apiVersion: 'v1', kind: 'DeleteOptions', ...deleteOptions(options) },
    });
  }

  async lookupDaemonSet(namespace: string, name: string): Promise<DaemonSetLookup> {
    const path = `/apis/apps/v1/namespaces/${encodeURIComponent(namespace)}/daemonsets/${encodeURIComponent(name)}`;
    try {
      await this.client.json({ path });
      return { kind: 'found' };
    } catch (err) {
      if (isKubeApiError(err, 'NOT_FOUND')) return { kind: 'not-found', message: err.message };
      if (isKubeApiError(err)) return { kind: 'error', message: err.message };
      throw err;
    }
  }

  private async getOrUndefined<T>(path: string): Promise<T | undefined> {
    try {
      return await this.client.json<T>({ path });
    } catch (err) {
      if (isKubeApiError(err, 'NOT_FOUND')) return undefined;
      throw err;
    }
  }
}

function nodePath(node: string): string {
  return `/api/v1/nodes/${encodeURIComponent(node)}`;
}

function nodeSelector(node: string): string {
  return `spec.nodeName=${escapeFieldValue(node)}`;
}

/** The watch body as events, one JSON object per line; pods are trimmed as the LIST trims them. */
async function* watchEvents(
  body: NodeJS.ReadableStream & { setEncoding(encoding: BufferEncoding): unknown },
  cluster: string,
): AsyncGenerator<PodWatchEvent> {
  body.setEncoding('utf8');
  const lines = new LineSplitter();
  const parse = (line: string): PodWatchEvent => {
    try {
      const event = JSON.parse(line) as PodWatchEvent;
      if (event.type === 'ERROR') return event;
      return { type: event.type, object: trimPod(event.object) };
    } catch (err) {
      throw new KubeApiError('UNAVAILABLE', `bad pod watch line from ${cluster}: ${String(err)}`, 0);
    }
  };
  try {
    for await (const chunk of body) {
      for (const line of lines.push(String(chunk))) yield parse(line);
    }
  } catch (err) {
    if (err instanceof KubeApiError) throw err;
    throw new KubeApiError('UNAVAILABLE', `pod watch on ${cluster} broke: ${String(err)}`, 0);
  }
  for (const line of lines.flush()) yield parse(line);
}

function podPath(namespace: string, name: string): string {
  return `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(name)}`;
}

function deleteOptions(options: PodRemovalOptions): { gracePeriodSeconds?: number } {
  return options.gracePeriodSeconds === null ? {} : { gracePeriodSeconds: options.gracePeriodSeconds };
}
