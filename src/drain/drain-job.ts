import type { Impersonation } from '../clusters/impersonation.js';
import type { DrainOptions } from './drain-options.js';

/**
 * A drain job as stored and served. Plain JSON data: the Redis store keeps it as one JSON string,
 * so every field is a string, number, boolean, null, array or object.
 */

export type DrainJobState = 'PENDING' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED';
export const DRAIN_JOB_STATES: readonly DrainJobState[] = [
  'PENDING',
  'RUNNING',
  'SUCCEEDED',
  'FAILED',
  'CANCELLED',
];
/**
 * The states a job ends in: the one list every check derives from (isTerminalState, the
 * terminal event kinds, and the Redis scripts, which get it interpolated into their text).
 */
export const TERMINAL_DRAIN_STATES = [
  'SUCCEEDED',
  'FAILED',
  'CANCELLED',
] as const satisfies readonly DrainJobState[];
export type TerminalDrainState = (typeof TERMINAL_DRAIN_STATES)[number];

/** Where a running job is: kubectl's cordon -> plan -> evict (evicting includes waiting for deletion). */
export type DrainPhase = 'QUEUED' | 'CORDONING' | 'PLANNING' | 'EVICTING' | 'DONE';
export const DRAIN_PHASES: readonly DrainPhase[] = ['QUEUED', 'CORDONING', 'PLANNING', 'EVICTING', 'DONE'];

export type DrainPodStatus = 'PENDING' | 'EVICTING' | 'BLOCKED' | 'DELETED' | 'SKIPPED' | 'FAILED';
export const DRAIN_POD_STATUSES: readonly DrainPodStatus[] = [
  'PENDING',
  'EVICTING',
  'BLOCKED',
  'DELETED',
  'SKIPPED',
  'FAILED',
];

/** One pod the drain found on the node. */
export interface DrainPodEntry {
  namespace: string;
  name: string;
  uid: string;
  status: DrainPodStatus;
  /** Eviction (or delete) requests sent for this pod, retries included. */
  attempts: number;
  message: string | null;
  updatedAt: string;
}

/** A replica taking over a job whose previous runner stopped renewing its lease. */
export interface DrainTakeover {
  at: string;
  /** The runner whose lease expired (replica id), null if the job never started. */
  from: string | null;
  to: string;
}

/**
 * Who asked for a drain. The job runs in the background, on whichever replica holds its lease,
 * so the identity is stored with it: every API call of the drain impersonates this person, also
 * after a takeover. uid and extra are kept for the impersonation but not shown in GraphQL.
 */
export interface DrainRequester {
  username: string;
  groups: string[];
  uid?: string;
  extra?: Record<string, string[]>;
}

export interface DrainJob {
  id: string;
  cluster: string;
  node: string;
  state: DrainJobState;
  phase: DrainPhase;
  options: DrainOptions;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  updatedAt: string;
  /** The replica running the job, null before it starts. */
  runner: string | null;
  pods: DrainPodEntry[];
  warnings: string[];
  error: string | null;
  takeovers: DrainTakeover[];
  /**
   * Who asked (their identity is impersonated by every call of the drain); null when nobody
   * authenticated (`--auth none`: the gateway's own account). Missing in jobs stored before.
   */
  requestedBy?: DrainRequester | null;
  /**
   * The bulk drain that started this job, if one did: a coordinator taking the bulk over finds
   * a node's drain its predecessor started but did not record. Missing in jobs stored before.
   */
  bulkId?: string | null;
}

/** The impersonation a job's calls carry: its requester, or none (the gateway's account). */
export function impersonationOfJob(job: Pick<DrainJob, 'requestedBy'>): Impersonation | undefined {
  const who = job.requestedBy;
  if (!who) return undefined;
  return { user: who.username, uid: who.uid, groups: who.groups, extra: who.extra };
}

/** A job as read from a store: the job and what the store keeps beside it. */
export interface DrainJobSnapshot {
  readonly job: DrainJob;
  /** Sequence number of the job's latest event; 0 before the first. */
  readonly lastSequence: number;
  readonly cancelRequested: boolean;
}

export type DrainCounts = Record<DrainPodStatus, number> & { total: number };

export function countPods(job: Pick<DrainJob, 'pods'>): DrainCounts {
  const counts: DrainCounts = {
    total: 0,
    PENDING: 0,
    EVICTING: 0,
    BLOCKED: 0,
    DELETED: 0,
    SKIPPED: 0,
    FAILED: 0,
  };
  for (const pod of job.pods) {
    counts[pod.status]++;
    counts.total++;
  }
  return counts;
}

export function isTerminalState(state: DrainJobState): boolean {
  return (TERMINAL_DRAIN_STATES as readonly DrainJobState[]).includes(state);
}

export function newDrainJob(fields: {
  id: string;
  cluster: string;
  node: string;
  options: DrainOptions;
  now: Date;
  requestedBy?: DrainRequester | null;
  bulkId?: string | null;
}): DrainJob {
  const at = fields.now.toISOString();
  return {
    id: fields.id,
    cluster: fields.cluster,
    node: fields.node,
    state: 'PENDING',
    phase: 'QUEUED',
    options: fields.options,
    createdAt: at,
    startedAt: null,
    finishedAt: null,
    updatedAt: at,
    runner: null,
    pods: [],
    warnings: [],
    error: null,
    takeovers: [],
    requestedBy: fields.requestedBy ?? null,
    bulkId: fields.bulkId ?? null,
  };
}
