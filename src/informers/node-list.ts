import { isKubeApiError } from '../clusters/kube-api-error.js';
import type { KubeClient } from '../clusters/kube-client.js';
import type { RawNode, RawNodeList } from './kube-node.js';
import { type CachedNode, projectNode } from './node-projection.js';

export const NODES_PATH = '/api/v1/nodes';

/** What listing nodes needs from a cluster client. */
export type NodeLister = Pick<KubeClient, 'cluster' | 'json'>;

export interface NodeListResult {
  readonly nodes: CachedNode[];
  /** The list's resourceVersion: where a watch continues from. */
  readonly resourceVersion: string;
}

export interface ListNodesOptions {
  /** Items per page (`limit`); 0 = one unpaged LIST. @default 500 */
  pageSize?: number;
  /** Deadline of each page request; default the client's API timeout. */
  timeoutMs?: number;
  labelSelector?: string;
  signal?: AbortSignal;
}

/**
 * LISTs every node, page by page (limit/continue), projecting each page as it arrives so a
 * 5000-node cluster never holds more than one page of full node JSON. When a continue token
 * expires mid-way (410), the list restarts once without paging, as client-go's pager does.
 */
export async function listNodes(client: NodeLister, options: ListNodesOptions = {}): Promise<NodeListResult> {
  const pageSize = options.pageSize ?? 500;
  try {
    return await listPages(client, pageSize, options);
  } catch (err) {
    if (pageSize > 0 && isKubeApiError(err, 'GONE')) return listPages(client, 0, options);
    throw err;
  }
}

async function listPages(
  client: NodeLister,
  pageSize: number,
  options: ListNodesOptions,
): Promise<NodeListResult> {
  const nodes: CachedNode[] = [];
  let token: string | undefined;
  let resourceVersion = '';
  do {
    const page = await client.json<RawNodeList>({
      path: NODES_PATH,
      query: {
        limit: pageSize > 0 ? pageSize : undefined,
        continue: token,
        labelSelector: options.labelSelector || undefined,
      },
      timeoutMs: options.timeoutMs,
      signal: options.signal,
    });
    for (const item of page.items ?? []) nodes.push(projectNode(item, client.cluster));
    resourceVersion = page.metadata?.resourceVersion ?? resourceVersion;
    token = page.metadata?.continue || undefined;
  } while (token);
  return { nodes, resourceVersion };
}

/** GETs one node; undefined when it does not exist. */
export async function getNode(
  client: NodeLister,
  name: string,
  options: { timeoutMs?: number } = {},
): Promise<CachedNode | undefined> {
  try {
    const raw = await client.json<RawNode>({
      path: `${NODES_PATH}/${encodeURIComponent(name)}`,
      timeoutMs: options.timeoutMs,
    });
    return projectNode(raw, client.cluster);
  } catch (err) {
    if (isKubeApiError(err, 'NOT_FOUND')) return undefined;
    throw err;
  }
}
