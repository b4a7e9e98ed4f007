/**
 * PodDisruptionBudgets: ~15% of running ReplicaSets with 2+ replicas get one that allows exactly one
 * disruption (half as minAvailable, half as maxUnavailable). The status is left for the simulator's
 * disruption controller to fill in.
 */
import { rfc3339 } from '../kube-object.js';
import type { GenerationContext } from './context.js';

export interface BudgetedApp {
  deployment: string;
  namespace: string;
  replicas: number;
  createdMs: number;
}

/** Call only for running ReplicaSets with 2+ replicas (the chance is drawn here). */
export function maybeDisruptionBudget(ctx: GenerationContext, app: BudgetedApp): void {
  const { random } = ctx;
  if (!random.chance(0.15)) return;
  const spec: Record<string, unknown> = { selector: { matchLabels: { app: app.deployment } } };
  if (random.chance(0.5)) spec.minAvailable = app.replicas - 1;
  else spec.maxUnavailable = 1;
  ctx.emit('poddisruptionbudgets', {
    metadata: {
      name: `${app.deployment}-pdb`,
      namespace: app.namespace,
      uid: random.uuid(),
      generation: 1,
      creationTimestamp: rfc3339(app.createdMs),
    },
    spec,
    status: {
      disruptionsAllowed: 0,
      currentHealthy: 0,
      desiredHealthy: 0,
      expectedPods: 0,
      observedGeneration: 0,
    },
  });
}
