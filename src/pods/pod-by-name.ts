import { impersonating } from '../clusters/impersonating-client.js';
import type { Impersonation } from '../clusters/impersonation.js';
import { isKubeApiError } from '../clusters/kube-api-error.js';
import type { KubeClient } from '../clusters/kube-client.js';
import type { KubePod } from './kube-pod.js';
import { trimPod } from './pods-on-node.js';

/**
 * One pod by namespace and name (GET, never cached), trimmed as a node's pod list trims them;
 * undefined when it does not exist. Acting as `as`, so the cluster's RBAC decides whether this
 * person may see it (Query.node of a Pod id). Rejects with KubeApiError otherwise.
 */
export async function getPodByName(
  client: Pick<KubeClient, 'cluster' | 'json'>,
  pod: { readonly namespace: string; readonly name: string },
  options: { readonly timeoutMs: number; readonly as?: Impersonation },
): Promise<KubePod | undefined> {
  const path = `/api/v1/namespaces/${encodeURIComponent(pod.namespace)}/pods/${encodeURIComponent(pod.name)}`;
  try {
    const raw = await impersonating(client, options.as).json<KubePod>({ path, timeoutMs: options.timeoutMs });
    return trimPod(raw);
  } catch (err) {
    if (isKubeApiError(err, 'NOT_FOUND')) return undefined;
    throw err;
  }
}
