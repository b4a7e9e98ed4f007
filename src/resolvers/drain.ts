import type { GraphQLError } from 'graphql';
import type { DrainProgressEvent } from '../drain/drain-event.js';
import type { DrainJob } from '../drain/drain-job.js';
import { type DrainOptionsInput, resolveDrainOptions } from '../drain/drain-options.js';
import type { DeliveredDrainEvent } from '../drain/drain-progress-stream.js';
import type { GatewayContext } from '../server/context.js';
import { checkedName, checkedOptionalName } from './argument-checks.js';
import { pageSize } from './connection.js';
import { drainErrorToGraphQL, gatewayError, reportingDrainErrors } from './graphql-errors.js';
import { servedCluster } from './served-cluster.js';

/** Mutation.drainNode: validates, then queues the drain (or returns the node's active one). */
export function drainNode(
  ctx: GatewayContext,
  args: { cluster?: string | null; name: string; options?: DrainOptionsInput | null },
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
  return reportingDrainErrors(`draining node ${args.name} of cluster ${cluster}`, () =>
    ctx.services.drains.startDrain(cluster, args.name, resolved.options),
  );
}

export function cancelDrain(ctx: GatewayContext, id: string): Promise<DrainJob> {
  checkedName('drainJobId', 'id', id);
  return reportingDrainErrors(`cancelling drain ${id}`, () => ctx.services.drains.cancel(id));
}

export async function drainJob(ctx: GatewayContext, id: string): Promise<DrainJob | null> {
  checkedName('drainJobId', 'id', id);
  return (await reportingDrainErrors(`reading drain ${id}`, () => ctx.services.drains.get(id))) ?? null;
}

export function drainJobs(
  ctx: GatewayContext,
  args: { cluster?: string | null; node?: string | null; active?: boolean | null; first?: number | null },
): Promise<DrainJob[]> {
  checkedOptionalName('nodeName', 'node', args.node);
  const limit = pageSize(args.first, ctx.services.config.maxPageSize, 50);
  const filter = {
    cluster: args.cluster ?? undefined,
    node: args.node ?? undefined,
    active: args.active ?? undefined,
    limit,
  };
  return reportingDrainErrors('listing drain jobs', () => ctx.services.drains.list(filter));
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
): Promise<AsyncIterable<DrainProgressItem>> {
  checkedName('drainJobId', 'id', id);
  const job = await reportingDrainErrors(`reading drain ${id}`, () => ctx.services.drains.get(id));
  if (!job) throw gatewayError('NOT_FOUND', `no drain job with id ${id}`);
  return withFailureItem(ctx.services.drains.progress(id), `drain progress of ${id}`);
}

export function drainProgressEventOf(item: DrainProgressItem): DeliveredDrainEvent {
  if ('failure' in item) throw item.failure;
  return item;
}

/** Not an async generator: its return() must reach the stream at once, even while a next() waits. */
function withFailureItem(
  events: AsyncIterableIterator<DeliveredDrainEvent>,
  what: string,
): AsyncIterableIterator<DrainProgressItem> {
  let failed = false;
  return {
    async next(): Promise<IteratorResult<DrainProgressItem>> {
      if (failed) return { done: true, value: undefined };
      try {
        return await events.next();
      } catch (err) {
        failed = true;
        return { done: false, value: { failure: failureOf(err, what) } };
      }
    },
    async return(): Promise<IteratorResult<DrainProgressItem>> {
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
