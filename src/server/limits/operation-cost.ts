import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  getNamedType,
  getNullableType,
  getOperationAST,
  isCompositeType,
  isListType,
  isObjectType,
  Kind,
  type SelectionSetNode,
  type ValueNode,
  valueFromASTUntyped,
} from 'graphql';

/**
 * What an operation costs the gateway and the cluster, estimated from the document before it
 * runs. graphql-armor's cost-limit cannot express this (it prices objects and scalars by depth,
 * with no per-field cost and no list multiplier), hence our own estimator.
 *
 * Units: 1 per object built from memory, 1000 per Kubernetes API call. A field with a `first`
 * argument multiplies its items by `first` (clamped to 0..maxPageSize; omitted: its default,
 * else maxPageSize); on a connection the items are its list fields (nodes, edges). Other list
 * fields (labels, taints, ...) count `listSize` items.
 */
export interface CostModel {
  readonly maxPageSize: number;
  /** Assumed length of a list without `first`. @default 10 */
  readonly listSize?: number;
}

/** Fields that cost more than the object they return, by schema coordinate. */
export interface FieldCost {
  /** Added per resolved field (once for a whole list field), so multiplied by the lists around it. */
  readonly each?: number;
  /** Added once per operation however often the field resolves (a request-wide batched LIST). */
  readonly once?: number;
  /**
   * Fields (and arguments) that share one request-wide call name the same key: the call is priced
   * once, at the dearest of them (podCount and allocated read one pod LIST chain).
   */
  readonly shared?: string;
}

export const API_CALL = 1000;

/** The full-pod LIST chain reads ~15x the bytes of the Table rows podCount needs (bench/pods-bench). */
const FULL_POD_LIST = 3 * API_CALL;

export const FIELD_COSTS: Readonly<Record<string, FieldCost>> = {
  // All podCounts of a request share one cluster-wide pod LIST (a DataLoader).
  'KubeNode.podCount': { each: 1, once: API_CALL, shared: 'pod-list' },
  // The same chain, of full pods: every pod's containers are read.
  'KubeNode.allocated': { each: 1, once: FULL_POD_LIST, shared: 'pod-list' },
  // One LIST of nodes.metrics.k8s.io per request.
  'KubeNode.usage': { each: 1, once: API_CALL, shared: 'metrics-list' },
  // One LIST of events per node: never cached.
  'KubeNode.events': { each: API_CALL },
  // One pod LIST per node: `{ nodes { nodes { pods { totalCount } } } }` is a LIST per node.
  'KubeNode.pods': { each: API_CALL },
  // A job store (or Redis) read per job.
  'DrainJob.events': { each: 10 },
  'Query.drainJob': { each: 10 },
  'Query.drainJobs': { each: 10 },
  // A drain cordons, LISTs and evicts every pod of a node: the costliest thing the API offers.
  'Mutation.drainNode': { each: 10 * API_CALL },
  'Mutation.cancelDrain': { each: API_CALL },
  'Mutation.cordonNode': { each: API_CALL },
  'Mutation.uncordonNode': { each: API_CALL },
  // One merge patch; taints may first GET the node at the version the edit names.
  'Mutation.setNodeLabels': { each: API_CALL },
  'Mutation.setNodeTaints': { each: 2 * API_CALL },
  // A Pod id is a GET (pods are never cached); other types are memory or a store read.
  'Query.node': { each: API_CALL },
  // Bulk: bounded by --drain-bulk-max-nodes and maxConcurrent rather than by the cost limit, which
  // would otherwise refuse any bulk beyond a few nodes; priced as the costliest single mutation.
  'Mutation.drainNodes': { each: 10 * API_CALL },
  'Mutation.cordonNodes': { each: 10 * API_CALL },
  'Mutation.uncordonNodes': { each: 10 * API_CALL },
  'Mutation.cancelBulkDrain': { each: API_CALL },
  'Query.bulkDrainJob': { each: 10 },
  'BulkDrainJob.events': { each: 10 },
  // A job store read per node.
  'BulkDrainNode.drainJob': { each: 10 },
};

type Variables = Readonly<Record<string, unknown>> | null | undefined;

/**
 * What ordering or filtering `Query.nodes` by values outside the node cache costs: they are
 * computed for every node from the request's pod LIST chain or metrics LIST (shared with the
 * fields that read the same call).
 */
const COMPUTED_ORDER_COSTS: Readonly<Record<string, FieldCost>> = {
  POD_COUNT: { once: API_CALL, shared: 'pod-list' },
  CPU_REQUESTS_FRACTION: { once: FULL_POD_LIST, shared: 'pod-list' },
  MEMORY_REQUESTS_FRACTION: { once: FULL_POD_LIST, shared: 'pod-list' },
  CPU_LIMITS_FRACTION: { once: FULL_POD_LIST, shared: 'pod-list' },
  MEMORY_LIMITS_FRACTION: { once: FULL_POD_LIST, shared: 'pod-list' },
  CPU_USAGE_FRACTION: { once: API_CALL, shared: 'metrics-list' },
  MEMORY_USAGE_FRACTION: { once: API_CALL, shared: 'metrics-list' },
};
const COMPUTED_FILTER_COSTS: Readonly<Record<string, FieldCost>> = {
  podCount: COMPUTED_ORDER_COSTS.POD_COUNT!,
  cpuRequestsFraction: COMPUTED_ORDER_COSTS.CPU_REQUESTS_FRACTION!,
  memoryRequestsFraction: COMPUTED_ORDER_COSTS.MEMORY_REQUESTS_FRACTION!,
  cpuUsageFraction: COMPUTED_ORDER_COSTS.CPU_USAGE_FRACTION!,
  memoryUsageFraction: COMPUTED_ORDER_COSTS.MEMORY_USAGE_FRACTION!,
};

/** The request-wide calls a Query.nodes orderBy / filter argument makes. */
function computedArgumentCosts(field: FieldNode, variables: Variables): FieldCost[] {
  const costs: FieldCost[] = [];
  for (const arg of field.arguments ?? []) {
    let value: unknown;
    try {
      value = valueFromASTUntyped(arg.value, variables ?? undefined);
    } catch {
      continue;
    }
    if (!value || typeof value !== 'object') continue;
    const input = value as Record<string, unknown>;
    if (arg.name.value === 'orderBy' && typeof input.field === 'string') {
      const cost = COMPUTED_ORDER_COSTS[input.field];
      if (cost) costs.push(cost);
    }
    if (arg.name.value === 'filter') {
      for (const [key, v] of Object.entries(input)) {
        const cost = COMPUTED_FILTER_COSTS[key];
        if (cost && v != null) costs.push(cost);
      }
    }
  }
  return costs;
}

/** The estimated cost of the operation `operationName` selects; 0 when there is none. */
export function estimateOperationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Variables,
  model: CostModel,
): number {
  const operation = getOperationAST(document, operationName ?? undefined);
  const root = operation && schema.getRootType(operation.operation);
  if (!operation || !root) return 0;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions)
    if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const variableDefaults = new Map<string, ValueNode>();
  for (const v of operation.variableDefinitions ?? []) {
    if (v.defaultValue) variableDefaults.set(v.variable.name.value, v.defaultValue);
  }
  const once = new Map<string, number>();
  const listSize = model.listSize ?? 10;
  const visiting = new Set<string>();

  const pageSize = (field: GraphQLField<unknown, unknown>, value: ValueNode | undefined): number => {
    let n: unknown;
    if (value?.kind === Kind.INT) n = Number(value.value);
    else if (value?.kind === Kind.VARIABLE) {
      const name = value.name.value;
      n = variables?.[name];
      const fallback = variableDefaults.get(name);
      if (n === undefined && fallback?.kind === Kind.INT) n = Number(fallback.value);
    }
    if (n === undefined || n === null) n = field.args.find((a) => a.name === 'first')?.defaultValue;
    if (typeof n !== 'number' || !Number.isFinite(n)) return model.maxPageSize;
    return Math.min(Math.max(Math.trunc(n), 0), model.maxPageSize);
  };

  /** Cost of a selection set on `parent`; `items` is how many each list field holds. */
  const selectionCost = (set: SelectionSetNode, parent: GraphQLCompositeType, items?: number): number => {
    let total = 0;
    for (const selection of set.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        if (isCompositeType(type)) total += selectionCost(selection.selectionSet, type, items);
        continue;
      }
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        const type = fragment && schema.getType(fragment.typeCondition.name.value);
        // Validation refuses fragment cycles; the guard keeps the estimate finite regardless.
        if (!fragment || !isCompositeType(type) || visiting.has(name)) continue;
        visiting.add(name);
        total += selectionCost(fragment.selectionSet, type, items);
        visiting.delete(name);
        continue;
      }
      const name = selection.name.value;
      if (name.startsWith('__') || !('getFields' in parent)) continue;
      const field = parent.getFields()[name];
      if (!field) continue;
      const coordinate = `${parent.name}.${name}`;
      const extra = FIELD_COSTS[coordinate];
      const addOnce = (cost: FieldCost, key: string) => {
        if (cost.once) once.set(cost.shared ?? key, Math.max(once.get(cost.shared ?? key) ?? 0, cost.once));
      };
      if (extra) addOnce(extra, coordinate);
      if (coordinate === 'Query.nodes') {
        for (const cost of computedArgumentCosts(selection, variables)) addOnce(cost, coordinate);
      }
      const named = getNamedType(field.type);
      const object = isObjectType(named) ? 1 : 0;
      const each = extra?.each ?? 0;
      const isList = isListType(getNullableType(field.type));
      const paged = field.args.some((a) => a.name === 'first');
      const first = paged
        ? pageSize(field, selection.arguments?.find((a) => a.name.value === 'first')?.value)
        : undefined;
      const children = (perList?: number) =>
        selection.selectionSet && isCompositeType(named)
          ? selectionCost(selection.selectionSet, named, perList)
          : 0;
      // A list field's own cost is one call for the whole list (one store read for 100 events).
      if (isList) total += each + (first ?? items ?? listSize) * (object + children());
      // A connection: its lists hold `first` items.
      else if (first !== undefined) total += each + object + children(first);
      else total += each + object + children();
    }
    return total;
  };

  let total = selectionCost(operation.selectionSet, root);
  for (const cost of once.values()) total += cost;
  return total;
}
