/** What a list or watch selects: namespace, labelSelector and fieldSelector, validated like the apiserver. */

import {
  isEverything,
  type LabelSelector,
  LabelSelectorError,
  matches,
  parseLabelSelector,
} from '../clusters/label-selector.js';
import {
  equalityValue,
  type FieldSelector,
  FieldSelectorError,
  fieldsMatch,
  parseFieldSelector,
} from './field-selector.js';
import type { ResourceType } from './resources.js';
import { errors } from './status.js';
import type { Store, StoredObject } from './store.js';

export interface ObjectFilter {
  readonly type: ResourceType;
  readonly namespace: string | undefined;
  readonly label: LabelSelector;
  readonly field: FieldSelector;
  /** No label or field selector (remainingItemCount is only reported then). */
  readonly unselective: boolean;
}

export function parseFilter(
  type: ResourceType,
  namespace: string | undefined,
  query: URLSearchParams,
): ObjectFilter {
  let label: LabelSelector;
  let field: FieldSelector;
  try {
    label = parseLabelSelector(query.get('labelSelector') ?? '');
  } catch (e) {
    if (e instanceof LabelSelectorError) throw errors.badRequest(e.message);
    throw e;
  }
  try {
    field = parseFieldSelector(query.get('fieldSelector') ?? '');
  } catch (e) {
    if (e instanceof FieldSelectorError) throw errors.badRequest(e.message);
    throw e;
  }
  for (const r of field.requirements) {
    if (!Object.hasOwn(type.fields, r.field)) {
      throw errors.badRequest(`field label not supported: ${r.field}`);
    }
  }
  return {
    type,
    namespace: type.namespaced ? namespace : undefined,
    label,
    field,
    unselective: isEverything(label) && field.requirements.length === 0,
  };
}

export function filterMatches(f: ObjectFilter, o: StoredObject): boolean {
  if (f.namespace && o.namespace !== f.namespace) return false;
  return matches(f.label, o.labels) && fieldsMatch(f.field, o.fields);
}

/** Matching objects in key order, using the node index for `spec.nodeName=X` pod queries. */
export function selectObjects(store: Store, f: ObjectFilter): StoredObject[] {
  let candidates: StoredObject[];
  const nodeName = f.type.resource === 'pods' ? equalityValue(f.field, 'spec.nodeName') : undefined;
  const name = equalityValue(f.field, 'metadata.name');
  if (nodeName) {
    candidates = store.podsOnNode(nodeName);
  } else if (name !== undefined && (f.namespace || !f.type.namespaced)) {
    const one = store.get(f.type.resource, f.namespace ? `${f.namespace}/${name}` : name);
    candidates = one ? [one] : [];
  } else {
    candidates = store.list(f.type.resource, f.namespace);
  }
  if (f.unselective && !nodeName) return candidates;
  return candidates.filter((o) => filterMatches(f, o));
}
