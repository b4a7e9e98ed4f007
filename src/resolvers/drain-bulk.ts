import { GraphQLError, type GraphQLResolveInfo } from 'graphql';
import { impersonationOf } from '../auth/authorizer.js';
import type { BulkDrainJob } from '../drain/bulk-drain-job.js';
import type { DeliveredBulkDrainEvent } from '../drain/bulk-drain-progress-stream.js';
import type { BulkNodeRequest } from '../drain/bulk-drain-service.js';
import type { DrainJob } from '../drain/drain-job.js';
import { type DrainOptionsInput, resolveDrainOptions } from '../drain/drain-options.js';
import { forEachConcurrently } from '../drain/drain-timings.js';
import type { CachedNode } from '../informers/node-projection.js';
import type { GatewayContext } from '../server/context.js';
import { recheckingAccess, subscribeChecked } from './access-recheck.js';
import { type AccessCheck, audited, forbidden, mayAccess } from './authorize.js';
import { pageSize } from './connection.js';
import { drainNeeds, maySeeJobsOf, requesterOf, withFailureItem } from './drain.js';
import { type BulkSelection, type BulkSelectionArgs, selectNodes } from './drain-bulk-selection.js';
import { drainErrorToGraphQL, gatewayError, reportingDrainErrors } from './graphql-errors.js';
import { bulkDrainIdArg } from './relay-ids.js';

/** One node's outcome in cordonNodes / uncordonNodes. */
export interface NodeOperationResult {
  readonly name: string;
  readonly ok: boolean;
  readonly errorCode: string | null;
  readonly message: string | null;
  /** The node as patched (ok only). */
  readonly node: CachedNode | null;
}

/** Cordon and uncordon calls in flight at once for one bulk request. */
const CORDON_CONCURRENCY = 8;

/**
 * Mutation.cordonNodes / uncordonNodes: the selection is checked first (BAD_USER_INPUT before any
 * call), then `patch nodes` per node (a node the caller may not patch is FORBIDDEN in its result,
 * all of them: a FORBIDDEN error), then each patch impersonates the caller, a few at a time.
 */
export function setSchedulableMany(
  ctx: GatewayContext,
  args: BulkSelectionArgs,
  schedulable: boolean,
  info?: GraphQLResolveInfo,
): Promise<NodeOperationResult[]> {
  return audited(ctx, { info, cluster: args.cluster ?? undefined }, async () => {
    const selection = await selectNodes(ctx, args, info);
    const denied = await deniedNodes(ctx, selection, (node) => [
      { cluster: selection.cluster, node, info, needs: { verb: 'patch', resource: 'nodes', name: node } },
    ]);
    const as = impersonationOf(ctx.caller);
    const results = new Map<string, NodeOperationResult>();
    const todo = selection.names.filter((name) => {
      const rejected = rejection(selection, denied, name);
      if (rejected) results.set(name, { name, ok: false, ...rejected, node: null });
      return !rejected;
    });
    await forEachConcurrently(todo, CORDON_CONCURRENCY, async (name) => {
      const what = `${schedulable ? 'uncordoning' : 'cordoning'} node ${name} of cluster ${selection.cluster}`;
      try {
        const node = schedulable
          ? await ctx.services.drains.uncordon(selection.cluster, name, as)
          : await ctx.services.drains.cordon(selection.cluster, name, as);
        results.set(name, { name, ok: true, errorCode: null, message: null, node });
      } catch (err) {
        const error = asGraphQLError(err, what);
        results.set(name, { name, ok: false, errorCode: codeOf(error), message: error.message, node: null });
      }
    });
    return selection.names.map((name) => results.get(name) as NodeOperationResult);
  });
}

/**
 * Mutation.drainNodes: checks the selection, options and bounds, then what a drain of each node
 * needs (SAR, as drainNode); creates one bulk job whose unknown and forbidden nodes are FAILED
 * (NOT_FOUND, FORBIDDEN) from the start, and returns it at once.
 */
export function drainNodes(
  ctx: GatewayContext,
  args: BulkSelectionArgs & {
    options?: DrainOptionsInput | null;
    maxConcurrent?: number | null;
    stopOnFailure?: boolean | null;
  },
  info?: GraphQLResolveInfo,
): Promise<BulkDrainJob> {
  const resolved = resolveDrainOptions(args.options);
  if (!resolved.ok) {
    throw gatewayError('BAD_USER_INPUT', `invalid drain options: ${resolved.problems.join('; ')}`, {
      argument: 'options',
      problems: resolved.problems,
    });
  }
  const { options } = resolved;
  const maxConcurrent = args.maxConcurrent ?? 1;
  const bound = ctx.services.config.drain.bulkMaxConcurrency;
  if (!Number.isInteger(maxConcurrent) || maxConcurrent < 1 || maxConcurrent > bound) {
    throw gatewayError(
      'BAD_USER_INPUT',
      `maxConcurrent must be from 1 to ${bound} (--drain-bulk-max-concurrency)`,
      {
        argument: 'maxConcurrent',
        max: bound,
      },
    );
  }
  return audited(
    ctx,
    { info, cluster: args.cluster ?? undefined, options },
    async () => {
      const selection = await selectNodes(ctx, args, info);
      const denied = await deniedNodes(ctx, selection, (node) =>
        drainNeeds(options, node).map((needs) => ({ cluster: selection.cluster, node, info, needs })),
      );
      const nodes: BulkNodeRequest[] = selection.names.map((name) => {
        const rejected = rejection(selection, denied, name);
        return rejected
          ? { name, rejected: { code: rejected.errorCode, message: rejected.message } }
          : { name };
      });
      return reportingDrainErrors(`draining ${nodes.length} nodes of cluster ${selection.cluster}`, () =>
        ctx.services.drains.bulk.start({
          cluster: selection.cluster,
          nodes,
          options,
          maxConcurrent,
          stopOnFailure: args.stopOnFailure ?? true,
          requestedBy: requesterOf(ctx.caller),
        }),
      );
    },
    (job) => job.id,
  );
}

/** Mutation.cancelBulkDrain: needs what draining its nodes needs (checked on its first node). */
export function cancelBulkDrain(
  ctx: GatewayContext,
  id: string,
  info?: GraphQLResolveInfo,
): Promise<BulkDrainJob> {
  const bulkId = bulkDrainIdArg('id', id);
  return audited(
    ctx,
    { info },
    async () => {
      const job = await visibleBulk(ctx, bulkId, info);
      if (!job) throw gatewayError('NOT_FOUND', `no bulk drain with id ${bulkId}`);
      const checks = drainNeeds(job.options).map((needs) => ({ cluster: job.cluster, info, needs }));
      for (const check of checks) {
        const allowed = mayAccess(ctx, check);
        if (allowed && !(await allowed)) throw forbidden(check);
      }
      return reportingDrainErrors(`cancelling bulk drain ${bulkId}`, () =>
        ctx.services.drains.bulk.cancel(bulkId),
      );
    },
    (job) => job.id,
  );
}

/** Query.bulkDrainJob (and Query.node for a bulk id): null when unknown, expired or not visible. */
export async function bulkDrainJob(
  ctx: GatewayContext,
  id: string,
  info?: GraphQLResolveInfo,
): Promise<BulkDrainJob | null> {
  return (await visibleBulk(ctx, bulkDrainIdArg('id', id), info)) ?? null;
}

/** BulkDrainJob.events: the recorded steps after `afterSequence`, oldest first, `first` at most (default 100). */
export async function bulkDrainEvents(
  ctx: GatewayContext,
  job: Pick<BulkDrainJob, 'id'>,
  args: { afterSequence?: number | null; first?: number | null },
): Promise<DeliveredBulkDrainEvent[]> {
  const limit = pageSize(args.first, ctx.services.config.maxPageSize, 100);
  const events = await reportingDrainErrors(`reading the events of bulk drain ${job.id}`, () =>
    ctx.services.drains.bulk.events(job.id, args.afterSequence ?? 0, limit),
  );
  return events.map((e) => ({ ...e, snapshot: null }));
}

/** BulkDrainNode.drainJob: the node's own drain job, while the store keeps it. */
export async function nodeDrainJob(ctx: GatewayContext, jobId: string | null): Promise<DrainJob | null> {
  if (!jobId) return null;
  return (await reportingDrainErrors(`reading drain ${jobId}`, () => ctx.services.drains.get(jobId))) ?? null;
}

/** What a bulkDrainProgress stream hands its resolver: an event, or the error that ends it. */
export type BulkDrainProgressItem = DeliveredBulkDrainEvent | { readonly failure: Error };

/** Subscription.bulkDrainProgress: needs `get nodes` in the job's cluster, rechecked as drainProgress is. */
export async function subscribeBulkDrainProgress(
  ctx: GatewayContext,
  id: string,
  info?: GraphQLResolveInfo,
): Promise<AsyncIterable<BulkDrainProgressItem>> {
  const bulkId = bulkDrainIdArg('id', id);
  const job = await reportingDrainErrors(`reading bulk drain ${bulkId}`, () =>
    ctx.services.drains.bulk.get(bulkId),
  );
  if (!job) throw gatewayError('NOT_FOUND', `no bulk drain with id ${bulkId}`);
  const checks: AccessCheck[] = [{ cluster: job.cluster, info, needs: { verb: 'get', resource: 'nodes' } }];
  await subscribeChecked(ctx, checks);
  const what = `bulk drain progress of ${bulkId}`;
  const events = withFailureItem(ctx.services.drains.bulk.progress(bulkId), (err) =>
    asGraphQLError(err, what),
  );
  return recheckingAccess(ctx, events, checks, (failure) => ({ failure }));
}

export function bulkDrainEventOf(item: BulkDrainProgressItem): DeliveredBulkDrainEvent {
  if ('failure' in item) throw item.failure;
  return item;
}

/** BulkDrainEvent.job: the snapshot it carries, else the bulk job as stored now. */
export async function bulkOfEvent(
  ctx: GatewayContext,
  event: DeliveredBulkDrainEvent,
): Promise<BulkDrainJob> {
  if (event.snapshot) return event.snapshot;
  const job = await reportingDrainErrors(`reading bulk drain ${event.bulkId}`, () =>
    ctx.services.drains.bulk.get(event.bulkId),
  );
  if (!job) throw gatewayError('NOT_FOUND', `bulk drain ${event.bulkId} has expired`);
  return job;
}

async function visibleBulk(
  ctx: GatewayContext,
  id: string,
  info: GraphQLResolveInfo | undefined,
): Promise<BulkDrainJob | undefined> {
  const job = await reportingDrainErrors(`reading bulk drain ${id}`, () => ctx.services.drains.bulk.get(id));
  if (!job) return undefined;
  return (await maySeeJobsOf(ctx, job.cluster, info)) ? job : undefined;
}

/**
 * The nodes the caller may not act on (SAR per node, answers cached per operation); a FORBIDDEN
 * error when that is every node the cache knows, so a caller without rights learns it at once.
 */
async function deniedNodes(
  ctx: GatewayContext,
  selection: BulkSelection,
  checksOf: (node: string) => AccessCheck[],
): Promise<Set<string>> {
  const denied = new Map<string, AccessCheck>();
  const known = selection.names.filter((n) => !selection.unknown.has(n));
  for (const node of known) {
    for (const check of checksOf(node)) {
      const allowed = mayAccess(ctx, check);
      if (allowed && !(await allowed)) {
        denied.set(node, check);
        break;
      }
    }
  }
  const first = denied.values().next().value;
  if (first && denied.size === known.length) throw forbidden(first);
  return new Set(denied.keys());
}

function rejection(
  selection: BulkSelection,
  denied: ReadonlySet<string>,
  name: string,
): { errorCode: string; message: string } | undefined {
  if (selection.unknown.has(name))
    return { errorCode: 'NOT_FOUND', message: `node "${name}" not found in cluster "${selection.cluster}"` };
  if (denied.has(name))
    return {
      errorCode: 'FORBIDDEN',
      message: `not allowed to drain or patch node "${name}" in cluster "${selection.cluster}"`,
    };
  return undefined;
}

function asGraphQLError(err: unknown, what: string): GraphQLError {
  try {
    return drainErrorToGraphQL(err, what);
  } catch (e) {
    if (e instanceof GraphQLError) return e;
    return gatewayError('INTERNAL_SERVER_ERROR', `${what}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function codeOf(error: GraphQLError): string {
  const code = error.extensions.code;
  return typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR';
}
