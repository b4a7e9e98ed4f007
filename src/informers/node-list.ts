import { isKubeApiError } from '../clusters/kube-api-error.js';
import type { KubeClient } from '../clusters/kube-client.js';
import { type KubeListMeta, streamPagedList } from '../clusters/paged-list.js';
import type { RawNode } from './kube-node.js';
import { type CachedNode, projectNode } from './node-projection.js';

export const NODES_PATH = '/api/v1/nodes';

/** How often (in nodes) a LIST reports its progress. */
const PROGRESS_EVERY = 100;

/** What listing nodes needs from a cluster client. */
export type NodeLister = Pick<KubeClient, 'cluster' | 'json' | 'stream' | 'apiTimeoutMs'>;

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
  /** Called with the count of nodes received so far, at each page, every 100 nodes and at the end. */
  onProgress?(nodesSoFar: number): void;
}

/**
 * LISTs every node, page by page (limit/continue), projecting each node as it is parsed from
 * the stream, so a 5000-node cluster never holds more than one full node's JSON at a time. When a continue token
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
  let resourceVersion = '';
  await streamPagedList(
    client,
    {
      path: NODES_PATH,
      query: { labelSelector: options.labelSelector || undefined },
      pageSize,
      timeoutMs: options.timeoutMs ?? client.apiTimeoutMs,
      signal: options.signal,
    },
    {
      onMember(key, value) {
        if (key !== 'metadata') return;
        resourceVersion = (value as KubeListMeta | null)?.resourceVersion ?? resourceVersion;
        // Each page starts with its metadata: the nodes of the pages before it are in.
        options.onProgress?.(nodes.length);
      },
      onElement: (_key, item) => {
        nodes.push(projectNode(item as RawNode, client.cluster));
        if (options.onProgress && nodes.length % PROGRESS_EVERY === 0) options.onProgress(nodes.length);
      },
    },
  );
  options.onProgress?.(nodes.length);
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
