/**
 * Finished pods of the nightly report Jobs: Succeeded first, then Failed. Only the pods exist; their
 * owner references name Jobs the simulator does not serve (a drain treats them as completed pods).
 */
import { makeTemplate, ownerRef, type PodTemplate } from '../pod-factory.js';
import { BATCH_NAMESPACE } from './app-catalog.js';
import type { GenerationContext } from './context.js';
import type { NodeSlot } from './nodes.js';
import type { PodPlacer } from './pod-placer.js';

function reportJobTemplate(job: string): PodTemplate {
  return makeTemplate({
    labels: { 'batch.kubernetes.io/job-name': job, 'job-name': job },
    containers: [
      {
        name: 'report',
        image: 'registry.example.com/batch/report-generator:v1.3.0',
        cpu: '500m',
        memory: '512Mi',
      },
    ],
    restartPolicy: 'Never',
  });
}

export function generateJobPods(
  ctx: GenerationContext,
  placer: PodPlacer,
  schedulable: NodeSlot[],
  counts: { succeeded: number; failed: number },
): void {
  const { random } = ctx;
  for (let i = 0; i < counts.succeeded + counts.failed; i++) {
    const job = `nightly-report-${28_000_000 + random.int(999_999)}`;
    const node = random.pick(schedulable);
    const name = `${job}-${random.nameSuffix()}`;
    placer.place(
      reportJobTemplate(job),
      name,
      BATCH_NAMESPACE,
      node,
      i < counts.succeeded ? 'Succeeded' : 'Failed',
      {
        owner: ownerRef('Job', job, random.uuid()),
        generateName: `${job}-`,
      },
    );
  }
}
