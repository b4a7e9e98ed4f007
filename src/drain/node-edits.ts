import type { RawNode, RawTaint } from '../informers/kube-node.js';
import { type CachedNode, projectNode } from '../informers/node-projection.js';
import { DrainRequestError } from './drain-errors.js';

/**
 * Label and taint edits of one node, as `kubectl label` and `kubectl taint` make them, but
 * never blind: every patch carries the resourceVersion the caller's edit was based on, so an
 * edit of a node that changed meanwhile is a 409 Conflict, not an overwrite of the other change.
 * A JSON merge patch: labels merge key by key (null removes one); taints, which no patch
 * strategy merges, are sent as the whole new list, computed from the node at that version.
 * Inputs arrive checked (src/resolvers/node-edit-checks.ts).
 */

/** The node calls an edit makes, acting as the caller. */
export interface NodeEditApi {
  getNode(node: string): Promise<unknown | undefined>;
  mergePatchNode(node: string, patch: Readonly<Record<string, unknown>>): Promise<RawNode>;
}

export interface LabelEdit {
  readonly set: readonly { readonly key: string; readonly value: string }[];
  readonly remove: readonly string[];
}

export interface TaintSpec {
  readonly key: string;
  /** null or '' = no value. */
  readonly value: string | null;
  readonly effect: string;
}

export interface TaintEdit {
  /** Adds each taint, or replaces the value of the taint with the same key and effect. */
  readonly set: readonly TaintSpec[];
  /** Removes the taint with this key and effect; every taint with the key when effect is null. */
  readonly remove: readonly { readonly key: string; readonly effect: string | null }[];
}

export interface NodeEditRequest {
  readonly cluster: string;
  readonly node: string;
  readonly api: NodeEditApi;
  /** The version the edit was made against: the patch is refused (409) if the node is no longer at it. */
  readonly resourceVersion: string;
}

/** Sets and removes labels in one patch; resolves the patched node. */
export async function editNodeLabels(request: NodeEditRequest, edit: LabelEdit): Promise<CachedNode> {
  const labels: Record<string, string | null> = {};
  for (const key of edit.remove) labels[key] = null;
  for (const { key, value } of edit.set) labels[key] = value;
  const patched = await request.api.mergePatchNode(request.node, {
    metadata: { resourceVersion: request.resourceVersion, labels },
  });
  return projectNode(patched, request.cluster);
}

/**
 * Sets and removes taints in one patch. `base` is the node as the cache holds it: used when it
 * is at the requested version, else the node is read (as the caller) and a newer version is a
 * CONFLICT at once, as the apiserver would answer.
 */
export async function editNodeTaints(
  request: NodeEditRequest,
  edit: TaintEdit,
  base: CachedNode | undefined,
): Promise<CachedNode> {
  const current = await taintsAt(request, base);
  const taints = applyTaintEdit(current, edit);
  const patched = await request.api.mergePatchNode(request.node, {
    metadata: { resourceVersion: request.resourceVersion },
    spec: { taints: taints.length > 0 ? taints : null },
  });
  return projectNode(patched, request.cluster);
}

/** The new taint list: the current taints in their order, replaced or removed in place, new ones after. */
export function applyTaintEdit(current: readonly RawTaint[], edit: TaintEdit): RawTaint[] {
  const removed = (t: RawTaint) =>
    edit.remove.some((r) => r.key === t.key && (r.effect === null || r.effect === t.effect));
  const next = current.filter((t) => !removed(t)).map((t) => ({ ...t }));
  for (const taint of edit.set) {
    const existing = next.find((t) => t.key === taint.key && t.effect === taint.effect);
    const value = taint.value || undefined;
    if (existing) {
      if (value === undefined) delete existing.value;
      else existing.value = value;
    } else {
      next.push(value === undefined ? { key: taint.key, effect: taint.effect } : { ...taint, value });
    }
  }
  return next;
}

async function taintsAt(request: NodeEditRequest, base: CachedNode | undefined): Promise<RawTaint[]> {
  if (base && base.resourceVersion === request.resourceVersion) return base.taints.map(rawTaint);
  const raw = (await request.api.getNode(request.node)) as RawNode | undefined;
  if (!raw) {
    throw new DrainRequestError(
      'NOT_FOUND',
      `node "${request.node}" not found in cluster "${request.cluster}"`,
    );
  }
  const now = raw.metadata?.resourceVersion ?? '';
  if (now !== request.resourceVersion) throw staleEdit(request, now);
  return (raw.spec?.taints ?? []).map((t) => ({ ...t }));
}

/** CONFLICT: the node is no longer at the version the edit was made against. */
export function staleEdit(request: NodeEditRequest, current: string): DrainRequestError {
  return new DrainRequestError(
    'CONFLICT',
    `node ${request.node} has changed (resourceVersion ${current}, the edit was made against ${request.resourceVersion}): read it again and retry`,
    { resourceVersion: current },
  );
}

function rawTaint(t: CachedNode['taints'][number]): RawTaint {
  const raw: RawTaint = { key: t.key, effect: t.effect };
  if (t.value !== null) raw.value = t.value;
  if (t.timeAdded !== null) raw.timeAdded = t.timeAdded;
  return raw;
}
