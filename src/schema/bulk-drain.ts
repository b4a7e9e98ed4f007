import {
  BULK_DRAIN_EVENT_KINDS,
  BULK_DRAIN_STATES,
  BULK_NODE_STATES,
  type BulkDrainJob,
  type BulkDrainNode,
  type BulkNodeCounts,
  countBulkNodes,
} from '../drain/bulk-drain-job.js';
import type { DeliveredBulkDrainEvent } from '../drain/bulk-drain-progress-stream.js';
import {
  bulkDrainEventOf,
  bulkDrainEvents,
  bulkDrainJob,
  bulkOfEvent,
  cancelBulkDrain,
  drainNodes,
  type NodeOperationResult,
  nodeDrainJob,
  setSchedulableMany,
  subscribeBulkDrainProgress,
} from '../resolvers/drain-bulk.js';
import { globalId } from '../resolvers/relay-ids.js';
import { builder, MUTATION_RESULT_NULLABLE } from './builder.js';
import {
  DrainJobOptionsRef,
  DrainJobRef,
  DrainOptionsInputRef,
  DrainProgressEventRef,
  DrainRequesterRef,
} from './drain.js';
import { NodeRef } from './node.js';
import { NodeFilterRef } from './node-filter.js';
import { RelayNodeRef } from './relay-node.js';

const BulkDrainStateEnum = builder.enumType('BulkDrainState', {
  description: 'PENDING (created), RUNNING, then SUCCEEDED (every node drained), FAILED or CANCELLED',
  values: BULK_DRAIN_STATES,
});

const BulkDrainNodeStateEnum = builder.enumType('BulkDrainNodeState', {
  description:
    'QUEUED (not started), DRAINING (its drain job runs), then DRAINED, FAILED (also: unknown or forbidden ' +
    'node, see errorCode) or CANCELLED (its drain was cancelled, or it never started)',
  values: BULK_NODE_STATES,
});

const BulkDrainEventKindEnum = builder.enumType('BulkDrainEventKind', {
  description:
    'BULK_SNAPSHOT is the first event of every bulkDrainProgress stream; NODE_STATE says a node moved ' +
    '(nodeState); NODE_DRAIN_EVENT carries a step of a node drain (drainEvent); BULK_TAKEN_OVER says ' +
    'another replica became the coordinator (the previous one died or shut down; `runner` changes): ' +
    'it goes on from the stored state, following the nodes already draining; BULK_SUCCEEDED, ' +
    'BULK_FAILED and BULK_CANCELLED are the last',
  values: BULK_DRAIN_EVENT_KINDS,
});

const NodeOperationResultRef = builder.objectRef<NodeOperationResult>('NodeOperationResult').implement({
  description: 'What a bulk cordon or uncordon did to one node',
  fields: (t) => ({
    name: t.exposeString('name'),
    ok: t.exposeBoolean('ok'),
    errorCode: t.exposeString('errorCode', {
      nullable: true,
      description: 'NOT_FOUND, FORBIDDEN, CONFLICT (uncordon during a drain), UPSTREAM_TIMEOUT, ...',
    }),
    message: t.exposeString('message', { nullable: true }),
    node: t.field({
      type: NodeRef,
      nullable: true,
      description: 'The node after the patch',
      resolve: (r) => r.node,
    }),
  }),
});

const BulkDrainNodeRef = builder.objectRef<BulkDrainNode>('BulkDrainNode').implement({
  description: 'One node of a bulk drain',
  fields: (t) => ({
    name: t.exposeString('name'),
    state: t.field({ type: BulkDrainNodeStateEnum, resolve: (n) => n.state }),
    drainJobId: t.exposeID('jobId', {
      nullable: true,
      description:
        "The UUID of the node's own drain job (its DrainJob.jobId), once started; drainJob.id is its global id. " +
        'drainJob, cancelDrain and drainProgress take either',
    }),
    drainJob: t.field({
      type: DrainJobRef,
      nullable: true,
      description: "The node's own drain job (null before it starts or once expired)",
      resolve: (n, _args, ctx) => nodeDrainJob(ctx, n.jobId),
    }),
    errorCode: t.exposeString('errorCode', {
      nullable: true,
      description:
        'NOT_FOUND (unknown node), FORBIDDEN, DRAIN_FAILED, STOPPED (stopOnFailure), CANCELLED, ...',
    }),
    message: t.exposeString('message', { nullable: true }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

const BulkDrainCountsRef = builder.objectRef<BulkNodeCounts>('BulkDrainCounts').implement({
  description: 'Nodes of a bulk drain by state',
  fields: (t) => ({
    total: t.exposeInt('total'),
    queued: t.exposeInt('QUEUED'),
    draining: t.exposeInt('DRAINING'),
    drained: t.exposeInt('DRAINED'),
    failed: t.exposeInt('FAILED'),
    cancelled: t.exposeInt('CANCELLED'),
  }),
});

export const BulkDrainJobRef = builder.objectRef<BulkDrainJob>('BulkDrainJob');
type BulkFieldBuilder = Parameters<NonNullable<Parameters<typeof BulkDrainJobRef.implement>[0]['fields']>>[0];

/** BulkDrainJob without `events`: what BulkDrainEvent.job returns, so events -> job -> events is no cycle. */
const BulkDrainJobSummaryRef = builder.objectRef<BulkDrainJob>('BulkDrainJobSummary');

/** The fields of a bulk job, shared by BulkDrainJob and the summary an event carries. */
function bulkFields(t: BulkFieldBuilder, type: 'BulkDrainJob' | 'BulkDrainJobSummary') {
  return {
    id: t.id({
      description:
        'Global id; Query.node(id) refetches it. bulkDrainJob, cancelBulkDrain and bulkDrainProgress take it, or jobId',
      resolve: (j) => globalId(type, [j.id]),
    }),
    jobId: t.id({
      description: 'The bulk drain id as the job store and the audit trail name it (a UUID)',
      resolve: (j) => j.id,
    }),
    cluster: t.exposeString('cluster'),
    state: t.field({ type: BulkDrainStateEnum, resolve: (j) => j.state }),
    options: t.field({ type: DrainJobOptionsRef, resolve: (j) => j.options }),
    maxConcurrent: t.exposeInt('maxConcurrent'),
    stopOnFailure: t.exposeBoolean('stopOnFailure'),
    nodes: t.field({
      type: [BulkDrainNodeRef],
      args: { state: t.arg({ type: BulkDrainNodeStateEnum }) },
      resolve: (j, args) => (args.state ? j.nodes.filter((n) => n.state === args.state) : j.nodes),
    }),
    counts: t.field({ type: BulkDrainCountsRef, resolve: (j) => countBulkNodes(j) }),
    runner: t.exposeString('runner', {
      nullable: true,
      description: 'The replica coordinating it (another one after a BULK_TAKEN_OVER)',
    }),
    requestedBy: t.field({ type: DrainRequesterRef, nullable: true, resolve: (j) => j.requestedBy ?? null }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    startedAt: t.expose('startedAt', { type: 'DateTime', nullable: true }),
    finishedAt: t.expose('finishedAt', { type: 'DateTime', nullable: true }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    error: t.exposeString('error', { nullable: true, description: 'Why it FAILED, naming the nodes' }),
  };
}

BulkDrainJobSummaryRef.implement({
  description:
    'A bulk drain as a progress event reports it: every field of BulkDrainJob but its events. Its id differs ' +
    'from the BulkDrainJob id of the same bulk drain (ids are unique across types); jobId is the same.',
  interfaces: [RelayNodeRef],
  fields: (t) => bulkFields(t, 'BulkDrainJobSummary'),
});

const BulkDrainEventRef = builder.objectRef<DeliveredBulkDrainEvent>('BulkDrainEvent').implement({
  description: 'One step of a bulk drain',
  fields: (t) => ({
    sequence: t.exposeInt('sequence', { description: '1, 2, 3, ... per bulk job' }),
    kind: t.field({ type: BulkDrainEventKindEnum, resolve: (e) => e.kind }),
    at: t.expose('at', { type: 'DateTime' }),
    node: t.exposeString('node', { nullable: true }),
    nodeState: t.field({
      type: BulkDrainNodeStateEnum,
      nullable: true,
      description: "NODE_STATE: the node's new state; NODE_DRAIN_EVENT: its state then",
      resolve: (e) => e.nodeState,
    }),
    drainEvent: t.field({
      type: DrainProgressEventRef,
      nullable: true,
      description: "NODE_DRAIN_EVENT: the step of the node's drain job",
      resolve: (e) => e.drainEvent,
    }),
    message: t.exposeString('message', { nullable: true }),
    state: t.field({
      type: BulkDrainStateEnum,
      description: 'The bulk state after this step',
      resolve: (e) => e.state,
    }),
    job: t.field({
      type: BulkDrainJobSummaryRef,
      description: 'The bulk job: as of the snapshot for BULK_SNAPSHOT, else as it is when delivered',
      resolve: (e, _args, ctx) => bulkOfEvent(ctx, e),
    }),
  }),
});

type ArgBuilder = Parameters<Parameters<typeof builder.mutationField>[1]>[0]['arg'];
const selectionArgs = (arg: ArgBuilder) => ({
  cluster: arg.string({
    description: 'A kubeconfig context the gateway serves; omitted = the default cluster',
  }),
  names: arg.stringList({
    description: 'Node names (duplicates are dropped; at most --drain-bulk-max-nodes). Give names or filter.',
  }),
  filter: arg({
    type: NodeFilterRef,
    description: 'The nodes Query.nodes(filter:) would return. Give names or filter.',
  }),
});

builder.mutationField('cordonNodes', (t) =>
  t.field({
    type: [NodeOperationResultRef],
    nullable: MUTATION_RESULT_NULLABLE,
    description: 'Cordons every selected node (as cordonNode does), answering one result per node',
    args: selectionArgs(t.arg),
    resolve: (_root, args, ctx, info) => setSchedulableMany(ctx, args, false, info),
  }),
);

builder.mutationField('uncordonNodes', (t) =>
  t.field({
    type: [NodeOperationResultRef],
    nullable: MUTATION_RESULT_NULLABLE,
    description: 'Uncordons every selected node (as uncordonNode does; CONFLICT for a node being drained)',
    args: selectionArgs(t.arg),
    resolve: (_root, args, ctx, info) => setSchedulableMany(ctx, args, true, info),
  }),
);

builder.mutationField('drainNodes', (t) =>
  t.field({
    type: BulkDrainJobRef,
    nullable: MUTATION_RESULT_NULLABLE,
    description:
      'Drains every selected node, at most maxConcurrent at once, and returns at once (follow it with ' +
      'bulkDrainProgress). Each node is an ordinary drain job (drainNode); evictions honour ' +
      'PodDisruptionBudgets across the concurrent drains (a refused eviction is retried). Unknown and ' +
      'forbidden nodes are FAILED in the job from the start; with stopOnFailure, the first failed drain ' +
      'stops the queued nodes from starting.',
    args: {
      ...selectionArgs(t.arg),
      options: t.arg({ type: DrainOptionsInputRef }),
      maxConcurrent: t.arg.int({
        defaultValue: 1,
        description: 'Node drains at once, from 1 to --drain-bulk-max-concurrency (default 50)',
      }),
      stopOnFailure: t.arg.boolean({ defaultValue: true }),
    },
    resolve: (_root, args, ctx, info) => drainNodes(ctx, args, info),
  }),
);

builder.mutationField('cancelBulkDrain', (t) =>
  t.field({
    type: BulkDrainJobRef,
    nullable: MUTATION_RESULT_NULLABLE,
    description:
      'Stops a bulk drain from any replica: queued nodes never start, running node drains are cancelled; ' +
      'no eviction is sent after this returns. Nodes stay cordoned. If the replica coordinating it died, ' +
      "the one answering takes it over to cancel it, once the dead one's lease lapsed (--drain-lease).",
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, args, ctx, info) => cancelBulkDrain(ctx, String(args.id), info),
  }),
);

builder.queryField('bulkDrainJob', (t) =>
  t.field({
    type: BulkDrainJobRef,
    nullable: true,
    description: 'A bulk drain; null when unknown or expired',
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, args, ctx, info) => bulkDrainJob(ctx, String(args.id), info),
  }),
);

builder.subscriptionField('bulkDrainProgress', (t) =>
  t.field({
    type: BulkDrainEventRef,
    description:
      "A bulk drain's progress: a BULK_SNAPSHOT first, then every node's state changes and every step of " +
      'its drain job, in order; completes after BULK_SUCCEEDED, BULK_FAILED or BULK_CANCELLED. Any replica.',
    args: { id: t.arg.id({ required: true }) },
    subscribe: (_root, args, ctx, info) => subscribeBulkDrainProgress(ctx, String(args.id), info),
    resolve: (item) => bulkDrainEventOf(item),
  }),
);

BulkDrainJobRef.implement({
  description: 'A drain of many nodes, at most maxConcurrent at once, each node an ordinary drain job',
  interfaces: [RelayNodeRef],
  fields: (t) => ({
    ...bulkFields(t, 'BulkDrainJob'),
    events: t.field({
      type: [BulkDrainEventRef],
      description: 'Recorded steps after `afterSequence`, oldest first (the newest 20000 are kept)',
      args: {
        afterSequence: t.arg.int({ defaultValue: 0 }),
        first: t.arg.int({
          defaultValue: 100,
          description: 'How many, from 0 to the gateway maximum (--max-page-size, default 1000)',
        }),
      },
      resolve: (j, args, ctx) => bulkDrainEvents(ctx, j, args),
    }),
  }),
});
