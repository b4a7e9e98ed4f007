import { queueClosingIterator } from '../events/queue-closing-iterator.js';
import { SubscriberQueue } from '../events/subscriber-queue.js';
import { DrainRequestError } from './drain-errors.js';
import { type DrainEventKind, type DrainProgressEvent, isTerminalEvent } from './drain-event.js';
import { type DrainJob, isTerminalState } from './drain-job.js';
import type { DrainJobStore } from './drain-job-store.js';

/** An event as a subscriber receives it; the first one carries the whole job. */
export interface DeliveredDrainEvent extends DrainProgressEvent {
  /** The job as it was when the stream began (JOB_SNAPSHOT only). */
  readonly snapshot: DrainJob | null;
}

export interface DrainProgressOptions {
  /** Events buffered for a slow reader before its stream is closed. */
  readonly queueLimit: number;
  /** Most events fetched from the log at once to fill a gap in the live stream. */
  readonly gapFillLimit?: number;
}

/**
 * A job's progress: first a JOB_SNAPSHOT of the job as it is now (whoever subscribes, whenever),
 * then every later event in sequence order, ending after the terminal event; a finished job's
 * stream is its snapshot, then its terminal event. It subscribes
 * before reading the snapshot, so nothing falls between; a gap in the live stream (a message
 * lost while Redis reconnected) is filled from the job's event log. Rejects with
 * DrainRequestError NOT_FOUND for an unknown job, and with the transport's error if the live
 * stream breaks.
 */
export function drainProgressStream(
  store: DrainJobStore,
  jobId: string,
  options: DrainProgressOptions,
): AsyncIterableIterator<DeliveredDrainEvent> {
  const queue = new SubscriberQueue<DrainProgressEvent>({ limit: options.queueLimit });
  return queueClosingIterator(queue, streamEvents(store, jobId, queue, options.gapFillLimit ?? 1000));
}

async function* streamEvents(
  store: DrainJobStore,
  jobId: string,
  queue: SubscriberQueue<DrainProgressEvent>,
  gapFillLimit: number,
): AsyncGenerator<DeliveredDrainEvent, void, undefined> {
  const unsubscribe = await store.subscribeEvents(jobId, {
    event: (event) => queue.push(event),
    error: (err) => queue.fail(err),
  });
  try {
    const current = await store.get(jobId);
    if (!current) throw new DrainRequestError('NOT_FOUND', `no drain job with id ${jobId}`);
    if (isTerminalState(current.job.state)) {
      // A late subscriber still sees how the job ended, last, as every subscriber does. The
      // snapshot carries the sequence before the terminal event so sequences stay contiguous.
      const terminal = await terminalEventOf(store, current.job, current.lastSequence);
      yield snapshotEvent(current.job, terminal.sequence - 1);
      yield { ...terminal, snapshot: null };
      return;
    }
    yield snapshotEvent(current.job, current.lastSequence);
    let last = current.lastSequence;
    for await (const event of queue) {
      if (event.sequence <= last) continue;
      const missed =
        event.sequence > last + 1 ? await store.readEvents(jobId, last, event.sequence - last - 1) : [];
      for (const e of [...missed.slice(0, gapFillLimit), event]) {
        if (e.sequence <= last) continue;
        last = e.sequence;
        yield { ...e, snapshot: null };
        if (isTerminalEvent(e.kind)) return;
      }
    }
  } finally {
    await queue.return();
    await unsubscribe();
  }
}

/**
 * The terminal event of a finished job: the last one of its log, or, when the log no longer has
 * it (a store that lost its data and was restored from a runner's memory), one rebuilt from the job.
 */
async function terminalEventOf(
  store: DrainJobStore,
  job: DrainJob,
  lastSequence: number,
): Promise<DrainProgressEvent> {
  const [last] = await store.readEvents(job.id, lastSequence - 1, 1);
  if (last && isTerminalEvent(last.kind)) return last;
  return {
    kind: `JOB_${job.state}` as DrainEventKind,
    jobId: job.id,
    sequence: lastSequence + 1,
    at: job.finishedAt ?? job.updatedAt,
    pod: null,
    message: job.error,
    state: job.state,
  };
}

function snapshotEvent(job: DrainJob, sequence: number): DeliveredDrainEvent {
  return {
    kind: 'JOB_SNAPSHOT',
    jobId: job.id,
    sequence,
    at: new Date().toISOString(),
    pod: null,
    message: null,
    state: job.state,
    snapshot: job,
  };
}
