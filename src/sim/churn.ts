/**
 * Optional background churn: ReplicaSet pods deleted at a rate (their controllers recreate them, so pods
 * are created and deleted at that rate) and worker nodes flapping NotReady for a while.
 */
import type { Kubelet } from './kubelet.js';
import type { Random } from './random.js';
import type { Registry } from './registry.js';
import { RESOURCES } from './resources.js';
import type { Timers } from './timers.js';

export interface ChurnOptions {
  podsPerSecond?: number;
  readyFlapsPerMinute?: number;
  /** How long a flapped node stays NotReady; default 10 s. */
  readyFlapDurationMs?: number;
}

export function startChurn(
  registry: Registry,
  kubelet: Kubelet,
  random: Random,
  timers: Timers,
  opts: ChurnOptions,
): void {
  const store = registry.store;
  const pps = opts.podsPerSecond ?? 0;
  if (pps > 0) {
    // Ticks of at least 50 ms, deleting as many pods per tick as the rate needs.
    const tickMs = Math.max(50, 1000 / pps);
    let owed = 0;
    timers.every(tickMs, () => {
      owed += (pps * tickMs) / 1000;
      for (; owed >= 1; owed--) {
        const count = store.count('pods');
        for (let attempt = 0; attempt < 20 && count > 0; attempt++) {
          const p = store.nth('pods', random.int(count));
          if (!p || p.terminating || !p.controllerUid || p.fields['status.phase'] !== 'Running') continue;
          const owner = store.parse(p).metadata?.ownerReferences?.find((r) => r.controller);
          if (owner?.kind !== 'ReplicaSet' || !store.get('replicasets', `${p.namespace}/${owner.name}`))
            continue;
          registry.delete(RESOURCES.pods, p);
          break;
        }
      }
    });
  }
  const flaps = opts.readyFlapsPerMinute ?? 0;
  if (flaps > 0) {
    const duration = opts.readyFlapDurationMs ?? 10_000;
    timers.every(60_000 / flaps, () => {
      const workers = store
        .list('nodes')
        .filter((n) => !('node-role.kubernetes.io/control-plane' in n.labels));
      const node = workers.length ? random.pick(workers) : undefined;
      if (!node) return;
      kubelet.setNodeReady(node.name, false);
      timers.after(duration, () => kubelet.setNodeReady(node.name, true));
    });
  }
}
