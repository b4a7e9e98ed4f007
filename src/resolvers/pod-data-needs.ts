import {
  type FieldNode,
  type GraphQLResolveInfo,
  getArgumentValues,
  getNamedType,
  isObjectType,
  Kind,
  type SelectionSetNode,
} from 'graphql';
import type { GatewayContext } from '../server/context.js';

/** NodeOrder fields and NodeFilter fields that need each node's allocated sums. */
export const ALLOCATION_ORDER_FIELDS: ReadonlySet<string> = new Set([
  'CPU_REQUESTS_FRACTION',
  'MEMORY_REQUESTS_FRACTION',
  'CPU_LIMITS_FRACTION',
  'MEMORY_LIMITS_FRACTION',
]);
export const ALLOCATION_FILTER_FIELDS: ReadonlySet<string> = new Set([
  'cpuRequestsFraction',
  'memoryRequestsFraction',
]);

/**
 * Whether anything in this operation needs the pods' requests (`KubeNode.allocated`, or a nodes
 * list ordered or filtered by them). Decided once per operation from the whole document, before
 * the first pod LIST starts, so that podCount and allocated share ONE chain: the full-pod chain
 * when requests are needed, the cheaper Table chain when only counts are.
 */
export function operationNeedsAllocations(ctx: GatewayContext, info: GraphQLResolveInfo): boolean {
  return ctx.scope.memo('pods:needs-allocations', () => {
    const root = info.schema.getRootType(info.operation.operation);
    return root ? needsIn(info, info.operation.selectionSet, root.name, new Set()) : false;
  });
}

function needsIn(
  info: GraphQLResolveInfo,
  set: SelectionSetNode,
  typeName: string,
  seen: Set<string>,
): boolean {
  for (const selection of set.selections) {
    if (selection.kind === Kind.INLINE_FRAGMENT) {
      const type = selection.typeCondition?.name.value ?? typeName;
      if (needsIn(info, selection.selectionSet, type, seen)) return true;
      continue;
    }
    if (selection.kind === Kind.FRAGMENT_SPREAD) {
      const name = selection.name.value;
      const fragment = info.fragments[name];
      if (!fragment || seen.has(name)) continue;
      seen.add(name);
      if (needsIn(info, fragment.selectionSet, fragment.typeCondition.name.value, seen)) return true;
      continue;
    }
    if (fieldNeeds(info, selection, typeName)) return true;
  }
  return false;
}

function fieldNeeds(info: GraphQLResolveInfo, field: FieldNode, typeName: string): boolean {
  const name = field.name.value;
  if (typeName === 'KubeNode' && name === 'allocated') return true;
  const type = info.schema.getType(typeName);
  if (!isObjectType(type)) return false;
  const definition = type.getFields()[name];
  if (!definition) return false;
  if (typeName === 'Query' && name === 'nodes' && argumentsNeed(info, definition, field)) return true;
  const named = getNamedType(definition.type);
  return field.selectionSet ? needsIn(info, field.selectionSet, named.name, new Set()) : false;
}

function argumentsNeed(
  info: GraphQLResolveInfo,
  definition: Parameters<typeof getArgumentValues>[0],
  field: FieldNode,
): boolean {
  let args: { orderBy?: { field?: string } | null; filter?: Record<string, unknown> | null };
  try {
    args = getArgumentValues(definition, field, info.variableValues) as typeof args;
  } catch {
    return false; // its own resolver reports the bad argument
  }
  if (args.orderBy?.field && ALLOCATION_ORDER_FIELDS.has(args.orderBy.field)) return true;
  return Object.keys(args.filter ?? {}).some(
    (key) => ALLOCATION_FILTER_FIELDS.has(key) && args.filter?.[key] != null,
  );
}
