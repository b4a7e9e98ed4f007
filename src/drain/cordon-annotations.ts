import type { KeyValue } from '../informers/node-projection.js';

/**
 * Why, by whom and when a node was cordoned through the gateway, kept on the node itself in
 * annotations of our own, so every replica, kubectl (`kubectl get node -o yaml`) and a gateway
 * restarted later all see the same record. Set by cordonNode in the same patch as
 * spec.unschedulable; removed by uncordonNode in the same patch that clears it. A cordon made
 * elsewhere (kubectl cordon, a drain's own cordon) writes none: the node is unschedulable with
 * no reason on record.
 */
export const CORDON_REASON_ANNOTATION = 'kube-node-gateway.io/cordon-reason';
export const CORDONED_BY_ANNOTATION = 'kube-node-gateway.io/cordoned-by';
export const CORDONED_AT_ANNOTATION = 'kube-node-gateway.io/cordoned-at';

/** A reason is a short sentence for people, shown in UIs: bounded, and one line of text. */
export const CORDON_REASON_MAX = 256;

/**
 * Control characters (newlines, ESC, NUL, C1), bidirectional overrides (which make a UI show
 * text other than what is stored) and lone surrogates (not encodable as UTF-8).
 */
const UNSAFE_TEXT = /[\p{Cc}\u202A-\u202E\u2066-\u2069\p{Cs}]/u;

/** Undefined when `reason` may be recorded; else what is wrong with it. */
export function cordonReasonProblem(reason: string): string | undefined {
  if (reason.length > CORDON_REASON_MAX) return `must be no more than ${CORDON_REASON_MAX} characters`;
  if (UNSAFE_TEXT.test(reason)) {
    return 'must not contain control characters, bidirectional overrides or unpaired surrogates';
  }
  return undefined;
}

/** What a cordon through the gateway records. */
export interface CordonRecord {
  /** null (or empty) = no reason given. */
  readonly reason: string | null;
  /** The caller's username; null when the gateway runs without authentication. */
  readonly by: string | null;
  /** RFC 3339, to the second, as Kubernetes writes timestamps. */
  readonly at: string;
}

/** The annotation changes of a patch: the record's values, null removing one (or all, for uncordon). */
export function cordonAnnotationPatch(record: CordonRecord | null): Record<string, string | null> {
  return {
    [CORDON_REASON_ANNOTATION]: record?.reason || null,
    [CORDONED_BY_ANNOTATION]: record?.by ?? null,
    [CORDONED_AT_ANNOTATION]: record?.at ?? null,
  };
}

export function cordonTime(now: Date = new Date()): string {
  return `${now.toISOString().slice(0, 19)}Z`;
}

export interface CordonInfo {
  readonly reason: string | null;
  readonly by: string | null;
  readonly at: string | null;
}

/** The record of an unschedulable node's cordon, each part null when not on record; null when schedulable. */
export function cordonInfoOf(node: {
  readonly schedulable: boolean;
  readonly annotations: readonly KeyValue[];
}): CordonInfo | null {
  if (node.schedulable) return null;
  let reason: string | null = null;
  let by: string | null = null;
  let at: string | null = null;
  for (const { key, value } of node.annotations) {
    if (key === CORDON_REASON_ANNOTATION) reason = value;
    else if (key === CORDONED_BY_ANNOTATION) by = value;
    else if (key === CORDONED_AT_ANNOTATION) at = value;
  }
  return { reason, by, at };
}
