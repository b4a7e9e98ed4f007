import type { KubeClient } from '../clusters/kube-client.js';
import { type PagedListClient, streamPagedList } from '../clusters/paged-list.js';
import { escapeFieldValue } from './pods-on-node.js';

/** One core/v1 Event about a node, trimmed to what a client shows. */
export interface NodeEventView {
  readonly namespace: string;
  readonly name: string;
  /** Normal or Warning. */
  readonly type: string;
  readonly reason: string;
  readonly message: string;
  /** Who reported it, e.g. kubelet, node-controller. */
  readonly source: string;
  readonly count: number;
  readonly firstSeen: string | null;
  /** The newest sighting: lastTimestamp, else eventTime, else creation time (kubectl's LAST SEEN). */
  readonly lastSeen: string | null;
}

interface WireEvent {
  metadata?: { namespace?: string; name?: string; creationTimestamp?: string };
  type?: string;
  reason?: string;
  message?: string;
  source?: { component?: string; host?: string };
  reportingComponent?: string;
  count?: number;
  firstTimestamp?: string | null;
  lastTimestamp?: string | null;
  eventTime?: string | null;
  series?: { count?: number; lastObservedTime?: string };
}

/** At most this many events are read for one node, whatever the API holds (bounded memory). */
export const MAX_NODE_EVENTS = 1000;

/**
 * The Events whose involvedObject is this node, in every namespace (kubelet and node controller
 * record them in `default`), straight from the API: a paged LIST with the field selector
 * `kubectl get events --field-selector involvedObject.kind=Node,involvedObject.name=<node>` uses.
 * Sorted newest first (then by name). The caller impersonates the person who asked.
 */
export async function listNodeEvents(
  client: PagedListClient & Partial<Pick<KubeClient, 'json'>>,
  node: string,
  options: { timeoutMs: number; pageSize?: number; signal?: AbortSignal },
): Promise<NodeEventView[]> {
  const events: NodeEventView[] = [];
  await streamPagedList(
    client,
    {
      path: '/api/v1/events',
      query: { fieldSelector: `involvedObject.kind=Node,involvedObject.name=${escapeFieldValue(node)}` },
      pageSize: options.pageSize ?? 500,
      timeoutMs: options.timeoutMs,
      signal: options.signal,
    },
    {
      onMember() {},
      onElement(key, value) {
        if (key === 'items' && events.length < MAX_NODE_EVENTS) events.push(viewOf(value as WireEvent));
      },
    },
  );
  return events.sort(newestFirst);
}

function viewOf(e: WireEvent): NodeEventView {
  const lastSeen =
    e.series?.lastObservedTime ?? e.lastTimestamp ?? e.eventTime ?? e.metadata?.creationTimestamp ?? null;
  return {
    namespace: e.metadata?.namespace ?? '',
    name: e.metadata?.name ?? '',
    type: e.type ?? '',
    reason: e.reason ?? '',
    message: e.message ?? '',
    source: e.source?.component || e.reportingComponent || '',
    count: e.series?.count ?? e.count ?? 1,
    firstSeen: e.firstTimestamp ?? e.eventTime ?? null,
    lastSeen,
  };
}

/** Newest first; equal times by namespace/name so pages are stable. */
export function newestFirst(a: NodeEventView, b: NodeEventView): number {
  const ta = a.lastSeen ? Date.parse(a.lastSeen) : 0;
  const tb = b.lastSeen ? Date.parse(b.lastSeen) : 0;
  if (ta !== tb) return tb - ta;
  const ka = `${a.namespace}/${a.name}`;
  const kb = `${b.namespace}/${b.name}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}
