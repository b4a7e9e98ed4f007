/**
 * Open watch streams. Each watch is a chunked HTTP response carrying one JSON event per line. Events come
 * from the store in resourceVersion order; a watch with selectors sees ADDED/DELETED when an object starts
 * or stops matching (as the apiserver's cacher does). Resuming replays the resource's history window; a
 * resourceVersion older than it gets an ERROR event with a 410 Status and the stream ends.
 */
import type { ServerResponse } from 'node:http';
import { filterMatches, type ObjectFilter, selectObjects } from './object-filter.js';
import type { ServedResource } from './resources.js';
import { errors, type Status } from './status.js';
import { type Store, type StoredObject, type StoreEvent, withTypeMeta } from './store.js';
import { type IncludeObject, renderTable } from './table.js';

export interface WatchRequest {
  filter: ObjectFilter;
  resourceVersion: string | undefined;
  sendInitialEvents: boolean | undefined;
  allowBookmarks: boolean;
  timeoutSeconds: number;
  table: { include: IncludeObject } | undefined;
}

export interface WatchHubOptions {
  bookmarkIntervalMs: number;
  /** A watcher whose unsent output exceeds this is disconnected, as the apiserver drops slow watchers. */
  maxBufferedBytes: number;
}

interface Watcher {
  req: WatchRequest;
  res: ServerResponse;
  timers: NodeJS.Timeout[];
  closed: boolean;
}

type WireType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** How an event looks through a watch's filter (undefined: not visible). */
function project(f: ObjectFilter, e: StoreEvent): WireType | undefined {
  const now = filterMatches(f, e.object);
  const before = e.prev ? filterMatches(f, e.prev) : false;
  switch (e.type) {
    case 'ADDED':
      return now ? 'ADDED' : undefined;
    case 'DELETED':
      return now || before ? 'DELETED' : undefined;
    case 'MODIFIED':
      if (now && before) return 'MODIFIED';
      if (now) return 'ADDED';
      return before ? 'DELETED' : undefined;
  }
}

export class WatchHub {
  private readonly watchers = new Map<ServedResource, Set<Watcher>>();
  private readonly rendered = new WeakMap<StoredObject, string>();
  private stalledFlag = false;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly store: Store,
    private readonly opts: WatchHubOptions,
  ) {
    this.unsubscribe = store.subscribe((e) => this.dispatch(e));
  }

  get stalled(): boolean {
    return this.stalledFlag;
  }

  set stalled(value: boolean) {
    this.stalledFlag = value;
  }

  count(resource?: ServedResource): number {
    if (resource) return this.watchers.get(resource)?.size ?? 0;
    let n = 0;
    for (const set of this.watchers.values()) n += set.size;
    return n;
  }

  /** Starts streaming; headers are sent before this returns. */
  start(req: WatchRequest, res: ServerResponse): void {
    const type = req.filter.type;
    const w: Watcher = { req, res, timers: [], closed: false };
    res.writeHead(200, {
      'Content-Type': 'application/json',
      'Cache-Control': 'no-cache, private',
      'X-Content-Type-Options': 'nosniff',
    });
    res.flushHeaders();
    res.on('close', () => this.close(w));

    const rv = req.resourceVersion;
    const initial = req.sendInitialEvents ?? (rv === undefined || rv === '' || rv === '0');
    if (initial) {
      for (const o of selectObjects(this.store, req.filter)) this.write(w, 'ADDED', o);
      if (req.sendInitialEvents) this.bookmark(w, true);
    } else {
      const from = Number(rv);
      const events = this.store.history(type.resource).since(from);
      if (!events) {
        const floor = this.store.history(type.resource).floor;
        this.error(w, errors.gone(`too old resource version: ${from} (${floor})`).status);
        return;
      }
      for (const e of events) {
        const t = project(req.filter, e);
        if (t) this.write(w, t, e.object);
      }
    }
    if (w.closed) return;

    let set = this.watchers.get(type.resource);
    if (!set) {
      set = new Set();
      this.watchers.set(type.resource, set);
    }
    set.add(w);
    if (req.timeoutSeconds > 0) w.timers.push(setTimeout(() => this.end(w), req.timeoutSeconds * 1000));
    if (req.allowBookmarks && this.opts.bookmarkIntervalMs > 0) {
      const t = setInterval(() => this.bookmark(w, false), this.opts.bookmarkIntervalMs);
      w.timers.push(t);
    }
  }

  private dispatch(e: StoreEvent): void {
    const set = this.watchers.get(e.object.type.resource);
    if (!set || set.size === 0 || this.stalledFlag) return;
    for (const w of set) {
      const t = project(w.req.filter, e);
      if (t) this.write(w, t, e.object);
    }
  }

  private write(w: Watcher, type: WireType, o: StoredObject): void {
    if (w.closed) return;
    let object: string;
    if (w.req.table) {
      object = renderTable(o.type.resource, [o], { resourceVersion: String(o.rv) }, w.req.table.include);
    } else {
      object = this.rendered.get(o) ?? withTypeMeta(o);
      this.rendered.set(o, object);
    }
    this.send(w, `{"type":"${type}","object":${object}}\n`);
  }

  private bookmark(w: Watcher, initialEventsEnd: boolean): void {
    if (w.closed || (this.stalledFlag && !initialEventsEnd)) return;
    const t = w.req.filter.type;
    const apiVersion = t.group ? `${t.group}/${t.version}` : t.version;
    const metadata: Record<string, unknown> = {
      resourceVersion: String(this.store.resourceVersion),
      creationTimestamp: null,
    };
    if (initialEventsEnd) metadata.annotations = { 'k8s.io/initial-events-end': 'true' };
    this.send(w, `${JSON.stringify({ type: 'BOOKMARK', object: { kind: t.kind, apiVersion, metadata } })}\n`);
  }

  private error(w: Watcher, status: Status): void {
    this.send(w, `${JSON.stringify({ type: 'ERROR', object: status })}\n`);
    this.end(w);
  }

  private send(w: Watcher, line: string): void {
    if (w.closed) return;
    if (w.res.writableLength > this.opts.maxBufferedBytes) {
      // The client is not reading: drop it rather than buffer without bound.
      w.res.destroy();
      this.close(w);
      return;
    }
    w.res.write(line);
  }

  private end(w: Watcher): void {
    if (w.closed) return;
    this.close(w);
    w.res.end();
  }

  private close(w: Watcher): void {
    if (w.closed) return;
    w.closed = true;
    for (const t of w.timers) clearTimeout(t);
    this.watchers.get(w.req.filter.type.resource)?.delete(w);
  }

  /** Ends every open watch (clients see a normal end of stream and re-watch). */
  dropAll(): void {
    for (const set of this.watchers.values()) for (const w of [...set]) this.end(w);
  }

  stop(): void {
    this.dropAll();
    this.unsubscribe();
  }
}
