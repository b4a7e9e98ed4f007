import type { DrainPhase } from '../../src/drain/drain-job.js';
import type { DrainPlan } from '../../src/drain/drain-plan.js';
import type { DrainReporter } from '../../src/drain/drain-reporter.js';
import type { KubePod } from '../../src/pods/kube-pod.js';

/** A DrainReporter that writes each call down as one line. */
export class RecordingReporter implements DrainReporter {
  readonly lines: string[] = [];
  plan: DrainPlan | undefined;
  /** Called after each line is written (tests use it to act mid-drain). */
  onLine: (line: string) => void = () => undefined;

  phase(phase: DrainPhase): void {
    this.add(`phase ${phase}`);
  }
  cordoned(): void {
    this.add('cordoned');
  }
  planned(plan: DrainPlan): void {
    this.plan = plan;
    this.add(`planned ${plan.toEvict.length} errors=${plan.errors.length}`);
  }
  podEvicting(pod: KubePod, attempt: number): void {
    this.add(`evicting ${name(pod)} #${attempt}`);
  }
  podBlocked(pod: KubePod, attempt: number, message: string): void {
    this.add(`blocked ${name(pod)} #${attempt}: ${message}`);
  }
  podEvicted(pod: KubePod): void {
    this.add(`evicted ${name(pod)}`);
  }
  podDeleted(pod: KubePod, message: string): void {
    this.add(`deleted ${name(pod)}: ${message}`);
  }
  podAlreadyGone(pod: KubePod): void {
    this.add(`gone ${name(pod)}`);
  }
  podSkipped(pod: KubePod, message: string): void {
    this.add(`skipped ${name(pod)}: ${message}`);
  }
  podFailed(pod: KubePod, message: string): void {
    this.add(`failed ${name(pod)}: ${message}`);
  }

  linesAbout(podName: string): string[] {
    return this.lines.filter((l) => l.split(/[ :]/)[1] === podName);
  }

  private add(line: string): void {
    this.lines.push(line);
    this.onLine(line);
  }
}

function name(pod: KubePod): string {
  return pod.metadata.name ?? '';
}
