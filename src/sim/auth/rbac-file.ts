/**
 * --rbac-file: Roles, ClusterRoles, RoleBindings and ClusterRoleBindings to create at start, as a YAML
 * stream (documents separated by ---), a `kind: List`, or a JSON array or object (JSON is YAML too).
 * Parsed with @kubernetes/client-node's loadAllYaml, the YAML reader kubectl users' manifests meet.
 */
import { readFileSync } from 'node:fs';
import { loadAllYaml } from '@kubernetes/client-node';
import { isJsonObject, type KubeObject } from '../kube-object.js';
import type { RbacResourceName } from '../resources.js';

export class RbacFileError extends Error {
  override readonly name = 'RbacFileError';
}

const KINDS: Readonly<Record<string, RbacResourceName>> = {
  Role: 'roles',
  ClusterRole: 'clusterroles',
  RoleBinding: 'rolebindings',
  ClusterRoleBinding: 'clusterrolebindings',
};

function flatten(doc: unknown): unknown[] {
  if (doc === null || doc === undefined) return [];
  if (Array.isArray(doc)) return doc.flatMap(flatten);
  if (isJsonObject(doc) && doc.kind === 'List' && Array.isArray(doc.items)) return doc.items.flatMap(flatten);
  return [doc];
}

export function parseRbacObjects(text: string, source: string): Array<[RbacResourceName, KubeObject]> {
  let docs: unknown[];
  try {
    docs = loadAllYaml(text) as unknown[];
  } catch (e) {
    throw new RbacFileError(`rbac file '${source}': ${(e as Error).message}`);
  }
  return docs.flatMap(flatten).map((obj, i) => {
    const kind = isJsonObject(obj) ? obj.kind : undefined;
    const resource = typeof kind === 'string' ? KINDS[kind] : undefined;
    if (!resource || !isJsonObject(obj)) {
      throw new RbacFileError(
        `rbac file '${source}': object ${i + 1} is not a Role, ClusterRole, RoleBinding or ClusterRoleBinding (kind ${JSON.stringify(kind ?? null)})`,
      );
    }
    if (obj.apiVersion !== 'rbac.authorization.k8s.io/v1') {
      throw new RbacFileError(
        `rbac file '${source}': ${String(kind)} ${i + 1} needs apiVersion rbac.authorization.k8s.io/v1, got ${JSON.stringify(obj.apiVersion ?? null)}`,
      );
    }
    return [resource, obj as KubeObject];
  });
}

export function readRbacFile(path: string): Array<[RbacResourceName, KubeObject]> {
  return parseRbacObjects(readFileSync(path, 'utf8'), path);
}
