import { useCallback, useEffect, useState } from 'preact/hooks';
import { request, resetSubscriptions } from './api/client.js';
import { storedToken, storeToken } from './api/token.js';
import { BulkDrainPanel } from './components/bulk-drain-panel.js';
import { ClusterSwitcher } from './components/cluster-switcher.js';
import { CordonDialog } from './components/cordon-dialog.js';
import { DrainDialog } from './components/drain-dialog.js';
import { DrainPanel } from './components/drain-panel.js';
import { FilterBar } from './components/filter-bar.js';
import { NodeDrawer } from './components/node-drawer.js';
import { type NodeActions, NodeTable } from './components/node-table.js';
import { SignIn } from './components/sign-in.js';
import type { DrainOptions } from './gql/graphql.js';
import {
  CONSOLE_BULK_DRAIN,
  CONSOLE_CANCEL_BULK_DRAIN,
  CONSOLE_CANCEL_DRAIN,
  CONSOLE_CORDON,
  CONSOLE_DRAIN,
  CONSOLE_UNCORDON,
} from './operations.js';
import { type BulkDrainView, followBulkDrain } from './state/bulk-drain-progress.js';
import { type DrainView, followDrain } from './state/drain-progress.js';
import { LiveNodes, type LiveNodesSnapshot, type NodeRow } from './state/live-nodes.js';
import { loadSession, type SessionState } from './state/session.js';
import { readViewState, type ViewState, writeViewState } from './state/url-state.js';

export function App() {
  const [session, setSession] = useState<SessionState>({ kind: 'loading' });
  const reloadSession = useCallback(() => {
    setSession({ kind: 'loading' });
    void loadSession().then(setSession);
  }, []);
  useEffect(reloadSession, []);

  if (session.kind === 'loading') return <p class="loading">Loading…</p>;
  if (session.kind === 'signed-out')
    return (
      <SignIn
        message={storedToken() ? session.message : undefined}
        onToken={(token) => {
          storeToken(token);
          resetSubscriptions();
          reloadSession();
        }}
      />
    );
  if (session.kind === 'failed')
    return (
      <p class="error" role="alert">
        The gateway did not answer: {session.message}
      </p>
    );
  return (
    <Console
      session={session.session}
      onSignOut={
        storedToken()
          ? () => {
              storeToken(undefined);
              resetSubscriptions();
              reloadSession();
            }
          : undefined
      }
    />
  );
}

function Console({
  session,
  onSignOut,
}: {
  session: Extract<SessionState, { kind: 'ready' }>['session'];
  onSignOut: (() => void) | undefined;
}) {
  const defaultCluster = session.clusters.find((c) => c.isDefault)?.name ?? session.clusters[0]?.name ?? '';
  const [view, setViewState] = useState<ViewState>(() => readViewState());
  const cluster = view.cluster ?? defaultCluster;
  const setView = (next: ViewState) => {
    writeViewState(next);
    setViewState(next);
  };
  const [nodes, setNodes] = useState<LiveNodesSnapshot>({
    rows: [],
    totalCount: 0,
    loading: true,
    live: false,
  });
  const [live, setLive] = useState<LiveNodes>();
  useEffect(() => {
    const feed = new LiveNodes({ ...view, cluster }, setNodes);
    feed.start();
    setLive(feed);
    return () => feed.stop();
  }, [
    cluster,
    view.labelSelector,
    view.ready,
    view.schedulable,
    view.role,
    view.name,
    view.sort,
    view.direction,
  ]);

  const access = session.viewer.clusters.find((c) => c.cluster === cluster);
  const [notice, setNotice] = useState<string>();
  /** The nodes the drain dialog is open for: one, or the bulk selection. */
  const [drainTarget, setDrainTarget] = useState<readonly string[]>();
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [bulks, setBulks] = useState<ReadonlyMap<string, BulkDrainView>>(new Map());
  const [cordonTarget, setCordonTarget] = useState<string>();
  const [drains, setDrains] = useState<ReadonlyMap<string, DrainView>>(new Map());
  const [stops] = useState(() => new Map<string, () => void>());
  useEffect(
    () => () => {
      for (const stop of stops.values()) stop();
    },
    [],
  );

  const report = (what: string, errors: { message: string; code?: string }[] | undefined) => {
    if (errors?.length) setNotice(`${what}: ${errors[0]?.message} (${errors[0]?.code ?? 'error'})`);
  };
  const actions: NodeActions = {
    open: (name) => setView({ ...view, node: name }),
    select: (name, on) =>
      setSelected((all) => {
        const next = new Set(all);
        if (on) next.add(name);
        else next.delete(name);
        return next;
      }),
    cordon: (row: NodeRow) => setCordonTarget(row.name),
    uncordon: (row: NodeRow) =>
      void request(CONSOLE_UNCORDON, { cluster, name: row.name }).then((r) =>
        report(`Uncordon ${row.name}`, r.errors),
      ),
    drain: (row: NodeRow) => setDrainTarget([row.name]),
  };
  const startBulkDrain = async (names: readonly string[], options: DrainOptions, maxConcurrent: number) => {
    setDrainTarget(undefined);
    const result = await request(CONSOLE_BULK_DRAIN, { cluster, names: [...names], options, maxConcurrent });
    const bulk = result.data?.drainNodes;
    if (!bulk) return report(`Drain ${names.length} nodes`, result.errors);
    setSelected(new Set());
    stops.set(
      bulk.id,
      followBulkDrain(bulk.id, (b) => setBulks((all) => new Map(all).set(b.id, b))),
    );
  };
  const startDrain = async (node: string, options: DrainOptions) => {
    setDrainTarget(undefined);
    const result = await request(CONSOLE_DRAIN, { cluster, name: node, options });
    const job = result.data?.drainNode;
    if (!job) return report(`Drain ${node}`, result.errors);
    stops.get(job.id)?.();
    stops.set(
      job.id,
      followDrain(job.id, job.node, (d) => setDrains((all) => new Map(all).set(d.id, d))),
    );
  };
  const openRow = view.node ? nodes.rows.find((r) => r.name === view.node) : undefined;

  return (
    <div class="console">
      <header class="top">
        <h1>Nodes</h1>
        <ClusterSwitcher
          clusters={session.clusters}
          selected={cluster}
          onSelect={(name) => setView({ ...view, cluster: name, node: undefined })}
        />
        <span class="count" aria-live="polite">
          {nodes.loading ? 'loading…' : `${nodes.totalCount} ${nodes.totalCount === 1 ? 'node' : 'nodes'}`}
          {nodes.live ? ' · live' : ' · reconnecting'}
        </span>
        <button type="button" onClick={() => live?.refresh()}>
          Refresh counts
        </button>
        {access?.canDrain && selected.size > 0 && (
          <button type="button" class="primary" onClick={() => setDrainTarget([...selected].sort())}>
            Drain selected ({selected.size})
          </button>
        )}
        <span class="viewer">
          {session.viewer.username}
          {onSignOut && (
            <button type="button" onClick={onSignOut}>
              Sign out
            </button>
          )}
        </span>
      </header>
      <FilterBar view={view} onChange={setView} />
      {nodes.error && (
        <p class="error" role="alert">
          {nodes.error}
        </p>
      )}
      {notice && (
        <p class="notice" role="status">
          {notice}{' '}
          <button type="button" onClick={() => setNotice(undefined)} aria-label="Dismiss">
            ×
          </button>
        </p>
      )}
      <main>
        <NodeTable rows={nodes.rows} access={access} selected={selected} actions={actions} />
        {view.node && (
          <NodeDrawer
            cluster={cluster}
            name={view.node}
            version={openRow?.resourceVersion}
            onClose={() => setView({ ...view, node: undefined })}
          />
        )}
      </main>
      <div class="drains">
        {[...bulks.values()].map((b) => (
          <BulkDrainPanel
            key={b.id}
            bulk={b}
            canCancel={Boolean(access?.canDrain)}
            onCancel={() =>
              void request(CONSOLE_CANCEL_BULK_DRAIN, { id: b.id }).then((r) =>
                report('Cancel bulk drain', r.errors),
              )
            }
            onClose={() => {
              stops.get(b.id)?.();
              stops.delete(b.id);
              setBulks((all) => {
                const next = new Map(all);
                next.delete(b.id);
                return next;
              });
            }}
          />
        ))}
        {[...drains.values()].map((d) => (
          <DrainPanel
            key={d.id}
            drain={d}
            canCancel={Boolean(access?.canDrain)}
            onCancel={() =>
              void request(CONSOLE_CANCEL_DRAIN, { id: d.id }).then((r) =>
                report(`Cancel ${d.node}`, r.errors),
              )
            }
            onClose={() => {
              stops.get(d.id)?.();
              stops.delete(d.id);
              setDrains((all) => {
                const next = new Map(all);
                next.delete(d.id);
                return next;
              });
            }}
          />
        ))}
      </div>
      {cordonTarget && (
        <CordonDialog
          node={cordonTarget}
          onCordon={(reason) => {
            setCordonTarget(undefined);
            void request(CONSOLE_CORDON, { cluster, name: cordonTarget, reason }).then((r) =>
              report(`Cordon ${cordonTarget}`, r.errors),
            );
          }}
          onCancel={() => setCordonTarget(undefined)}
        />
      )}
      {drainTarget && (
        <DrainDialog
          nodes={drainTarget}
          onStart={(options, maxConcurrent) =>
            void (drainTarget.length === 1
              ? startDrain(drainTarget[0]!, options)
              : startBulkDrain(drainTarget, options, maxConcurrent))
          }
          onCancel={() => setDrainTarget(undefined)}
        />
      )}
    </div>
  );
}
