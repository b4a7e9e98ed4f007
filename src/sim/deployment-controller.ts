/**
 * A stand-in for the Deployment controller: it makes no ReplicaSets or pods, but reports a Deployment as
 * rolled out once it has seen its generation (status.observedGeneration, replicas, updated/ready/available
 * replicas = spec.replicas, Available and Progressing conditions), so `kubectl rollout status` and readiness
 * checks of a deployed gateway's manifests see what a healthy cluster shows.
 */
import type { KubeObject } from './kube-object.js';
import { rfc3339 } from './kube-object.js';
import type { Registry } from './registry.js';
import { RESOURCES } from './resources.js';
import type { StoreEvent } from './store.js';
import type { Timers } from './timers.js';

type Obj = Record<string, unknown>;

export class DeploymentController {
  private readonly unsubscribe: () => void;
  private readonly pending = new Set<string>();

  constructor(
    private readonly registry: Registry,
    private readonly timers: Timers,
    private readonly delayMs: number,
  ) {
    this.unsubscribe = registry.store.subscribe((e) => this.onEvent(e));
  }

  private onEvent(e: StoreEvent): void {
    if (e.object.type.resource !== 'deployments' || e.type === 'DELETED') return;
    const key = e.object.key;
    if (this.pending.has(key)) return;
    this.pending.add(key);
    this.timers.after(this.delayMs, () => {
      this.pending.delete(key);
      this.sync(key);
    });
  }

  private sync(key: string): void {
    const stored = this.registry.store.get('deployments', key);
    if (!stored) return;
    const d = this.registry.store.parse(stored);
    const generation = d.metadata?.generation ?? 1;
    const status = (d.status ?? {}) as Obj;
    if (status.observedGeneration === generation) return;
    const replicas = Number((d.spec as Obj | undefined)?.replicas ?? 1);
    const now = rfc3339(this.registry.now());
    const counts =
      replicas > 0
        ? { replicas, updatedReplicas: replicas, readyReplicas: replicas, availableReplicas: replicas }
        : {};
    const hash = stored.uid.replace(/-/g, '').slice(0, 10);
    const next: KubeObject = {
      ...d,
      status: {
        observedGeneration: generation,
        ...counts,
        conditions: [
          {
            type: 'Available',
            status: 'True',
            lastUpdateTime: now,
            lastTransitionTime: now,
            reason: 'MinimumReplicasAvailable',
            message: 'Deployment has minimum availability.',
          },
          {
            type: 'Progressing',
            status: 'True',
            lastUpdateTime: now,
            lastTransitionTime: now,
            reason: 'NewReplicaSetAvailable',
            message: `ReplicaSet "${stored.name}-${hash}" has successfully progressed.`,
          },
        ],
      },
    };
    this.registry.update(RESOURCES.deployments, stored, next, { subresource: 'status' });
  }

  stop(): void {
    this.unsubscribe();
  }
}
