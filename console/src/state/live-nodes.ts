import { ApiFailure, request, subscribe, subscriptions } from '../api/client.js';
import type { ConsoleNodeLoadFragment, ConsoleNodeRowFragment, NodeFilter } from '../gql/graphql.js';
import { CONSOLE_NODE_CHANGED, CONSOLE_NODES } from '../operations.js';
import type { ViewState } from './url-state.js';

export type NodeRow = ConsoleNodeRowFragment & {
  podCount?: number | null;
  allocated?: ConsoleNodeLoadFragment['allocated'];
  usage?: ConsoleNodeLoadFragment['usage'];
  /** When a live change last touched the row (the table marks it for a few seconds). */
  changedAt?: number;
};

export interface LiveNodesSnapshot {
  rows: readonly NodeRow[];
  totalCount: number;
  loading: boolean;
  error?: string;
  /** The live stream is connected; false while it reconnects. */
  live: boolean;
}

const PAGE_SIZE = 1000;
/** The console shows up to this many nodes (the gateway's max page size times five). */
const MAX_ROWS = 5000;

/**
 * The node table's rows: one paged query, then nodeChanged keeps them current. The stream is
 * opened before the query so nothing is missed; its events are applied only when newer than the
 * row (resourceVersion). After a reconnect it resumes from the last cursor (`since`), and a RESYNC
 * (the gateway could not replay) reloads the list.
 */
export class LiveNodes {
  private readonly rows = new Map<string, NodeRow>();
  private totalCount = 0;
  private loading = true;
  private error: string | undefined;
  private live = false;
  private cursor: string | undefined;
  private unsubscribe: (() => void) | undefined;
  private loadGeneration = 0;
  private stopped = false;
  private stopWatchingSocket: (() => void) | undefined;

  constructor(
    private readonly view: ViewState,
    private readonly onChange: (snapshot: LiveNodesSnapshot) => void,
  ) {}

  start(): void {
    this.openStream();
    void this.load();
    // A dropped socket: the client reconnects; the stream resumes from the newest cursor.
    const socket = subscriptions();
    const offClosed = socket.on('closed', () => {
      if (this.stopped || !this.live) return;
      this.live = false;
      this.emit();
      queueMicrotask(() => !this.stopped && this.openStream());
    });
    const offConnected = socket.on('connected', () => {
      this.live = true;
      this.emit();
    });
    this.stopWatchingSocket = () => {
      offClosed();
      offConnected();
    };
  }

  stop(): void {
    this.stopped = true;
    this.stopWatchingSocket?.();
    this.unsubscribe?.();
  }

  /** Pod counts are not live (they would cost a pod LIST per change): this re-reads them. */
  refresh(): void {
    void this.load();
  }

  private filter(): NodeFilter {
    const { labelSelector, ready, schedulable, role, name } = this.view;
    return { labelSelector, ready, schedulable, role, nameContains: name };
  }

  private async load(): Promise<void> {
    const generation = ++this.loadGeneration;
    this.loading = true;
    this.emit();
    try {
      const fresh = new Map<string, NodeRow>();
      let after: string | undefined;
      let total = 0;
      do {
        const page = await request(CONSOLE_NODES, {
          cluster: this.view.cluster,
          filter: this.filter(),
          orderBy: { field: this.view.sort, direction: this.view.direction },
          first: PAGE_SIZE,
          after,
        });
        const nodes = page.data?.nodes;
        if (!nodes) throw new ApiFailure(page.errors ?? [{ message: 'no answer' }]);
        total = nodes.totalCount;
        for (const node of nodes.nodes) fresh.set(node.name, node);
        after = nodes.pageInfo.hasNextPage ? (nodes.pageInfo.endCursor ?? undefined) : undefined;
      } while (after && fresh.size < MAX_ROWS);
      if (generation !== this.loadGeneration || this.stopped) return;
      // Rows a live event made newer than this page keep the event's state.
      for (const [name, row] of fresh) {
        const current = this.rows.get(name);
        if (current && isNewer(current.resourceVersion, row.resourceVersion))
          fresh.set(name, { ...current, podCount: row.podCount, allocated: row.allocated, usage: row.usage });
      }
      this.rows.clear();
      for (const [name, row] of fresh) this.rows.set(name, row);
      this.totalCount = total;
      this.error = undefined;
    } catch (err) {
      if (generation === this.loadGeneration) this.error = messageOf(err);
    } finally {
      if (generation === this.loadGeneration) {
        this.loading = false;
        this.emit();
      }
    }
  }

  private openStream(): void {
    this.unsubscribe?.();
    this.unsubscribe = subscribe(
      CONSOLE_NODE_CHANGED,
      { cluster: this.view.cluster, labelSelector: this.view.labelSelector, since: this.cursor },
      {
        next: (result) => {
          this.live = true;
          const event = result.data?.nodeChanged;
          if (!event) {
            if (result.errors?.length) this.error = result.errors[0]?.message;
            this.emit();
            return;
          }
          this.cursor = event.cursor;
          this.apply(event);
        },
        error: (err) => {
          if (this.stopped) return;
          this.live = false;
          this.error = `live updates stopped: ${messageOf(err)}`;
          this.emit();
          // The socket's retries reconnect; resubscribe from the last cursor once it does.
          setTimeout(() => !this.stopped && this.openStream(), 1000);
        },
        complete: () => {
          if (this.stopped) return;
          this.live = false;
          this.emit();
          setTimeout(() => !this.stopped && this.openStream(), 1000);
        },
      },
    );
  }

  private apply(event: { type: string; name?: string | null; node?: ConsoleNodeRowFragment | null }): void {
    switch (event.type) {
      case 'RESYNC':
        void this.load();
        return;
      case 'CLUSTER_REMOVED':
        this.rows.clear();
        this.totalCount = 0;
        break;
      case 'DELETED':
        if (event.name && this.rows.delete(event.name)) this.totalCount = Math.max(0, this.totalCount - 1);
        break;
      default: {
        const node = event.node;
        if (!node) break;
        const current = this.rows.get(node.name);
        if (current && !isNewer(node.resourceVersion, current.resourceVersion)) break;
        if (!this.matches(node)) {
          if (this.rows.delete(node.name)) this.totalCount = Math.max(0, this.totalCount - 1);
          break;
        }
        if (!current) this.totalCount += 1;
        // Counts, requests and usage are not live (each would cost a LIST per change): kept.
        this.rows.set(node.name, {
          ...node,
          podCount: current?.podCount,
          allocated: current?.allocated,
          usage: current?.usage,
          changedAt: Date.now(),
        });
      }
    }
    this.emit();
  }

  /** The filters the stream cannot apply (it filters by label selector only). */
  private matches(node: ConsoleNodeRowFragment): boolean {
    const { ready, schedulable, role, name } = this.view;
    if (ready !== undefined && node.ready !== ready) return false;
    if (schedulable !== undefined && node.schedulable !== schedulable) return false;
    if (role && !node.roles.includes(role)) return false;
    if (name && !node.name.includes(name)) return false;
    return true;
  }

  private emit(): void {
    if (this.stopped) return;
    const rows = [...this.rows.values()].sort(comparator(this.view));
    this.onChange({
      rows,
      totalCount: this.totalCount,
      loading: this.loading,
      error: this.error,
      live: this.live,
    });
  }
}

/** The value a computed order sorts by; nodes without one go last either way, as the gateway sorts them. */
const COMPUTED: Partial<Record<ViewState['sort'], (row: NodeRow) => number | null | undefined>> = {
  POD_COUNT: (r) => r.podCount,
  CPU_REQUESTS_FRACTION: (r) => r.allocated?.requests.cpu.fraction,
  MEMORY_REQUESTS_FRACTION: (r) => r.allocated?.requests.memory.fraction,
  CPU_USAGE_FRACTION: (r) => r.usage?.cpu.fraction,
  MEMORY_USAGE_FRACTION: (r) => r.usage?.memory.fraction,
};

function comparator(view: ViewState): (a: NodeRow, b: NodeRow) => number {
  const sign = view.direction === 'DESC' ? -1 : 1;
  const sortValue = COMPUTED[view.sort];
  if (sortValue)
    return (a, b) => {
      const x = sortValue(a);
      const y = sortValue(b);
      if (x == null || y == null)
        return x == null && y == null ? a.name.localeCompare(b.name) : x == null ? 1 : -1;
      return sign * (x - y || a.name.localeCompare(b.name));
    };
  if (view.sort === 'CREATED_AT')
    return (a, b) =>
      sign * ((a.createdAt ?? '').localeCompare(b.createdAt ?? '') || a.name.localeCompare(b.name));
  return (a, b) => sign * a.name.localeCompare(b.name);
}

/** resourceVersions are opaque, but an API server's are integers in practice: compare them so. */
function isNewer(candidate: string, than: string): boolean {
  if (/^\d+$/.test(candidate) && /^\d+$/.test(than)) return BigInt(candidate) > BigInt(than);
  return candidate !== than;
}

export function messageOf(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (err && typeof err === 'object' && 'reason' in err) return String((err as { reason: unknown }).reason);
  return String(err);
}
