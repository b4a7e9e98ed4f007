import type { JsonListHandlers } from '../clusters/json-list-splitter.js';
import { type PagedListClient, streamPagedList } from '../clusters/paged-list.js';
import { DEFAULT_POD_PAGE_SIZE, NON_TERMINAL_FIELD_SELECTOR, TERMINAL_POD_PHASES } from './kube-pod.js';
import type { PodCountListOptions, PodCountsByNode } from './pod-count-lister.js';
import {
  addInto,
  type PodResourceSpec,
  podRequestsAndLimits,
  type ResourceQuantities,
} from './pod-requests.js';

/** What the non-terminal pods on one node request and are limited to, summed as kubectl does. */
export interface NodeAllocation {
  readonly requests: ResourceQuantities;
  readonly limits: ResourceQuantities;
}

/** Pod counts plus each node's allocated requests and limits, from the same one LIST chain. */
export interface PodAllocationsByNode extends PodCountsByNode {
  /** Node name -> sums; absent = no pods (all zero). */
  readonly allocations: ReadonlyMap<string, NodeAllocation>;
}

/**
 * Counts the non-terminal pods on every node AND sums their requests and limits, with ONE
 * cluster-wide LIST continue chain of full pods (a server-side Table row carries no requests).
 * Each pod is parsed on its own as its bytes arrive and dropped once added: memory holds one pod
 * and the per-node sums, never a page. Pods are added in the order the server lists them, the
 * order `kubectl describe node` adds them, which decides how a sum is printed.
 */
export async function listPodAllocationsByNode(
  client: PagedListClient,
  options: PodCountListOptions,
): Promise<PodAllocationsByNode> {
  const startedAt = Date.now();
  const tally = new PodAllocationTally();
  const { pages } = await streamPagedList(
    client,
    {
      path: '/api/v1/pods',
      query: { fieldSelector: NON_TERMINAL_FIELD_SELECTOR },
      pageSize: options.pageSize ?? DEFAULT_POD_PAGE_SIZE,
      timeoutMs: options.timeoutMs,
      signal: options.signal,
    },
    tally,
  );
  return {
    cluster: client.cluster,
    counts: tally.counts,
    allocations: tally.allocations,
    pods: tally.pods,
    pages,
    format: 'object',
    startedAt,
    durationMs: Date.now() - startedAt,
  };
}

type ListedPod = PodResourceSpec & { spec?: { nodeName?: string }; status?: { phase?: string } };

/** Sums pods into per-node counts and allocations, one PodList item at a time. */
export class PodAllocationTally implements JsonListHandlers {
  readonly counts = new Map<string, number>();
  readonly allocations = new Map<string, NodeAllocation>();
  pods = 0;

  onMember(): void {}

  onElement(key: string, value: unknown): void {
    if (key !== 'items') return;
    const pod = value as ListedPod;
    // The server already filtered terminal pods; this guards servers that ignore the selector.
    if (TERMINAL_POD_PHASES.includes(pod?.status?.phase ?? '')) return;
    this.pods++;
    const node = pod?.spec?.nodeName;
    if (!node) return;
    this.counts.set(node, (this.counts.get(node) ?? 0) + 1);
    const { requests, limits } = podRequestsAndLimits(pod);
    let sums = this.allocations.get(node);
    if (!sums) {
      sums = { requests: new Map(), limits: new Map() };
      this.allocations.set(node, sums);
    }
    addInto(sums.requests, requests);
    addInto(sums.limits, limits);
  }
}
