import { type CachedNode, projectNode } from '../informers/node-projection.js';
import type { Logger } from '../platform/logger.js';
import { type CordonRecord, cordonAnnotationPatch } from './cordon-annotations.js';
import type { NodePatcher } from './drain-cluster-api.js';
import { DrainRequestError } from './drain-errors.js';
import type { DrainJob } from './drain-job.js';

/**
 * kubectl's cordon and uncordon (k8s.io/kubectl pkg/drain/cordon.go sits beside drain.go the
 * same way): one strategic-merge patch of spec.unschedulable, idempotent. They live with the
 * drain because an uncordon must not undo the cordon of a drain that is still emptying the node.
 * The same patch records (cordon) or removes (uncordon) why, by whom and when
 * (src/drain/cordon-annotations.ts), so the record never outlives or precedes the cordon.
 */
export interface CordonRequest {
  readonly cluster: string;
  readonly node: string;
  readonly api: NodePatcher;
  /** The node's active drain job, if any. */
  readonly activeJob: () => Promise<DrainJob | undefined>;
  readonly logger: Logger;
}

/**
 * Marks the node unschedulable and records `record` (replacing an earlier cordon's record: the
 * latest cordon request is the one on record); resolves the patched node, projected as the
 * cache holds nodes.
 */
export function cordonNode(request: CordonRequest, record: CordonRecord): Promise<CachedNode> {
  return patchUnschedulable(request, true, cordonAnnotationPatch(record));
}

/**
 * Makes the node schedulable again. Refused with CONFLICT while a drain of the node is active:
 * pods would be scheduled back onto the node the drain is emptying. Cancel the drain first.
 */
export async function uncordonNode(request: CordonRequest): Promise<CachedNode> {
  const active = await request.activeJob();
  if (active) {
    throw new DrainRequestError(
      'CONFLICT',
      `node ${request.node} is being drained (job ${active.id}); cancel the drain before uncordoning`,
      { drainJobId: active.id },
    );
  }
  return patchUnschedulable(request, false, cordonAnnotationPatch(null));
}

async function patchUnschedulable(
  request: CordonRequest,
  unschedulable: boolean,
  annotations: Readonly<Record<string, string | null>>,
): Promise<CachedNode> {
  const { cluster, node } = request;
  const patched = await request.api.setUnschedulable(node, unschedulable, annotations);
  request.logger.info({ cluster, node }, unschedulable ? 'cordoning' : 'uncordoning');
  return projectNode(patched, cluster);
}
