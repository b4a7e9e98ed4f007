import { type DrainJobState, TERMINAL_DRAIN_STATES } from './drain-job.js';

/** One step of a drain, in the order a job takes them. */
export type DrainEventKind =
  /** Not stored: the first event every subscriber gets, carrying the job as it is now. */
  | 'JOB_SNAPSHOT'
  | 'JOB_STARTED'
  | 'JOB_TAKEN_OVER'
  | 'NODE_CORDONED'
  | 'PODS_PLANNED'
  | 'POD_SKIPPED'
  | 'POD_EVICTING'
  | 'POD_BLOCKED'
  | 'POD_EVICTED'
  | 'POD_DELETED'
  | 'POD_FAILED'
  | 'CANCEL_REQUESTED'
  | 'JOB_SUCCEEDED'
  | 'JOB_FAILED'
  | 'JOB_CANCELLED';

export const DRAIN_EVENT_KINDS: readonly DrainEventKind[] = [
  'JOB_SNAPSHOT',
  'JOB_STARTED',
  'JOB_TAKEN_OVER',
  'NODE_CORDONED',
  'PODS_PLANNED',
  'POD_SKIPPED',
  'POD_EVICTING',
  'POD_BLOCKED',
  'POD_EVICTED',
  'POD_DELETED',
  'POD_FAILED',
  'CANCEL_REQUESTED',
  'JOB_SUCCEEDED',
  'JOB_FAILED',
  'JOB_CANCELLED',
];

/** The last event of a job: JOB_ and the state it ended in. */
const TERMINAL_KINDS: readonly DrainEventKind[] = TERMINAL_DRAIN_STATES.map(
  (state) => `JOB_${state}` as const,
);

export interface DrainEventPod {
  namespace: string;
  name: string;
}

/** An event as a job's runner records it; the store assigns its sequence number. */
export interface DrainEventRecord {
  kind: DrainEventKind;
  at: string;
  pod: DrainEventPod | null;
  message: string | null;
  /** The job's state once this step was recorded. */
  state: DrainJobState;
}

export interface DrainProgressEvent extends DrainEventRecord {
  jobId: string;
  /** 1, 2, 3, ... per job, in the order the steps happened. */
  sequence: number;
}

export function isTerminalEvent(kind: DrainEventKind): boolean {
  return TERMINAL_KINDS.includes(kind);
}

/** `sequence|json`: how the stores keep and publish events, so the sequence needs no JSON rewrite. */
export function encodeEvent(sequence: number, record: DrainEventRecord): string {
  return `${sequence}|${JSON.stringify(record)}`;
}

export function decodeEvent(jobId: string, encoded: string): DrainProgressEvent {
  const bar = encoded.indexOf('|');
  const sequence = Number(encoded.slice(0, bar));
  const record = JSON.parse(encoded.slice(bar + 1)) as DrainEventRecord;
  return { ...record, jobId, sequence };
}
