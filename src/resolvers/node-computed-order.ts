import type { GraphQLResolveInfo } from 'graphql';
import type { CachedNode } from '../informers/node-projection.js';
import {
  type ComputedOrderField,
  isComputedOrderField,
  type NodePredicate,
  NodeQueryError,
  type NodeValue,
  pageOfNodesByValue,
  type SortDirection,
} from '../informers/node-query.js';
import { allocatedView, usageView } from '../pods/node-resource-views.js';
import type { GatewayContext } from '../server/context.js';
import { invalidAfter } from './connection.js';
import { gatewayError } from './graphql-errors.js';
import { requestNodeUsage } from './node-resources.js';
import { requestPodAllocations, requestPodCounts } from './pods.js';

/** An inclusive range; either end may be left open. */
export interface ValueRange {
  min?: number | null;
  max?: number | null;
}

/** NodeFilter fields whose values are not in the node cache. */
export interface ComputedNodeFilter {
  podCount?: ValueRange | null;
  cpuRequestsFraction?: ValueRange | null;
  memoryRequestsFraction?: ValueRange | null;
  cpuUsageFraction?: ValueRange | null;
  memoryUsageFraction?: ValueRange | null;
}

type Metric = keyof ComputedNodeFilter | 'cpuLimitsFraction' | 'memoryLimitsFraction';

const METRIC_OF_ORDER: Readonly<Record<ComputedOrderField, Metric>> = {
  POD_COUNT: 'podCount',
  CPU_REQUESTS_FRACTION: 'cpuRequestsFraction',
  MEMORY_REQUESTS_FRACTION: 'memoryRequestsFraction',
  CPU_LIMITS_FRACTION: 'cpuLimitsFraction',
  MEMORY_LIMITS_FRACTION: 'memoryLimitsFraction',
  CPU_USAGE_FRACTION: 'cpuUsageFraction',
  MEMORY_USAGE_FRACTION: 'memoryUsageFraction',
};
const FILTER_METRICS: readonly (keyof ComputedNodeFilter)[] = [
  'podCount',
  'cpuRequestsFraction',
  'memoryRequestsFraction',
  'cpuUsageFraction',
  'memoryUsageFraction',
];
const USAGE: ReadonlySet<Metric> = new Set(['cpuUsageFraction', 'memoryUsageFraction']);
const ALLOCATION: ReadonlySet<Metric> = new Set([
  'cpuRequestsFraction',
  'memoryRequestsFraction',
  'cpuLimitsFraction',
  'memoryLimitsFraction',
]);

export interface ComputedPageArgs {
  field: string;
  direction: SortDirection;
  filter: ComputedNodeFilter | null | undefined;
  first: number | undefined;
  after: string | undefined;
}

/** Whether a nodes query orders or filters by values the node cache does not hold. */
export function needsComputedValues(field: string, filter: ComputedNodeFilter | null | undefined): boolean {
  return isComputedOrderField(field) || FILTER_METRICS.some((m) => filter?.[m] != null);
}

/** Ranges checked before any API call: finite numbers, min <= max. */
export function checkRanges(filter: ComputedNodeFilter | null | undefined): void {
  for (const metric of FILTER_METRICS) {
    const range = filter?.[metric];
    if (!range) continue;
    const { min, max } = range;
    for (const [end, v] of [
      ['min', min],
      ['max', max],
    ] as const) {
      if (v != null && !Number.isFinite(v)) {
        throw gatewayError('BAD_USER_INPUT', `filter.${metric}.${end} must be a finite number`, {
          argument: `filter.${metric}`,
        });
      }
    }
    if (min != null && max != null && min > max) {
      throw gatewayError('BAD_USER_INPUT', `filter.${metric}: min (${min}) is above max (${max})`, {
        argument: `filter.${metric}`,
      });
    }
  }
}

/**
 * A page of nodes ordered and/or filtered by pod counts, allocated fractions or usage fractions.
 * The values are computed for every candidate node once per request, from the request's one pod
 * LIST chain (shared with podCount and allocated) and/or its one metrics LIST, then sorted by
 * (value, name); cursors carry the value and the name. A failing source fails the field (a list
 * cannot be ordered by values it does not have): FORBIDDEN without `list pods` /
 * `list nodes.metrics.k8s.io`, UPSTREAM_UNAVAILABLE when the cluster serves no metrics API.
 */
export async function computedNodePage(
  ctx: GatewayContext,
  cluster: string,
  view: readonly CachedNode[],
  predicate: NodePredicate | undefined,
  args: ComputedPageArgs,
  info: GraphQLResolveInfo | undefined,
) {
  const order = isComputedOrderField(args.field) ? args.field : undefined;
  const metrics = new Set<Metric>(FILTER_METRICS.filter((m) => args.filter?.[m] != null));
  if (order) metrics.add(METRIC_OF_ORDER[order]);
  const metricValue = await valueFunctions(ctx, cluster, metrics, info);
  const ranges = FILTER_METRICS.flatMap((m) => {
    const range = args.filter?.[m];
    return range ? [{ value: metricValue(m), range }] : [];
  });
  const nodes = view.filter(
    (n) => (!predicate || predicate(n)) && ranges.every(({ value, range }) => inRange(value(n), range)),
  );
  const field = order ?? 'POD_COUNT';
  const sortValue: NodeValue = order ? metricValue(METRIC_OF_ORDER[order]) : () => null;
  ctx.responseExtensions.computedOrder = [
    ...((ctx.responseExtensions.computedOrder as unknown[] | undefined) ?? []),
    { cluster, values: [...metrics], at: new Date().toISOString() },
  ];
  try {
    return pageOfNodesByValue({
      nodes,
      field,
      direction: args.direction,
      valueOf: sortValue,
      first: args.first,
      after: args.after,
    });
  } catch (err) {
    if (err instanceof NodeQueryError) throw invalidAfter(err.message);
    throw err;
  }
}

function inRange(value: number | null, range: ValueRange): boolean {
  if (value === null) return false;
  return (range.min == null || value >= range.min) && (range.max == null || value <= range.max);
}

async function valueFunctions(
  ctx: GatewayContext,
  cluster: string,
  metrics: ReadonlySet<Metric>,
  info: GraphQLResolveInfo | undefined,
): Promise<(metric: Metric) => NodeValue> {
  const wantsAllocation = [...metrics].some((m) => ALLOCATION.has(m));
  const wantsUsage = [...metrics].some((m) => USAGE.has(m));
  const [counts, allocations, usage] = await Promise.all([
    metrics.has('podCount') && !wantsAllocation ? requestPodCounts(ctx, cluster, info) : undefined,
    wantsAllocation ? requestPodAllocations(ctx, cluster, info) : undefined,
    wantsUsage ? requestNodeUsage(ctx, cluster) : undefined,
  ]);
  const podCounts = (allocations ?? counts)?.counts;
  const allocated = (n: CachedNode) =>
    allocatedView(allocations?.allocations.get(n.name), podCounts?.get(n.name) ?? 0, n.allocatable);
  const used = (n: CachedNode) => {
    const sample = usage?.nodes.get(n.name);
    return sample ? usageView(sample, n.allocatable) : undefined;
  };
  return (metric) => {
    switch (metric) {
      case 'podCount':
        return (n) => podCounts?.get(n.name) ?? 0;
      case 'cpuRequestsFraction':
        return (n) => allocated(n).requests.cpu.fraction;
      case 'memoryRequestsFraction':
        return (n) => allocated(n).requests.memory.fraction;
      case 'cpuLimitsFraction':
        return (n) => allocated(n).limits.cpu.fraction;
      case 'memoryLimitsFraction':
        return (n) => allocated(n).limits.memory.fraction;
      case 'cpuUsageFraction':
        return (n) => used(n)?.cpu.fraction ?? null;
      case 'memoryUsageFraction':
        return (n) => used(n)?.memory.fraction ?? null;
    }
  };
}
