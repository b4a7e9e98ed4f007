import { queueClosingIterator } from '../events/queue-closing-iterator.js';
import { SubscriberQueue } from '../events/subscriber-queue.js';
import {
  type BulkDrainEvent,
  type BulkDrainJob,
  isTerminalBulkEvent,
  isTerminalBulkState,
} from './bulk-drain-job.js';
import type { BulkDrainStore } from './bulk-drain-store.js';
import { DrainRequestError } from './drain-errors.js';

/** A bulk event as a subscriber receives it; the first one carries the whole bulk job. */
export interface DeliveredBulkDrainEvent extends BulkDrainEvent {
  readonly snapshot: BulkDrainJob | null;
}

/**
 * A bulk drain's progress, as drainProgressStream does it for one job: a BULK_SNAPSHOT first,
 * then every later event in order (gaps filled from the log), ending after the terminal event;
 * a finished job's stream is its snapshot and its terminal event.
 */
export function bulkDrainProgressStream(
  store: BulkDrainStore,
  id: string,
  queueLimit: number,
): AsyncIterableIterator<DeliveredBulkDrainEvent> {
  const queue = new SubscriberQueue<BulkDrainEvent>({ limit: queueLimit });
  return queueClosingIterator(queue, streamEvents(store, id, queue));
}

async function* streamEvents(
  store: BulkDrainStore,
  id: string,
  queue: SubscriberQueue<BulkDrainEvent>,
): AsyncGenerator<DeliveredBulkDrainEvent, void, undefined> {
  const unsubscribe = await store.subscribeEvents(id, {
    event: (event) => queue.push(event),
    error: (err) => queue.fail(err),
  });
  try {
    const current = await store.get(id);
    if (!current) throw new DrainRequestError('NOT_FOUND', `no bulk drain with id ${id}`);
    if (isTerminalBulkState(current.job.state)) {
      const [last] = await store.readEvents(id, current.lastSequence - 1, 1);
      yield snapshotEvent(current.job, current.lastSequence - 1);
      if (last && isTerminalBulkEvent(last.kind)) yield { ...last, snapshot: null };
      return;
    }
    yield snapshotEvent(current.job, current.lastSequence);
    let last = current.lastSequence;
    for await (const event of queue) {
      if (event.sequence <= last) continue;
      const missed =
        event.sequence > last + 1 ? await store.readEvents(id, last, event.sequence - last - 1) : [];
      for (const e of [...missed, event]) {
        if (e.sequence <= last) continue;
        last = e.sequence;
        yield { ...e, snapshot: null };
        if (isTerminalBulkEvent(e.kind)) return;
      }
    }
  } finally {
    await queue.return();
    await unsubscribe();
  }
}

function snapshotEvent(job: BulkDrainJob, sequence: number): DeliveredBulkDrainEvent {
  return {
    kind: 'BULK_SNAPSHOT',
    bulkId: job.id,
    sequence,
    at: new Date().toISOString(),
    node: null,
    nodeState: null,
    drainEvent: null,
    message: null,
    state: job.state,
    snapshot: job,
  };
}
