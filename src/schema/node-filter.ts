import { builder } from './builder.js';

const IntRangeRef = builder.inputType('IntRange', {
  description: 'An inclusive range; either end may be omitted',
  fields: (t) => ({ min: t.int(), max: t.int() }),
});

const FractionRangeRef = builder.inputType('FractionRange', {
  description: 'An inclusive range of shares (0.5 = 50%); either end may be omitted',
  fields: (t) => ({ min: t.float(), max: t.float() }),
});

export const NodeFilterRef = builder.inputType('NodeFilter', {
  description: 'Node conditions; every field given must hold',
  fields: (t) => ({
    labelSelector: t.string({
      description: 'Kubernetes label selector, equality- and set-based: "zone=a,tier in (web,api),!spot"',
    }),
    ready: t.boolean({ description: 'Ready condition is True (true) or not (false)' }),
    schedulable: t.boolean({ description: 'Not cordoned (true) or cordoned (false)' }),
    role: t.string({ description: 'Has this role, e.g. control-plane, worker' }),
    taintKey: t.string({ description: 'Has a taint with this key, whatever its value and effect' }),
    nameContains: t.string({ description: 'Name contains this text (case-insensitive)' }),
    podCount: t.field({
      type: IntRangeRef,
      description: 'Non-terminal pods on the node (reads the pod LIST, as podCount: needs list pods)',
    }),
    cpuRequestsFraction: t.field({
      type: FractionRangeRef,
      description: 'allocated.requests.cpu.fraction (reads every pod: needs list pods)',
    }),
    memoryRequestsFraction: t.field({
      type: FractionRangeRef,
      description: 'allocated.requests.memory.fraction (reads every pod: needs list pods)',
    }),
    cpuUsageFraction: t.field({
      type: FractionRangeRef,
      description: 'usage.cpu.fraction (reads the metrics API); nodes without a sample never match',
    }),
    memoryUsageFraction: t.field({
      type: FractionRangeRef,
      description: 'usage.memory.fraction (reads the metrics API); nodes without a sample never match',
    }),
  }),
});

export const NodeOrderFieldEnum = builder.enumType('NodeOrderField', {
  values: {
    NAME: { description: 'Node name' },
    CREATED_AT: { description: 'Creation time, then name' },
    // Not in the node cache: computed for every node once per request, then sorted; nodes without
    // a value (no metrics sample) come last in both directions.
    POD_COUNT: { description: 'podCount, then name (one pod LIST per request)' },
    CPU_REQUESTS_FRACTION: { description: 'allocated.requests.cpu.fraction, then name' },
    MEMORY_REQUESTS_FRACTION: { description: 'allocated.requests.memory.fraction, then name' },
    CPU_LIMITS_FRACTION: { description: 'allocated.limits.cpu.fraction, then name' },
    MEMORY_LIMITS_FRACTION: { description: 'allocated.limits.memory.fraction, then name' },
    CPU_USAGE_FRACTION: { description: 'usage.cpu.fraction, then name (one metrics LIST per request)' },
    MEMORY_USAGE_FRACTION: { description: 'usage.memory.fraction, then name' },
  } as const,
});

export const SortDirectionEnum = builder.enumType('SortDirection', {
  values: ['ASC', 'DESC'] as const,
});

export const NodeOrderRef = builder.inputType('NodeOrder', {
  fields: (t) => ({
    field: t.field({ type: NodeOrderFieldEnum, required: true }),
    direction: t.field({ type: SortDirectionEnum, defaultValue: 'ASC' }),
  }),
});
