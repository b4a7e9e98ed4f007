/**
 * Write semantics shared by the HTTP API and the handle's SimCluster: defaulting and validation on create,
 * optimistic concurrency and status-subresource rules on update, graceful deletion and preconditions on
 * delete. Anything that changes state goes through here so that the handle behaves like an API client.
 */

import { defaultDeployObject, defaultDeployUpdate } from './deploy-objects.js';
import type { KubeObject, ObjectMeta } from './kube-object.js';
import { rfc3339 } from './kube-object.js';
import { defaultPod } from './pod-defaults.js';
import type { Random } from './random.js';
import type { ResourceType, ServedResource } from './resources.js';
import { isDeployResource, RESOURCES } from './resources.js';
import { ApiError, errors } from './status.js';
import { objectKey, type Store, type StoredObject, serializeBody } from './store.js';

export interface DeleteOptions {
  /** dryRun=All: checked and answered, not deleted. */
  dryRun?: boolean;
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
}

export interface UpdateOptions {
  /** 'status': only status changes (the /status subresource); 'all': spec and status (the handle's writes). */
  subresource?: 'status' | 'all';
  /** When true, a stale metadata.resourceVersion in the new object is a 409 (PUT, and PATCH bodies with one). */
  checkResourceVersion?: boolean;
  /** dryRun=All: validated, defaulted and answered, not stored. */
  dryRun?: boolean;
}

export interface CreateOptions {
  /** dryRun=All: validated, defaulted and answered (with a uid), not stored. */
  dryRun?: boolean;
}

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** k8s.io/apimachinery path.IsValidPathSegmentName. */
function pathSegmentNameError(name: string): string | undefined {
  if (name === '.' || name === '..') return `may not be '${name}'`;
  for (const bad of ['/', '%']) if (name.includes(bad)) return `may not contain '${bad}'`;
  return undefined;
}

export class Registry {
  constructor(
    readonly store: Store,
    readonly random: Random,
    readonly now: () => number = Date.now,
  ) {}

  get(type: ResourceType, namespace: string | undefined, name: string): StoredObject {
    const found = this.store.get(type.resource, objectKey(type.namespaced ? namespace : undefined, name));
    if (!found) throw errors.notFound(type, name);
    return found;
  }

  create(type: ResourceType, input: KubeObject, namespace?: string, opts: CreateOptions = {}): StoredObject {
    const obj: KubeObject = structuredClone(input);
    const meta: ObjectMeta = obj.metadata ?? {};
    obj.metadata = meta;
    if (type.namespaced) {
      const ns = namespace ?? meta.namespace;
      if (namespace && meta.namespace && meta.namespace !== namespace) {
        throw errors.badRequest(
          'the namespace of the provided object does not match the namespace sent on the request',
        );
      }
      if (!ns) throw errors.badRequest('namespace is required for namespaced resources');
      meta.namespace = ns;
      const nsObj = this.store.get('namespaces', ns);
      if (!nsObj) throw errors.notFound(RESOURCES.namespaces, ns);
      if (nsObj.fields['status.phase'] === 'Terminating') {
        throw new ApiError(
          403,
          'Forbidden',
          `${type.resource} "${meta.name ?? ''}" is forbidden: unable to create new content in namespace ${ns} because it is being terminated`,
          { name: meta.name ?? '', kind: type.resource },
        );
      }
    } else {
      delete meta.namespace;
    }
    if (!meta.name) {
      if (!meta.generateName) {
        throw errors.invalid(type.kind, '', [
          { field: 'metadata.name', type: 'Required value', detail: 'name or generateName is required' },
        ]);
      }
      do meta.name = `${meta.generateName}${this.random.nameSuffix()}`;
      while (this.store.get(type.resource, objectKey(meta.namespace, meta.name)));
    }
    if (type.group === 'rbac.authorization.k8s.io') {
      // ValidateRBACName is path.IsValidPathSegmentName: `system:discovery` is a valid role name.
      const why = pathSegmentNameError(meta.name);
      if (why) {
        throw errors.invalid(type.kind, meta.name, [
          { field: 'metadata.name', type: 'Invalid value', detail: `"${meta.name}": ${why}` },
        ]);
      }
    } else if (
      !(type.resource === 'namespaces' ? DNS_LABEL.test(meta.name) : DNS_SUBDOMAIN.test(meta.name)) ||
      meta.name.length > (type.resource === 'namespaces' ? 63 : 253)
    ) {
      throw errors.invalid(type.kind, meta.name, [
        {
          field: 'metadata.name',
          type: 'Invalid value',
          detail: `"${meta.name}": a lowercase RFC 1123 ${type.resource === 'namespaces' ? 'label' : 'subdomain'} must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character`,
        },
      ]);
    }
    if (this.store.get(type.resource, objectKey(meta.namespace, meta.name))) {
      throw errors.alreadyExists(type, meta.name);
    }
    delete meta.resourceVersion;
    delete meta.deletionTimestamp;
    delete meta.deletionGracePeriodSeconds;
    meta.uid = this.random.uuid();
    meta.creationTimestamp = rfc3339(this.now());
    if (type.hasGeneration) meta.generation = 1;
    else delete meta.generation;
    this.applyDefaults(type, obj);
    return opts.dryRun ? this.store.preview(type.resource, obj) : this.store.write(type.resource, obj);
  }

  private applyDefaults(type: ResourceType, obj: KubeObject): void {
    switch (type.resource) {
      case 'pods':
        defaultPod(obj, (field, detail) =>
          errors.invalid('Pod', obj.metadata?.name ?? '', [{ field, type: 'Required value', detail }]),
        );
        break;
      case 'namespaces': {
        const meta = obj.metadata!;
        meta.labels = { ...meta.labels, 'kubernetes.io/metadata.name': meta.name! };
        obj.spec = { finalizers: ['kubernetes'] };
        obj.status = { phase: 'Active' };
        break;
      }
      case 'poddisruptionbudgets': {
        const spec = (obj.spec ?? {}) as Record<string, unknown>;
        if (spec.minAvailable !== undefined && spec.maxUnavailable !== undefined) {
          throw errors.invalid('PodDisruptionBudget', obj.metadata!.name!, [
            {
              field: 'spec',
              type: 'Invalid value',
              detail: 'minAvailable and maxUnavailable cannot be both set',
            },
          ]);
        }
        obj.status = { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 };
        break;
      }
      case 'replicasets':
      case 'daemonsets':
        obj.status ??= type.resource === 'replicasets' ? { replicas: 0 } : {};
        break;
      case 'serviceaccounts':
      case 'secrets':
      case 'configmaps':
      case 'services':
      case 'deployments':
        defaultDeployObject(type.resource, obj, this.store);
        break;
      default:
        break;
    }
  }

  /** Replaces an object (PUT semantics). Returns the previous object unchanged when nothing changed. */
  update(type: ResourceType, prev: StoredObject, input: KubeObject, opts: UpdateOptions = {}): StoredObject {
    const next: KubeObject = structuredClone(input);
    const meta: ObjectMeta = next.metadata ?? {};
    next.metadata = meta;
    if (meta.name !== undefined && meta.name !== prev.name) {
      throw errors.badRequest(
        `the name of the object (${meta.name}) does not match the name on the URL (${prev.name})`,
      );
    }
    if (type.namespaced && meta.namespace && meta.namespace !== prev.namespace) {
      throw errors.badRequest(
        'the namespace of the provided object does not match the namespace sent on the request',
      );
    }
    if (opts.checkResourceVersion && meta.resourceVersion && meta.resourceVersion !== String(prev.rv)) {
      throw errors.modified(type, prev.name);
    }
    if (meta.uid && meta.uid !== prev.uid) {
      throw errors.conflict(
        type,
        prev.name,
        `Precondition failed: UID in precondition: ${meta.uid}, UID in object meta: ${prev.uid}`,
      );
    }
    const old = this.store.parse(prev);
    const oldMeta = old.metadata ?? {};
    let result: KubeObject;
    if (opts.subresource === 'status') {
      // The status subresource changes status only (metav1.ResetObjectMetaForStatus keeps labels etc.).
      result = { ...old, status: next.status };
    } else {
      result = next;
      if (type.hasStatusSubresource && opts.subresource !== 'all') {
        if (old.status === undefined) delete result.status;
        else result.status = old.status;
      }
    }
    const rMeta: ObjectMeta = { ...(opts.subresource === 'status' ? oldMeta : meta) };
    result.metadata = rMeta;
    rMeta.name = prev.name;
    if (type.namespaced) rMeta.namespace = prev.namespace;
    else delete rMeta.namespace;
    rMeta.uid = prev.uid;
    rMeta.creationTimestamp = oldMeta.creationTimestamp ?? null;
    if (oldMeta.deletionTimestamp) rMeta.deletionTimestamp = oldMeta.deletionTimestamp;
    else delete rMeta.deletionTimestamp;
    if (oldMeta.deletionGracePeriodSeconds !== undefined) {
      rMeta.deletionGracePeriodSeconds = oldMeta.deletionGracePeriodSeconds;
    } else delete rMeta.deletionGracePeriodSeconds;
    if (isDeployResource(type.resource) && opts.subresource !== 'status')
      defaultDeployUpdate(type.resource, old, result, this.store);
    if (type.hasGeneration) {
      const specChanged = JSON.stringify(old.spec) !== JSON.stringify(result.spec);
      rMeta.generation = (oldMeta.generation ?? 1) + (specChanged ? 1 : 0);
    } else delete rMeta.generation;
    rMeta.resourceVersion = String(prev.rv);
    if (type.resource === 'pods') this.validatePodUpdate(old, result);
    // An update that changes nothing is not a write: no new resourceVersion and no watch event.
    if (serializeBody(result) === prev.json) return prev;
    return opts.dryRun ? this.store.preview(type.resource, result) : this.store.write(type.resource, result);
  }

  private validatePodUpdate(old: KubeObject, next: KubeObject): void {
    const o = (old.spec ?? {}) as Record<string, unknown>;
    const n = (next.spec ?? {}) as Record<string, unknown>;
    if (o.nodeName && n.nodeName !== o.nodeName) {
      throw errors.invalid('Pod', old.metadata?.name ?? '', [
        {
          field: 'spec',
          type: 'Forbidden',
          detail:
            'pod updates may not change fields other than `spec.containers[*].image`, `spec.initContainers[*].image`, `spec.activeDeadlineSeconds`, `spec.tolerations` (only additions to existing tolerations), `spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
        },
      ]);
    }
  }

  /**
   * Deletes an object. Pods on a node are deleted gracefully: deletionTimestamp is set and the simulated
   * kubelet removes them once the grace period passes. Returns the object as the API returns it.
   */
  delete(type: ResourceType, prev: StoredObject, opts: DeleteOptions = {}): StoredObject {
    const pre = opts.preconditions;
    if (pre?.uid && pre.uid !== prev.uid) {
      throw errors.conflict(
        type,
        prev.name,
        `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${prev.uid}`,
      );
    }
    if (pre?.resourceVersion && pre.resourceVersion !== String(prev.rv)) {
      throw errors.conflict(
        type,
        prev.name,
        `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${prev.rv}`,
      );
    }
    if (opts.gracePeriodSeconds !== undefined && opts.gracePeriodSeconds < 0) {
      throw errors.invalid(type.kind, prev.name, [
        { field: 'gracePeriodSeconds', type: 'Invalid value', detail: 'must be greater than or equal to 0' },
      ]);
    }
    if (opts.dryRun) return prev;
    if (opts.propagationPolicy === 'Orphan') this.orphanDependents(prev);
    if (type.resource === 'pods') return this.deletePod(prev, opts);
    if (type.resource === 'namespaces') return this.deleteNamespace(prev);
    return this.store.remove(type.resource, prev.key)!;
  }

  private deletePod(prev: StoredObject, opts: DeleteOptions): StoredObject {
    const pod = this.store.parse(prev);
    const spec = (pod.spec ?? {}) as { nodeName?: string; terminationGracePeriodSeconds?: number };
    const phase = prev.fields['status.phase'];
    let grace = opts.gracePeriodSeconds ?? spec.terminationGracePeriodSeconds ?? 30;
    // As in the pod strategy: unscheduled and terminated pods have nothing to stop, so they go at once.
    if (!spec.nodeName || phase === 'Succeeded' || phase === 'Failed') grace = 0;
    const meta = pod.metadata!;
    if (meta.deletionTimestamp) {
      // Already terminating: only a shorter grace period changes anything.
      const current = meta.deletionGracePeriodSeconds ?? 0;
      if (grace >= current) return prev;
    }
    if (grace === 0) return this.store.remove('pods', prev.key)!;
    meta.deletionTimestamp = rfc3339(this.now() + grace * 1000);
    meta.deletionGracePeriodSeconds = grace;
    return this.store.write('pods', pod);
  }

  private deleteNamespace(prev: StoredObject): StoredObject {
    const ns = this.store.parse(prev);
    if (ns.metadata?.deletionTimestamp) return prev;
    ns.metadata!.deletionTimestamp = rfc3339(this.now());
    ns.metadata!.deletionGracePeriodSeconds = 0;
    ns.status = { phase: 'Terminating' };
    // The namespace controller (controllers.ts) empties it and then removes it.
    return this.store.write('namespaces', ns);
  }

  private orphanDependents(owner: StoredObject): void {
    for (const dep of this.store.controlledBy('pods', owner.uid)) {
      const pod = this.store.parse(dep);
      pod.metadata!.ownerReferences = pod.metadata!.ownerReferences?.filter((r) => r.uid !== owner.uid);
      if (pod.metadata!.ownerReferences?.length === 0) delete pod.metadata!.ownerReferences;
      this.store.write('pods', pod);
    }
  }
}

export function resourceOf(name: ServedResource): ResourceType {
  return RESOURCES[name];
}
