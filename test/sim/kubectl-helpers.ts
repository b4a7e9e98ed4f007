/** Running the real kubectl against a simulator. Missing kubectl skips locally but fails under CI. */
import { type ChildProcess, execFile, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SimulatorHandle } from '../../src/sim/index.js';

export function kubectlAvailable(): boolean {
  return spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore' }).status === 0;
}

export const KUBECTL_MISSING =
  'kubectl is not on PATH: the simulator fidelity tests need it (they fail under CI without it)';

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface Kubectl {
  run(args: string[], timeoutMs?: number): Promise<KubectlResult>;
  /** Runs and throws (with stderr) on a non-zero exit. */
  ok(args: string[], timeoutMs?: number): Promise<string>;
  spawn(args: string[]): ChildProcess;
  dispose(): void;
}

/** A kubectl bound to the simulator through a temp kubeconfig and discovery cache; `token` picks the user. */
export async function kubectlFor(sim: SimulatorHandle, opts: { token?: string } = {}): Promise<Kubectl> {
  const dir = mkdtempSync(join(tmpdir(), 'sim-kubectl-'));
  const kubeconfig = join(dir, 'kubeconfig');
  await sim.writeKubeconfig(kubeconfig, opts.token ? { token: opts.token } : undefined);
  const base = ['--kubeconfig', kubeconfig, '--cache-dir', join(dir, 'cache')];
  const env = { ...process.env, HOME: dir, KUBECONFIG: kubeconfig };
  const run = (args: string[], timeoutMs = 90_000): Promise<KubectlResult> =>
    new Promise((resolve) => {
      execFile(
        'kubectl',
        [...base, ...args],
        { env, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 },
        (err, stdout, stderr) => {
          const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
          resolve({ code, stdout, stderr });
        },
      );
    });
  return {
    run,
    async ok(args, timeoutMs) {
      const r = await run(args, timeoutMs);
      if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} exited ${r.code}: ${r.stderr}${r.stdout}`);
      return r.stdout;
    },
    spawn: (args) => spawn('kubectl', [...base, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] }),
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}
