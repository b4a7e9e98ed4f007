/**
 * Creates the default RBAC objects and those of --rbac-file / rbacObjects at start, through the registry
 * (the same validation as API creates). An invalid object fails the start, naming it.
 */
import { isJsonObject, type KubeObject } from '../kube-object.js';
import type { Registry } from '../registry.js';
import { RBAC_RESOURCES, type RbacResourceName } from '../resources.js';
import { ApiError } from '../status.js';
import { defaultRbacObjects } from './rbac-defaults.js';
import { parseRbacObjects, RbacFileError, readRbacFile } from './rbac-file.js';

export function loadRbacObjects(
  registry: Registry,
  file: string | undefined,
  inline: readonly KubeObject[],
): void {
  const objects: Array<[RbacResourceName, KubeObject]> = [
    ...defaultRbacObjects(),
    ...(file ? readRbacFile(file) : []),
    ...(inline.length ? parseRbacObjects(JSON.stringify(inline), 'rbacObjects') : []),
  ];
  for (const [resource, obj] of objects) {
    const meta = isJsonObject(obj.metadata) ? obj.metadata : {};
    try {
      registry.create(
        RBAC_RESOURCES[resource],
        obj,
        typeof meta.namespace === 'string' ? meta.namespace : undefined,
      );
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      throw new RbacFileError(
        `cannot create ${String(obj.kind ?? resource)} "${String(meta.name ?? '')}": ${e.message}`,
      );
    }
  }
}
