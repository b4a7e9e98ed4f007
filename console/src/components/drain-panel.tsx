import type { DrainView } from '../state/drain-progress.js';

const FINISHED = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED']);

/** A running drain: progress bar, every pod's state (BLOCKED with its reason), cancel. */
export function DrainPanel({
  drain,
  canCancel,
  onCancel,
  onClose,
}: {
  drain: DrainView;
  canCancel: boolean;
  onCancel: () => void;
  onClose: () => void;
}) {
  const counts = drain.counts;
  const done = counts ? counts.deleted + counts.skipped + counts.failed : 0;
  const total = counts?.total ?? 0;
  const finished = FINISHED.has(drain.state);
  return (
    <section class="drain-panel" aria-label={`Drain of ${drain.node}`} data-state={drain.state}>
      <header>
        <h2>
          Drain {drain.node}: <span class="drain-state">{drain.state}</span>
        </h2>
        {!finished && canCancel && (
          <button type="button" onClick={onCancel} class="danger">
            Cancel drain
          </button>
        )}
        {finished && (
          <button type="button" onClick={onClose} aria-label="Close drain progress">
            ×
          </button>
        )}
      </header>
      <progress max={total || 1} value={finished && drain.state === 'SUCCEEDED' ? total || 1 : done}>
        {done} of {total}
      </progress>
      <p class="drain-summary">
        {done} of {total} pods done
        {counts && counts.blocked > 0 ? `, ${counts.blocked} blocked` : ''}
        {counts && counts.evicting > 0 ? `, ${counts.evicting} evicting` : ''}
        {drain.lastMessage ? ` · ${drain.lastMessage}` : ''}
      </p>
      {drain.error && (
        <p class="error" role="alert">
          {drain.error}
        </p>
      )}
      <ul class="drain-pods">
        {drain.pods.map((p) => (
          <li key={`${p.namespace}/${p.name}`} data-status={p.status}>
            <span class="pod-status">{p.status}</span> {p.namespace}/{p.name}
            {p.status === 'BLOCKED' && p.message && <span class="blocked-reason"> {p.message}</span>}
          </li>
        ))}
      </ul>
    </section>
  );
}
