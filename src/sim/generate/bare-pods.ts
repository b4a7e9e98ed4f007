/** Pods without an owner (debug shells, one-off migrations); a third use emptyDir, which drain must flag. */
import { makeTemplate } from '../pod-factory.js';
import type { GenerationContext } from './context.js';
import type { NodeSlot } from './nodes.js';
import type { PodPlacer } from './pod-placer.js';

const BARE_POD_NAMESPACES = ['default', 'data-pipeline', 'platform'];
const BARE_POD_PREFIXES = ['debug', 'adhoc', 'migration', 'toolbox', 'netshoot'];

export function generateBarePods(
  ctx: GenerationContext,
  placer: PodPlacer,
  schedulable: NodeSlot[],
  count: number,
): void {
  const { random } = ctx;
  for (let i = 0; i < count; i++) {
    const namespace = random.pick(BARE_POD_NAMESPACES);
    const name = `${random.pick(BARE_POD_PREFIXES)}-${random.nameSuffix(6)}`;
    const template = makeTemplate({
      labels: { run: name },
      containers: [{ name: 'main', image: 'docker.io/library/busybox:1.37.0', cpu: '10m', memory: '32Mi' }],
      emptyDir: i % 3 === 0,
    });
    placer.place(template, name, namespace, random.pick(schedulable), 'Running', {});
  }
}
