import type { BulkDrainView } from '../state/bulk-drain-progress.js';

const FINISHED = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED']);

/** A drain of several nodes: each node's state (QUEUED, DRAINING, DRAINED, FAILED), cancel for all. */
export function BulkDrainPanel({
  bulk,
  canCancel,
  onCancel,
  onClose,
}: {
  bulk: BulkDrainView;
  canCancel: boolean;
  onCancel: () => void;
  onClose: () => void;
}) {
  const counts = bulk.counts;
  const done = counts ? counts.drained + counts.failed + counts.cancelled : 0;
  const finished = FINISHED.has(bulk.state);
  return (
    <section
      class="drain-panel"
      aria-label={`Bulk drain of ${bulk.nodes.length} nodes`}
      data-state={bulk.state}
    >
      <header>
        <h2>
          Bulk drain of {bulk.nodes.length} nodes: <span class="drain-state">{bulk.state}</span>
        </h2>
        {!finished && canCancel && (
          <button type="button" onClick={onCancel} class="danger">
            Cancel bulk drain
          </button>
        )}
        {finished && (
          <button type="button" onClick={onClose} aria-label="Close bulk drain progress">
            ×
          </button>
        )}
      </header>
      <progress max={counts?.total || 1} value={done}>
        {done} of {counts?.total ?? 0}
      </progress>
      <p class="drain-summary">
        {done} of {counts?.total ?? 0} nodes done
        {counts && counts.draining > 0 ? `, ${counts.draining} draining` : ''}
        {bulk.lastMessage ? ` · ${bulk.lastMessage}` : ''}
      </p>
      {bulk.error && (
        <p class="error" role="alert">
          {bulk.error}
        </p>
      )}
      <ul class="bulk-nodes">
        {bulk.nodes.map((n) => (
          <li key={n.name} data-status={n.state} title={n.message ?? undefined}>
            <span class="pod-status">{n.state}</span> {n.name}
          </li>
        ))}
      </ul>
    </section>
  );
}
