import { isKubeApiError } from '../clusters/kube-api-error.js';
import type { KubeClient } from '../clusters/kube-client.js';
import { matches, parseLabelSelector } from '../clusters/label-selector.js';
import type { RawNode } from '../informers/kube-node.js';
import type { KubePod } from '../pods/kube-pod.js';
import { listPodsOnNode, trimPod } from '../pods/pods-on-node.js';
import type { DrainClusterApi, NodeGetter, PodRemovalOptions } from './drain-cluster-api.js';
import type { DaemonSetLookup } from './drain-filters.js';

const STRATEGIC_MERGE_PATCH = 'application/strategic-merge-patch+json';
const MERGE_PATCH = 'application/merge-patch+json';

/** The drain's cluster interfaces over the shared KubeClient; every call carries its deadline. */
export class KubeDrainClient implements DrainClusterApi, NodeGetter {
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
   * The shared paged LIST (src/pods/pods-on-node.ts). It takes no label selector, so the
   * podSelector is applied here, with the apiserver's selector semantics.
   */
  async listPodsOnNode(node: string, labelSelector: string | null): Promise<KubePod[]> {
    const pods = await listPodsOnNode(this.client, { node }, { timeoutMs: this.apiTimeoutMs });
    if (labelSelector === null) return pods;
    const selector = parseLabelSelector(labelSelector);
    return pods.filter((pod) => matches(selector, pod.metadata.labels));
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

function podPath(namespace: string, name: string): string {
  return `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(name)}`;
}

function deleteOptions(options: PodRemovalOptions): { gracePeriodSeconds?: number } {
  return options.gracePeriodSeconds === null ? {} : { gracePeriodSeconds: options.gracePeriodSeconds };
}
