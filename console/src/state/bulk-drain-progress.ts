import { subscribe } from '../api/client.js';
import type { ConsoleBulkDrainProgressSubscription } from '../gql/graphql.js';
import { CONSOLE_BULK_DRAIN_PROGRESS } from '../operations.js';
import { messageOf } from './live-nodes.js';

type BulkJob = ConsoleBulkDrainProgressSubscription['bulkDrainProgress']['job'];

export interface BulkDrainView {
  id: string;
  state: string;
  counts?: BulkJob['counts'];
  nodes: BulkJob['nodes'];
  lastMessage?: string | null;
  error?: string;
}

/** Follows a bulk drain: each event carries the node list, so the view is always whole. */
export function followBulkDrain(id: string, onChange: (view: BulkDrainView) => void): () => void {
  let view: BulkDrainView = { id, state: 'PENDING', nodes: [] };
  return subscribe(
    CONSOLE_BULK_DRAIN_PROGRESS,
    { id },
    {
      next: (result) => {
        const event = result.data?.bulkDrainProgress;
        view = event
          ? {
              ...view,
              state: event.state,
              counts: event.job.counts,
              nodes: event.job.nodes,
              lastMessage: event.node
                ? `${event.node}: ${event.message ?? event.nodeState ?? event.kind}`
                : event.message,
            }
          : { ...view, error: result.errors?.[0]?.message };
        onChange(view);
      },
      error: (err) => {
        view = { ...view, error: messageOf(err) };
        onChange(view);
      },
      complete: () => onChange(view),
    },
  );
}
