import type { DrainProgressEvent } from './drain-event.js';
import type { DrainRequester } from './drain-job.js';
import type { DrainOptions } from './drain-options.js';

/** PENDING (created), RUNNING, then one of SUCCEEDED, FAILED, CANCELLED. */
export const BULK_DRAIN_STATES = ['PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED'] as const;
export type BulkDrainState = (typeof BULK_DRAIN_STATES)[number];

/** Where one node of a bulk drain is. DRAINED, FAILED and CANCELLED are final. */
export const BULK_NODE_STATES = ['QUEUED', 'DRAINING', 'DRAINED', 'FAILED', 'CANCELLED'] as const;
export type BulkNodeState = (typeof BULK_NODE_STATES)[number];

export interface BulkDrainNode {
  name: string;
  state: BulkNodeState;
  /** The node's own drain job, once started. */
  jobId: string | null;
  /** Why a node never started or failed: NOT_FOUND, FORBIDDEN, DRAIN_FAILED, ... */
  errorCode: string | null;
  message: string | null;
  updatedAt: string;
  /**
   * The sequence of the last event of its drain job copied into the bulk log, saved with the
   * copy: a coordinator that takes the bulk over copies on from there, each event once.
   * Missing in jobs stored before.
   */
  forwardedSequence?: number;
}

export interface BulkDrainJob {
  id: string;
  cluster: string;
  options: DrainOptions;
  maxConcurrent: number;
  stopOnFailure: boolean;
  state: BulkDrainState;
  nodes: BulkDrainNode[];
  requestedBy: DrainRequester | null;
  /** The replica coordinating it. */
  runner: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  updatedAt: string;
  error: string | null;
  /**
   * A node's drain failed with stopOnFailure: no queued node starts any more. Stored so that a
   * coordinator taking over keeps to it. Missing in jobs stored before.
   */
  stoppedOnFailure?: boolean;
}

export const BULK_DRAIN_EVENT_KINDS = [
  /** Not stored: the first event of every bulkDrainProgress stream, carrying the job as it is now. */
  'BULK_SNAPSHOT',
  'BULK_STARTED',
  /** Another replica became the coordinator: the previous one died or shut down (`message` names both). */
  'BULK_TAKEN_OVER',
  /** A node moved to another state (`nodeState`). */
  'NODE_STATE',
  /** A step of a node's own drain job (`drainEvent`). */
  'NODE_DRAIN_EVENT',
  'CANCEL_REQUESTED',
  'BULK_SUCCEEDED',
  'BULK_FAILED',
  'BULK_CANCELLED',
] as const;
export type BulkDrainEventKind = (typeof BULK_DRAIN_EVENT_KINDS)[number];

/** An event as the coordinator records it; the store assigns its sequence number. */
export interface BulkDrainEventRecord {
  kind: BulkDrainEventKind;
  at: string;
  node: string | null;
  nodeState: BulkNodeState | null;
  drainEvent: DrainProgressEvent | null;
  message: string | null;
  /** The bulk job's state once this step was recorded. */
  state: BulkDrainState;
}

export interface BulkDrainEvent extends BulkDrainEventRecord {
  bulkId: string;
  sequence: number;
}

export interface BulkDrainSnapshot {
  job: BulkDrainJob;
  lastSequence: number;
  cancelRequested: boolean;
}

export function isFinalNodeState(state: BulkNodeState): boolean {
  return state === 'DRAINED' || state === 'FAILED' || state === 'CANCELLED';
}

export function isTerminalBulkState(state: BulkDrainState): boolean {
  return state === 'SUCCEEDED' || state === 'FAILED' || state === 'CANCELLED';
}

export function isTerminalBulkEvent(kind: BulkDrainEventKind): boolean {
  return kind === 'BULK_SUCCEEDED' || kind === 'BULK_FAILED' || kind === 'BULK_CANCELLED';
}

export type BulkNodeCounts = Record<BulkNodeState, number> & { total: number };

export function countBulkNodes(job: Pick<BulkDrainJob, 'nodes'>): BulkNodeCounts {
  const counts: BulkNodeCounts = { total: 0, QUEUED: 0, DRAINING: 0, DRAINED: 0, FAILED: 0, CANCELLED: 0 };
  for (const node of job.nodes) {
    counts[node.state]++;
    counts.total++;
  }
  return counts;
}

export function encodeBulkEvent(sequence: number, event: BulkDrainEventRecord): string {
  return `${sequence}|${JSON.stringify(event)}`;
}

export function decodeBulkEvent(bulkId: string, entry: string): BulkDrainEvent {
  const bar = entry.indexOf('|');
  const record = JSON.parse(entry.slice(bar + 1)) as BulkDrainEventRecord;
  return { ...record, bulkId, sequence: Number(entry.slice(0, bar)) };
}

/** The pubsub topic of a bulk drain's events. */
export function bulkDrainTopic(id: string): string {
  return `drain-bulk:${id}`;
}
