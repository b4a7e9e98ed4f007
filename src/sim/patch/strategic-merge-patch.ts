/**
 * Strategic merge patch (`application/strategic-merge-patch+json`) for the types the simulator serves.
 * Lists merge by their patchMergeKey where the Go types declare `patchStrategy:"merge"` (containers by
 * name, conditions by type, ...); other lists (taints, tolerations, images) are atomic and replaced.
 * Directives kubectl emits are honoured: `$patch: replace|delete|merge`, `$retainKeys`,
 * `$deleteFromPrimitiveList/<field>` and `$setElementOrder/<field>`.
 */
import { isJsonObject, type JsonObject, type JsonValue } from '../kube-object.js';
import type { ServedResource } from '../resources.js';

export class StrategicMergePatchError extends Error {
  override readonly name = 'StrategicMergePatchError';
}

type ListStrategy = { mergeKey: string } | { primitive: true };

const CONTAINER_LISTS: Record<string, string> = {
  env: 'name',
  ports: 'containerPort',
  volumeMounts: 'mountPath',
  volumeDevices: 'devicePath',
  resizePolicy: 'resourceName',
};

/** Strategy of the list at `path` (object field names from the root, array levels omitted). */
function podSpecList(path: readonly string[]): ListStrategy | undefined {
  const [first, second] = path;
  if (path.length === 1) {
    switch (first) {
      case 'containers':
      case 'initContainers':
      case 'ephemeralContainers':
      case 'volumes':
      case 'imagePullSecrets':
        return { mergeKey: 'name' };
      case 'hostAliases':
        return { mergeKey: 'ip' };
      default:
        return undefined;
    }
  }
  if (
    path.length === 2 &&
    (first === 'containers' || first === 'initContainers' || first === 'ephemeralContainers')
  ) {
    const key = CONTAINER_LISTS[second!];
    return key ? { mergeKey: key } : undefined;
  }
  return undefined;
}

export function listStrategy(resource: ServedResource, path: readonly string[]): ListStrategy | undefined {
  const joined = path.join('.');
  if (joined === 'metadata.ownerReferences') return { mergeKey: 'uid' };
  if (joined === 'metadata.finalizers') return { primitive: true };
  if (joined === 'status.conditions') return { mergeKey: 'type' };
  switch (resource) {
    case 'pods':
      if (path[0] === 'spec') return podSpecList(path.slice(1));
      if (joined === 'status.podIPs' || joined === 'status.hostIPs') return { mergeKey: 'ip' };
      return undefined;
    case 'replicasets':
    case 'daemonsets':
    case 'deployments':
      if (path[0] === 'spec' && path[1] === 'template' && path[2] === 'spec')
        return podSpecList(path.slice(3));
      return undefined;
    case 'services':
      if (joined === 'spec.ports') return { mergeKey: 'port' };
      return undefined;
    case 'serviceaccounts':
      if (joined === 'secrets') return { mergeKey: 'name' };
      return undefined;
    case 'nodes':
      if (joined === 'status.addresses') return { mergeKey: 'type' };
      if (joined === 'status.volumesAttached') return { mergeKey: 'name' };
      if (joined === 'spec.podCIDRs') return { primitive: true };
      return undefined;
    default:
      return undefined;
  }
}

/** Removes patch directives from a value that replaces the original wholesale. */
function stripDirectives(value: JsonValue): JsonValue {
  if (Array.isArray(value)) {
    return value
      .filter((v) => !(isJsonObject(v) && v.$patch !== undefined && Object.keys(v).length === 1))
      .map(stripDirectives);
  }
  if (!isJsonObject(value)) return value;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(value)) {
    if (k.startsWith('$')) continue;
    if (v === null) continue;
    out[k] = stripDirectives(v);
  }
  return out;
}

function mergeMap(
  resource: ServedResource,
  original: JsonObject,
  patch: JsonObject,
  path: string[],
): JsonObject | undefined {
  const directive = patch.$patch;
  if (directive === 'replace') return stripDirectives(patch) as JsonObject;
  if (directive === 'delete') return undefined;
  if (directive !== undefined && directive !== 'merge') {
    throw new StrategicMergePatchError(`Unknown patch type: ${String(directive)}`);
  }
  const result: JsonObject = { ...original };
  for (const [key, value] of Object.entries(patch)) {
    if (key === '$patch' || key === '$retainKeys' || key.startsWith('$setElementOrder/')) continue;
    if (key.startsWith('$deleteFromPrimitiveList/')) {
      const field = key.slice('$deleteFromPrimitiveList/'.length);
      const current = result[field];
      if (Array.isArray(current) && Array.isArray(value)) {
        const drop = new Set(value.map((v) => JSON.stringify(v)));
        result[field] = current.filter((v) => !drop.has(JSON.stringify(v)));
      }
      continue;
    }
    if (value === null) {
      delete result[key];
    } else if (isJsonObject(value)) {
      const merged = mergeMap(resource, isJsonObject(result[key]) ? (result[key] as JsonObject) : {}, value, [
        ...path,
        key,
      ]);
      if (merged === undefined) delete result[key];
      else result[key] = merged;
    } else if (Array.isArray(value)) {
      result[key] = mergeList(resource, result[key], value, [...path, key]);
    } else {
      result[key] = value;
    }
  }
  const retain = patch.$retainKeys;
  if (Array.isArray(retain)) {
    const keep = new Set(retain.map(String));
    for (const k of Object.keys(result)) if (!keep.has(k)) delete result[k];
  }
  return result;
}

function mergeList(
  resource: ServedResource,
  original: JsonValue | undefined,
  patch: JsonValue[],
  path: string[],
): JsonValue[] {
  const strategy = listStrategy(resource, path);
  if (!strategy) return stripDirectives(patch) as JsonValue[];
  const orig = Array.isArray(original) ? original : [];
  if (patch.some((p) => isJsonObject(p) && p.$patch === 'replace'))
    return stripDirectives(patch) as JsonValue[];
  if ('primitive' in strategy) {
    const seen = new Set(orig.map((v) => JSON.stringify(v)));
    return [...orig, ...patch.filter((v) => !seen.has(JSON.stringify(v)))];
  }
  const key = strategy.mergeKey;
  const result: JsonValue[] = [...orig];
  for (const item of patch) {
    if (!isJsonObject(item))
      throw new StrategicMergePatchError(`list ${path.join('.')} expects objects with merge key ${key}`);
    const id = item[key];
    const index = result.findIndex((o) => isJsonObject(o) && JSON.stringify(o[key]) === JSON.stringify(id));
    if (item.$patch === 'delete') {
      if (index >= 0) result.splice(index, 1);
      continue;
    }
    if (index >= 0) {
      const merged = mergeMap(resource, result[index] as JsonObject, item, path);
      if (merged === undefined) result.splice(index, 1);
      else result[index] = merged;
    } else {
      const created = mergeMap(resource, {}, item, path);
      if (created !== undefined) result.push(created);
    }
  }
  return result;
}

export function applyStrategicMergePatch(
  resource: ServedResource,
  original: JsonObject,
  patch: JsonValue,
): JsonObject {
  if (!isJsonObject(patch)) throw new StrategicMergePatchError('strategic merge patch must be a JSON object');
  return mergeMap(resource, structuredClone(original), patch, []) ?? {};
}
