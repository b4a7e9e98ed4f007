import { DRAIN_EVENT_KINDS, type DrainEventPod, type DrainProgressEvent } from '../drain/drain-event.js';
import {
  countPods,
  DRAIN_JOB_STATES,
  DRAIN_PHASES,
  DRAIN_POD_STATUSES,
  type DrainCounts,
  type DrainJob,
  type DrainPodEntry,
  type DrainRequester,
  type DrainTakeover,
} from '../drain/drain-job.js';
import type { DrainOptions } from '../drain/drain-options.js';
import {
  cancelDrain,
  drainJob,
  drainJobEvents,
  drainJobs,
  drainNode,
  drainProgressEventOf,
  jobOfEvent,
  subscribeDrainProgress,
} from '../resolvers/drain.js';
import { globalId } from '../resolvers/relay-ids.js';
import { builder, MUTATION_RESULT_NULLABLE } from './builder.js';
import { RelayNodeRef } from './relay-node.js';

const DrainJobStateEnum = builder.enumType('DrainJobState', {
  description: 'PENDING (queued), RUNNING, then one of SUCCEEDED, FAILED, CANCELLED',
  values: DRAIN_JOB_STATES,
});

const DrainPhaseEnum = builder.enumType('DrainPhase', {
  description: "Where a drain is, in kubectl drain's order; EVICTING includes waiting for pods to go",
  values: DRAIN_PHASES,
});

const DrainPodStatusEnum = builder.enumType('DrainPodStatus', {
  description:
    'PENDING (to evict), EVICTING (requested, waiting for it to go), BLOCKED (a PodDisruptionBudget refused; ' +
    'retrying), DELETED (gone), SKIPPED (left on the node: DaemonSet, mirror pod, ...), FAILED',
  values: DRAIN_POD_STATUSES,
});

const DrainEventKindEnum = builder.enumType('DrainEventKind', {
  description:
    'JOB_SNAPSHOT is the first event of every drainProgress stream (the job as it is now); ' +
    'JOB_SUCCEEDED, JOB_FAILED and JOB_CANCELLED are the last',
  values: DRAIN_EVENT_KINDS,
});

export const DrainOptionsInputRef = builder.inputType('DrainOptions', {
  description:
    "How to drain; the options of kubectl drain. Omitted fields take kubectl's defaults, except ignoreDaemonSets.",
  fields: (t) => ({
    ignoreDaemonSets: t.boolean({
      description:
        'Leave DaemonSet-managed pods on the node. Default true (kubectl: false): a DaemonSet pod would be ' +
        'recreated on the cordoned node at once. false makes a node with DaemonSet pods fail to drain.',
    }),
    deleteEmptyDirData: t.boolean({
      description: 'Evict pods with emptyDir volumes (their data is lost). Default false',
    }),
    force: t.boolean({
      description: 'Evict pods that no controller manages (nothing recreates them). Default false',
    }),
    gracePeriodSeconds: t.int({ description: "Grace period for each pod; omitted = the pod's own" }),
    timeoutSeconds: t.int({
      description: 'Give up evicting and waiting after this long; 0 or omitted = never',
    }),
    podSelector: t.string({ description: 'Only drain pods matching this label selector' }),
    disableEviction: t.boolean({
      description:
        'Delete pods instead of evicting them: PodDisruptionBudgets are NOT honoured. Default false',
    }),
    skipWaitForDeleteTimeoutSeconds: t.int({
      description:
        'Do not wait for pods whose deletion began more than this many seconds ago; 0 = always wait',
    }),
    dryRun: t.boolean({
      description: 'Change nothing: list, filter and report what a drain would do. Default false',
    }),
  }),
});

export const DrainJobOptionsRef = builder.objectRef<DrainOptions>('DrainJobOptions').implement({
  description: 'The options a drain job runs with, defaults filled in',
  fields: (t) => ({
    ignoreDaemonSets: t.exposeBoolean('ignoreDaemonSets'),
    deleteEmptyDirData: t.exposeBoolean('deleteEmptyDirData'),
    force: t.exposeBoolean('force'),
    gracePeriodSeconds: t.exposeInt('gracePeriodSeconds', { nullable: true }),
    timeoutSeconds: t.exposeInt('timeoutSeconds'),
    podSelector: t.exposeString('podSelector', { nullable: true }),
    disableEviction: t.exposeBoolean('disableEviction'),
    skipWaitForDeleteTimeoutSeconds: t.exposeInt('skipWaitForDeleteTimeoutSeconds'),
    dryRun: t.exposeBoolean('dryRun'),
  }),
});

const DrainPodRef = builder.objectRef<DrainPodEntry>('DrainPod').implement({
  description: 'A pod the drain found on the node, and what became of it',
  fields: (t) => ({
    namespace: t.exposeString('namespace'),
    name: t.exposeString('name'),
    uid: t.exposeString('uid'),
    status: t.field({ type: DrainPodStatusEnum, resolve: (p) => p.status }),
    attempts: t.exposeInt('attempts', {
      description: 'Eviction (or delete) requests sent, retries included',
    }),
    message: t.exposeString('message', { nullable: true }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

const DrainCountsRef = builder.objectRef<DrainCounts>('DrainCounts').implement({
  description: 'Pods of a drain job by status',
  fields: (t) => ({
    total: t.exposeInt('total'),
    pending: t.exposeInt('PENDING'),
    evicting: t.exposeInt('EVICTING'),
    blocked: t.exposeInt('BLOCKED'),
    deleted: t.exposeInt('DELETED'),
    skipped: t.exposeInt('SKIPPED'),
    failed: t.exposeInt('FAILED'),
  }),
});

const DrainTakeoverRef = builder.objectRef<DrainTakeover>('DrainTakeover').implement({
  description:
    'A gateway replica taking a drain over after the replica running it stopped renewing its lease',
  fields: (t) => ({
    at: t.expose('at', { type: 'DateTime' }),
    from: t.exposeString('from', { nullable: true, description: 'The replica that had been running it' }),
    to: t.exposeString('to'),
  }),
});

export const DrainRequesterRef = builder.objectRef<DrainRequester>('DrainRequester').implement({
  description: 'The person who asked for a drain; every API call of the drain impersonates them',
  fields: (t) => ({
    username: t.exposeString('username'),
    groups: t.exposeStringList('groups'),
  }),
});

const DrainEventPodRef = builder.objectRef<DrainEventPod>('DrainEventPod').implement({
  fields: (t) => ({
    namespace: t.exposeString('namespace'),
    name: t.exposeString('name'),
  }),
});

export const DrainJobRef = builder.objectRef<DrainJob>('DrainJob');
type JobFieldBuilder = Parameters<NonNullable<Parameters<typeof DrainJobRef.implement>[0]['fields']>>[0];

/**
 * DrainJob without `events`: what DrainProgressEvent.job returns, so the schema has no
 * events -> job -> events cycle (nested with first: 1000 it answered ~10^9 objects per level).
 */
const DrainJobSummaryRef = builder.objectRef<DrainJob>('DrainJobSummary');

export const DrainProgressEventRef = builder.objectRef<DrainProgressEvent>('DrainProgressEvent').implement({
  description: 'One step of a drain',
  fields: (t) => ({
    sequence: t.exposeInt('sequence', {
      description:
        '1, 2, 3, ... per job; a JOB_SNAPSHOT carries the sequence of the latest step it includes ' +
        '(of a finished job: the step before the terminal event, which follows it)',
    }),
    kind: t.field({ type: DrainEventKindEnum, resolve: (e) => e.kind }),
    at: t.expose('at', { type: 'DateTime' }),
    pod: t.field({ type: DrainEventPodRef, nullable: true, resolve: (e) => e.pod }),
    message: t.exposeString('message', {
      nullable: true,
      description: 'For POD_BLOCKED, the apiserver message naming the PodDisruptionBudget',
    }),
    state: t.field({
      type: DrainJobStateEnum,
      description: 'The job state after this step',
      resolve: (e) => e.state,
    }),
    job: t.field({
      type: DrainJobSummaryRef,
      description: 'The job: as of the snapshot for JOB_SNAPSHOT, else as it is when the event is delivered',
      resolve: (e, _args, ctx) => jobOfEvent(ctx, { snapshot: null, ...e }),
    }),
  }),
});

/** The fields of a job, shared by DrainJob and the DrainJobSummary a progress event carries. */
function jobFields(t: JobFieldBuilder, type: 'DrainJob' | 'DrainJobSummary') {
  return {
    id: t.id({
      description:
        'Global id; Query.node(id) refetches it. drainJob, cancelDrain and drainProgress take it, or jobId',
      resolve: (j) => globalId(type, [j.id]),
    }),
    jobId: t.id({
      description: 'The job id as the job store and the audit trail name it (a UUID)',
      resolve: (j) => j.id,
    }),
    cluster: t.exposeString('cluster'),
    node: t.exposeString('node', { description: 'The node name' }),
    state: t.field({ type: DrainJobStateEnum, resolve: (j) => j.state }),
    phase: t.field({ type: DrainPhaseEnum, resolve: (j) => j.phase }),
    options: t.field({ type: DrainJobOptionsRef, resolve: (j) => j.options }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    startedAt: t.expose('startedAt', { type: 'DateTime', nullable: true }),
    finishedAt: t.expose('finishedAt', { type: 'DateTime', nullable: true }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    runner: t.exposeString('runner', { nullable: true, description: 'The gateway replica running the job' }),
    pods: t.field({
      type: [DrainPodRef],
      args: { status: t.arg({ type: DrainPodStatusEnum }) },
      resolve: (j, args) => (args.status ? j.pods.filter((p) => p.status === args.status) : j.pods),
    }),
    counts: t.field({ type: DrainCountsRef, resolve: (j) => countPods(j) }),
    warnings: t.exposeStringList('warnings', { description: 'kubectl-style warnings, each naming its pods' }),
    error: t.exposeString('error', { nullable: true, description: 'Why the job FAILED, naming the pods' }),
    takeovers: t.field({ type: [DrainTakeoverRef], resolve: (j) => j.takeovers }),
    requestedBy: t.field({
      type: DrainRequesterRef,
      nullable: true,
      description:
        'Who asked for the drain (its API calls impersonate them, also after a takeover); null when the gateway runs without authentication',
      resolve: (j) => j.requestedBy ?? null,
    }),
  };
}

DrainJobSummaryRef.implement({
  description:
    'A drain job as a progress event reports it: every field of DrainJob but its events. Its id differs ' +
    'from the DrainJob id of the same job (ids are unique across types); jobId is the same.',
  interfaces: [RelayNodeRef],
  fields: (t) => jobFields(t, 'DrainJobSummary'),
});

DrainJobRef.implement({
  description: 'A drain of one node: cordon, then evict its pods the way kubectl drain does',
  interfaces: [RelayNodeRef],
  fields: (t) => ({
    ...jobFields(t, 'DrainJob'),
    events: t.field({
      type: [DrainProgressEventRef],
      description: 'Recorded steps after `afterSequence`, oldest first (the newest 10000 are kept)',
      args: {
        afterSequence: t.arg.int({ defaultValue: 0 }),
        first: t.arg.int({
          defaultValue: 100,
          description: 'How many, from 0 to the gateway maximum (--max-page-size, default 1000)',
        }),
      },
      resolve: (j, args, ctx) => drainJobEvents(ctx, j, args),
    }),
  }),
});

builder.mutationField('drainNode', (t) =>
  t.field({
    type: DrainJobRef,
    nullable: MUTATION_RESULT_NULLABLE,
    description:
      'Starts draining a node and returns at once (watch it with drainProgress). Cordons, checks every pod ' +
      "with kubectl's filters (failing before any eviction if one cannot be evicted), then evicts " +
      'concurrently, honouring PodDisruptionBudgets. If the node already has an active drain, returns that one.',
    args: {
      cluster: t.arg.string({
        description: 'A kubeconfig context the gateway serves; omitted = the default cluster',
      }),
      name: t.arg.string({ required: true, description: 'The node name' }),
      options: t.arg({ type: DrainOptionsInputRef }),
    },
    resolve: (_root, args, ctx, info) => drainNode(ctx, args, info),
  }),
);

builder.mutationField('cancelDrain', (t) =>
  t.field({
    type: DrainJobRef,
    nullable: MUTATION_RESULT_NULLABLE,
    description:
      'Stops a drain: no eviction is sent after this returns. Waits briefly for the runner to confirm ' +
      '(state CANCELLED). The node stays cordoned; a finished job is returned as it is.',
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, args, ctx, info) => cancelDrain(ctx, String(args.id), info),
  }),
);

builder.queryField('drainJob', (t) =>
  t.field({
    type: DrainJobRef,
    nullable: true,
    description: 'A drain job; null when unknown or expired (finished jobs are kept for an hour)',
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, args, ctx, info) => drainJob(ctx, String(args.id), info),
  }),
);

builder.queryField('drainJobs', (t) =>
  t.field({
    type: [DrainJobRef],
    description: 'Drain jobs, newest first',
    args: {
      cluster: t.arg.string(),
      node: t.arg.string(),
      active: t.arg.boolean({ description: 'true: PENDING and RUNNING only; false: finished only' }),
      first: t.arg.int({
        defaultValue: 50,
        description: 'How many, from 0 to the gateway maximum (--max-page-size, default 1000)',
      }),
    },
    resolve: (_root, args, ctx, info) => drainJobs(ctx, args, info),
  }),
);

builder.subscriptionField('drainProgress', (t) =>
  t.field({
    type: DrainProgressEventRef,
    description:
      "A drain's progress: first a JOB_SNAPSHOT of the job as it is now (however late you subscribe), then " +
      'every step in sequence order; completes after the terminal event (JOB_SUCCEEDED, JOB_FAILED or ' +
      'JOB_CANCELLED), which a subscriber to a finished job gets right after the snapshot. Works on any ' +
      'gateway replica.',
    args: { id: t.arg.id({ required: true }) },
    subscribe: (_root, args, ctx, info) => subscribeDrainProgress(ctx, String(args.id), info),
    resolve: (item) => drainProgressEventOf(item),
  }),
);
