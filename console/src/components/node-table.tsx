import { elementScroll, observeElementOffset, observeElementRect, Virtualizer } from '@tanstack/virtual-core';
import { useLayoutEffect, useMemo, useReducer, useRef } from 'preact/hooks';
import { age } from '../format.js';
import type { NodeRow } from '../state/live-nodes.js';
import type { ClusterAccess } from '../state/session.js';

const ROW_HEIGHT = 36;
/** A live change marks its row this long. */
const CHANGED_MS = 4000;

export interface NodeActions {
  open(name: string): void;
  select(name: string, selected: boolean): void;
  cordon(row: NodeRow): void;
  uncordon(row: NodeRow): void;
  drain(row: NodeRow): void;
}

/**
 * The node table, virtualized: only the rows in view (plus a few) are in the DOM, so 5000 nodes
 * cost what 30 do. An ARIA table of divs (biome.json lets this file): absolutely positioned rows
 * cannot be <tr>s, and the roles still let screen readers announce rows and columns.
 */
export function NodeTable({
  rows,
  access,
  selected,
  actions,
}: {
  rows: readonly NodeRow[];
  access: ClusterAccess | undefined;
  /** Nodes picked for a bulk drain. */
  selected: ReadonlySet<string>;
  actions: NodeActions;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  const virtualizer = useMemo(
    () =>
      new Virtualizer<HTMLDivElement, HTMLDivElement>({
        count: rows.length,
        getScrollElement: () => scrollRef.current,
        estimateSize: () => ROW_HEIGHT,
        overscan: 12,
        observeElementRect,
        observeElementOffset,
        scrollToFn: elementScroll,
        onChange: () => rerender(0),
      }),
    [],
  );
  virtualizer.setOptions({ ...virtualizer.options, count: rows.length });
  useLayoutEffect(() => virtualizer._didMount(), []);
  useLayoutEffect(() => virtualizer._willUpdate());
  const now = Date.now();
  const items = virtualizer.getVirtualItems();
  return (
    <div class="table" role="table" aria-label="Nodes" aria-rowcount={rows.length + 1}>
      <div class="row header" role="row" aria-rowindex={1}>
        <span role="columnheader">
          <span class="visually-hidden">Select</span>
        </span>
        <span role="columnheader">Name</span>
        <span role="columnheader">Status</span>
        <span role="columnheader">Roles</span>
        <span role="columnheader">Taints</span>
        <span role="columnheader" class="num">
          Pods
        </span>
        <span role="columnheader">CPU req / used</span>
        <span role="columnheader">Memory req / used</span>
        <span role="columnheader" class="num">
          Age
        </span>
        <span role="columnheader">Actions</span>
      </div>
      <div class="body" ref={scrollRef}>
        <div style={{ height: `${virtualizer.getTotalSize()}px`, position: 'relative' }} role="rowgroup">
          {items.map((item) => {
            const row = rows[item.index];
            if (!row) return null;
            const changed = row.changedAt !== undefined && now - row.changedAt < CHANGED_MS;
            return (
              <div
                key={`${row.name}:${row.changedAt ?? 0}`}
                class={`row${changed ? ' changed' : ''}`}
                role="row"
                aria-rowindex={item.index + 2}
                data-node={row.name}
                style={{ transform: `translateY(${item.start}px)`, height: `${ROW_HEIGHT}px` }}
              >
                <span role="cell">
                  {access?.canDrain && (
                    <input
                      type="checkbox"
                      checked={selected.has(row.name)}
                      onChange={(e) => actions.select(row.name, e.currentTarget.checked)}
                      aria-label={`Select ${row.name}`}
                    />
                  )}
                </span>
                <span role="cell">
                  <button type="button" class="link" onClick={() => actions.open(row.name)}>
                    {row.name}
                  </button>
                </span>
                <span role="cell" class="status" data-status={row.status}>
                  {row.status}
                </span>
                <span role="cell">{row.roles.join(',') || '<none>'}</span>
                <span
                  role="cell"
                  title={row.taints.map((t) => `${t.key}=${t.value ?? ''}:${t.effect}`).join('\n')}
                >
                  {row.taints.length === 0 ? '' : row.taints.map((t) => t.key).join(', ')}
                </span>
                <span role="cell" class="num">
                  {row.podCount ?? '–'}
                </span>
                <span role="cell" class="bars">
                  <Bar label={`${row.name} CPU requested`} amount={row.allocated?.requests.cpu} />
                  <Bar label={`${row.name} CPU used`} amount={row.usage?.cpu} />
                </span>
                <span role="cell" class="bars">
                  <Bar label={`${row.name} memory requested`} amount={row.allocated?.requests.memory} />
                  <Bar label={`${row.name} memory used`} amount={row.usage?.memory} />
                </span>
                <span role="cell" class="num">
                  {age(row.createdAt, now)}
                </span>
                <span role="cell" class="actions">
                  {access?.canCordon &&
                    (row.schedulable ? (
                      <button
                        type="button"
                        onClick={() => actions.cordon(row)}
                        aria-label={`Cordon ${row.name}`}
                      >
                        Cordon
                      </button>
                    ) : (
                      <button
                        type="button"
                        onClick={() => actions.uncordon(row)}
                        aria-label={`Uncordon ${row.name}`}
                      >
                        Uncordon
                      </button>
                    ))}
                  {access?.canDrain && (
                    <button type="button" onClick={() => actions.drain(row)} aria-label={`Drain ${row.name}`}>
                      Drain
                    </button>
                  )}
                </span>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}

/** A fraction of allocatable as a meter; absent (no pod LIST or metrics API) shows nothing. */
function Bar({
  label,
  amount,
}: {
  label: string;
  amount: { fraction?: number | null; quantity: string } | undefined | null;
}) {
  if (amount?.fraction == null) return <span class="bar-empty" />;
  const percent = Math.round(amount.fraction * 100);
  return (
    <meter
      min={0}
      max={1}
      low={0.7}
      high={0.9}
      optimum={0.3}
      value={amount.fraction}
      aria-label={label}
      title={`${label}: ${amount.quantity} (${percent}%)`}
    >
      {percent}%
    </meter>
  );
}
