/**
 * The pods/eviction subresource (policy/v1 Eviction), following the apiserver's eviction REST handler:
 * terminal, pending and already-terminating pods are deleted without consulting budgets; otherwise the one
 * PodDisruptionBudget selecting the pod must allow a disruption, which the eviction then consumes
 * (status.disruptionsAllowed - 1, the pod recorded in status.disruptedPods) before the pod is deleted.
 */

import { matches } from '../clusters/label-selector.js';
import { pdbSelector } from './disruption-controller.js';
import { checkEviction } from './disruption-violations.js';
import { type KubeObject, rfc3339 } from './kube-object.js';
import type { DeleteOptions, Registry } from './registry.js';
import { RESOURCES } from './resources.js';
import { ApiError, errors } from './status.js';
import { objectKey } from './store.js';

interface PdbStatus {
  disruptionsAllowed?: number;
  currentHealthy?: number;
  desiredHealthy?: number;
  expectedPods?: number;
  observedGeneration?: number;
  disruptedPods?: Record<string, string>;
}

const MAX_DISRUPTED_PODS = 2000;

function isPodReady(pod: KubeObject): boolean {
  const conditions =
    (pod.status as { conditions?: Array<{ type?: string; status?: string }> } | undefined)?.conditions ?? [];
  return conditions.some((c) => c.type === 'Ready' && c.status === 'True');
}

/** Evicts a pod (throws the apiserver's errors). With `dryRun` every check runs but nothing is written. */
export function evictPod(
  registry: Registry,
  namespace: string,
  name: string,
  eviction: KubeObject,
  dryRun = false,
): void {
  const store = registry.store;
  const evictionName = eviction.metadata?.name;
  if (evictionName && evictionName !== name) {
    throw errors.badRequest('name in URL does not match name in Eviction object');
  }
  const stored = store.get('pods', objectKey(namespace, name));
  if (!stored) throw errors.notFound(RESOURCES.pods, name);
  const deleteOptions = (eviction.deleteOptions ?? {}) as Omit<DeleteOptions, 'dryRun'> & {
    dryRun?: string[];
  };
  const dry = dryRun || (deleteOptions.dryRun ?? []).includes('All');
  const remove = (): void => {
    if (!dry) registry.delete(RESOURCES.pods, stored, { ...deleteOptions, dryRun: false });
  };
  const pod = store.parse(stored);
  const phase = stored.fields['status.phase'];

  // canIgnorePDB: nothing left to protect.
  if (pod.metadata?.deletionTimestamp || phase === 'Succeeded' || phase === 'Failed' || phase === 'Pending') {
    remove();
    return;
  }

  const pdbs = store.list('poddisruptionbudgets', namespace).filter((p) => {
    const sel = pdbSelector(store.parse(p));
    return sel !== undefined && matches(sel, stored.labels);
  });
  if (pdbs.length > 1) {
    throw new ApiError(
      500,
      'InternalError',
      'Internal error occurred: This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.',
      {
        causes: [
          {
            message:
              'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.',
          },
        ],
      },
    );
  }
  const storedPdb = pdbs[0];
  if (!storedPdb) {
    remove();
    return;
  }
  const pdb = store.parse(storedPdb);
  const pdbName = pdb.metadata?.name ?? '';
  const status = (pdb.status ?? {}) as PdbStatus;
  const spec = (pdb.spec ?? {}) as { unhealthyPodEvictionPolicy?: string };

  if (!isPodReady(pod)) {
    // Unhealthy pods may go when the budget is otherwise met (IfHealthyBudget) or always (AlwaysAllow).
    const healthyEnough =
      (status.currentHealthy ?? 0) >= (status.desiredHealthy ?? 0) && (status.desiredHealthy ?? 0) > 0;
    if (spec.unhealthyPodEvictionPolicy === 'AlwaysAllow' || healthyEnough) {
      remove();
      return;
    }
  }
  if ((status.observedGeneration ?? 0) < (pdb.metadata?.generation ?? 1)) {
    throw errors.tooManyRequests("Cannot evict pod as it would violate the pod's disruption budget.", 10, [
      {
        reason: 'DisruptionBudget',
        message: `The disruption budget ${pdbName} is still being processed by the server.`,
      },
    ]);
  }
  if ((status.disruptionsAllowed ?? 0) < 0) {
    throw new ApiError(403, 'Forbidden', 'pdb disruptions allowed is negative');
  }
  if (Object.keys(status.disruptedPods ?? {}).length > MAX_DISRUPTED_PODS) {
    throw new ApiError(
      403,
      'Forbidden',
      'DisruptedPods map too big - too many evictions not confirmed by PDB controller',
    );
  }
  if ((status.disruptionsAllowed ?? 0) === 0) {
    throw errors.tooManyRequests("Cannot evict pod as it would violate the pod's disruption budget.", 0, [
      {
        reason: 'DisruptionBudget',
        message: `The disruption budget ${pdbName} needs ${status.desiredHealthy ?? 0} healthy pods and has ${status.currentHealthy ?? 0} currently`,
      },
    ]);
  }
  const previouslyDisrupted = status.disruptedPods ?? {};
  status.disruptionsAllowed = (status.disruptionsAllowed ?? 0) - 1;
  status.disruptedPods = { ...status.disruptedPods, [name]: rfc3339(registry.now()) };
  pdb.status = status;
  if (dry) return;
  const selector = pdbSelector(pdb);
  if (selector) {
    checkEviction(store, {
      namespace,
      podName: name,
      budget: `${namespace}/${pdbName}`,
      selector,
      disrupted: previouslyDisrupted,
      desiredHealthy: status.desiredHealthy ?? 0,
      at: rfc3339(registry.now()),
    });
  }
  store.write('poddisruptionbudgets', pdb);
  remove();
}
