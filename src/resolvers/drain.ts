import type { GraphQLError, GraphQLResolveInfo } from 'graphql';
import type { ResourceAttributes } from '../auth/authorizer.js';
import type { Caller } from '../auth/caller.js';
import type { DrainProgressEvent } from '../drain/drain-event.js';
import type { DrainJob, DrainRequester } from '../drain/drain-job.js';
import { type DrainOptions, type DrainOptionsInput, resolveDrainOptions } from '../drain/drain-options.js';
import type { DeliveredDrainEvent } from '../drain/drain-progress-stream.js';
import type { GatewayContext } from '../server/context.js';
import { recheckingAccess, subscribeChecked } from './access-recheck.js';
import { checkedName, checkedOptionalName } from './argument-checks.js';
import { type AccessCheck, audited, mayAccess, requireAll } from './authorize.js';
import { pageSize } from './connection.js';
import { drainErrorToGraphQL, gatewayError, reportingDrainErrors } from './graphql-errors.js';
import { drainJobIdArg } from './relay-ids.js';
import { servedCluster } from './served-cluster.js';

/**
 * What `kubectl drain` needs: patch the node, then evict its pods (or delete them with
 * disableEviction), in any namespace. Checked before a job is created; the job's calls
 * impersonate the requester, so the cluster enforces it again.
 */
export function drainNeeds(
  options: Pick<DrainOptions, 'disableEviction'>,
  node?: string,
): ResourceAttributes[] {
  return [
    { verb: 'patch', resource: 'nodes', name: node },
    options.disableEviction
      ? { verb: 'delete', resource: 'pods' }
      : { verb: 'create', resource: 'pods', subresource: 'eviction' },
  ];
}

/** Who asked, as the job stores it; null for the anonymous caller of `--auth none`. */
export function requesterOf(caller: Caller): DrainRequester | null {
  if (caller.anonymous) return null;
  const who: DrainRequester = { username: caller.username, groups: [...caller.groups] };
  if (caller.uid !== undefined) who.uid = caller.uid;
  if (caller.extra) who.extra = Object.fromEntries(Object.entries(caller.extra).map(([k, v]) => [k, [...v]]));
  return who;
}

/** Mutation.drainNode: validates, checks access, then queues the drain (or returns the node's active one). */
export function drainNode(
  ctx: GatewayContext,
  args: { cluster?: string | null; name: string; options?: DrainOptionsInput | null },
  info?: GraphQLResolveInfo,
): Promise<DrainJob> {
  checkedName('nodeName', 'name', args.name);
  const cluster = servedCluster(ctx, args.cluster).name;
  const resolved = resolveDrainOptions(args.options);
  if (!resolved.ok) {
    throw gatewayError('BAD_USER_INPUT', `invalid drain options: ${resolved.problems.join('; ')}`, {
      argument: 'options',
      problems: resolved.problems,
    });
  }
  const { options } = resolved;
  const where = { info, cluster, node: args.name, options };
  return audited(
    ctx,
    where,
    async () => {
      await requireAll(ctx, drainChecks(options, where));
      return reportingDrainErrors(`draining node ${args.name} of cluster ${cluster}`, () =>
        ctx.services.drains.startDrain(cluster, args.name, options, requesterOf(ctx.caller)),
      );
    },
    (job) => job.id,
  );
}

function drainChecks(
  options: DrainOptions,
  where: { info?: GraphQLResolveInfo; cluster: string; node: string; options?: unknown },
): AccessCheck[] {
  return drainNeeds(options, where.node).map((needs) => ({ ...where, needs }));
}

/** Mutation.cancelDrain: needs what draining the job's node needs. */
export async function cancelDrain(
  ctx: GatewayContext,
  id: string,
  info?: GraphQLResolveInfo,
): Promise<DrainJob> {
  const jobId = drainJobIdArg('id', id);
  return audited(
    ctx,
    { info },
    async () => {
      const job = await visibleJob(ctx, jobId, info);
      if (!job) throw gatewayError('NOT_FOUND', `no drain job with id ${jobId}`);
      await requireAll(ctx, drainChecks(job.options, { info, cluster: job.cluster, node: job.node }));
      return reportingDrainErrors(`cancelling drain ${jobId}`, () => ctx.services.drains.cancel(jobId));
    },
    (job) => job.id,
  );
}

/** A job only for callers who may `get nodes` in its cluster (else as if it did not exist). */
async function visibleJob(
  ctx: GatewayContext,
  id: string,
  info: GraphQLResolveInfo | undefined,
): Promise<DrainJob | undefined> {
  const job = await reportingDrainErrors(`reading drain ${id}`, () => ctx.services.drains.get(id));
  if (!job || (await maySeeJobsOf(ctx, job.cluster, info))) return job;
  return undefined;
}

/** Whether the caller may see drain and bulk jobs of `cluster`: `get nodes` there. */
export async function maySeeJobsOf(
  ctx: GatewayContext,
  cluster: string,
  info: GraphQLResolveInfo | undefined,
): Promise<boolean> {
  return (await mayAccess(ctx, jobsCheck(cluster, info))) ?? true;
}

/** `info` names the field in the audit record of a denial. */
function jobsCheck(cluster: string, info?: GraphQLResolveInfo): AccessCheck {
  return { cluster, info, needs: { verb: 'get', resource: 'nodes' } };
}

export async function drainJob(
  ctx: GatewayContext,
  id: string,
  info?: GraphQLResolveInfo,
): Promise<DrainJob | null> {
  return (await visibleJob(ctx, drainJobIdArg('id', id), info)) ?? null;
}

/** Query.drainJobs: only jobs of clusters where the caller may `get nodes`. */
export async function drainJobs(
  ctx: GatewayContext,
  args: { cluster?: string | null; node?: string | null; active?: boolean | null; first?: number | null },
  info?: GraphQLResolveInfo,
): Promise<DrainJob[]> {
  checkedOptionalName('nodeName', 'node', args.node);
  const limit = pageSize(args.first, ctx.services.config.maxPageSize, 50);
  const filter = {
    cluster: args.cluster ?? undefined,
    node: args.node ?? undefined,
    active: args.active ?? undefined,
    limit,
  };
  const jobs = await reportingDrainErrors('listing drain jobs', () => ctx.services.drains.list(filter));
  if (ctx.caller.anonymous) return jobs;
  const clusters = [...new Set(jobs.map((j) => j.cluster))];
  const visible = new Set<string>();
  await Promise.all(
    clusters.map(async (c) => {
      if (await maySeeJobsOf(ctx, c, info)) visible.add(c);
    }),
  );
  return jobs.filter((j) => visible.has(j.cluster));
}

/** DrainJob.events: the recorded steps after `afterSequence`, oldest first, `first` at most (default 100). */
export function drainJobEvents(
  ctx: GatewayContext,
  job: Pick<DrainJob, 'id'>,
  args: { afterSequence?: number | null; first?: number | null },
): Promise<DrainProgressEvent[]> {
  const limit = pageSize(args.first, ctx.services.config.maxPageSize, 100);
  return reportingDrainErrors(`reading the events of drain ${job.id}`, () =>
    ctx.services.drains.events(job.id, args.afterSequence ?? 0, limit),
  );
}

/** DrainProgressEvent.job: the snapshot the event carries, else the job as stored now. */
export async function jobOfEvent(ctx: GatewayContext, event: DeliveredDrainEvent): Promise<DrainJob> {
  if (event.snapshot) return event.snapshot;
  const job = await reportingDrainErrors(`reading drain ${event.jobId}`, () =>
    ctx.services.drains.get(event.jobId),
  );
  if (!job) throw gatewayError('NOT_FOUND', `drain job ${event.jobId} has expired`);
  return job;
}

/** What a drainProgress stream hands to its resolver: an event, or the error that ends the stream. */
export type DrainProgressItem = DeliveredDrainEvent | { readonly failure: GraphQLError };

/**
 * Subscription.drainProgress. An unknown job fails the subscription at once; a stream that
 * breaks later (Redis unreachable, reader too slow) ends with one error result saying why.
 */
export async function subscribeDrainProgress(
  ctx: GatewayContext,
  id: string,
  info?: GraphQLResolveInfo,
): Promise<AsyncIterable<DrainProgressItem>> {
  const jobId = drainJobIdArg('id', id);
  const job = await reportingDrainErrors(`reading drain ${jobId}`, () => ctx.services.drains.get(jobId));
  if (!job) throw gatewayError('NOT_FOUND', `no drain job with id ${jobId}`);
  // Seeing a job needs `get nodes` in its cluster, checked now and every --authz-recheck.
  const checks = [{ ...jobsCheck(job.cluster, info), node: job.node }];
  await subscribeChecked(ctx, checks);
  const what = `drain progress of ${jobId}`;
  const events = withFailureItem(ctx.services.drains.progress(jobId), (err) => failureOf(err, what));
  return recheckingAccess(ctx, events, checks, (failure) => ({ failure }));
}

export function drainProgressEventOf(item: DrainProgressItem): DeliveredDrainEvent {
  if ('failure' in item) throw item.failure;
  return item;
}

/**
 * A progress stream whose breakage becomes one last item carrying the error, so the subscription
 * ends with a result saying why. Not an async generator: its return() must reach the stream at
 * once, even while a next() waits.
 */
export function withFailureItem<T>(
  events: AsyncIterableIterator<T>,
  failure: (err: unknown) => GraphQLError,
): AsyncIterableIterator<T | { readonly failure: GraphQLError }> {
  let failed = false;
  return {
    async next(): Promise<IteratorResult<T | { readonly failure: GraphQLError }>> {
      if (failed) return { done: true, value: undefined };
      try {
        return await events.next();
      } catch (err) {
        failed = true;
        return { done: false, value: { failure: failure(err) } };
      }
    },
    async return(): Promise<IteratorResult<T | { readonly failure: GraphQLError }>> {
      await events.return?.();
      return { done: true, value: undefined };
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

function failureOf(err: unknown, what: string): GraphQLError {
  try {
    return drainErrorToGraphQL(err, what);
  } catch {
    const message = err instanceof Error ? err.message : String(err);
    return gatewayError('UPSTREAM_UNAVAILABLE', `${what} ended: ${message}`);
  }
}
