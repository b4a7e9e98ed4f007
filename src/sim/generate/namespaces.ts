/** Namespaces: the system ones as old as the cluster, the application ones created in its first month. */
import { rfc3339 } from '../kube-object.js';
import { APP_NAMESPACES, BATCH_NAMESPACE, SYSTEM_NAMESPACES } from './app-catalog.js';
import { DAY, type GenerationContext } from './context.js';

export function generateNamespaces(ctx: GenerationContext): void {
  const { random, clusterBirth } = ctx;
  for (const ns of [...SYSTEM_NAMESPACES, ...Object.keys(APP_NAMESPACES), BATCH_NAMESPACE]) {
    const created = SYSTEM_NAMESPACES.includes(ns) ? clusterBirth : clusterBirth + random.range(1, 30) * DAY;
    ctx.emit('namespaces', {
      metadata: {
        name: ns,
        uid: random.uuid(),
        creationTimestamp: rfc3339(created),
        labels: { 'kubernetes.io/metadata.name': ns },
      },
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active' },
    });
  }
}
