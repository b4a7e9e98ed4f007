import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { type GatewayClient, gatewayClient } from './gateway-client.js';

const REPO_ROOT = new URL('../../', import.meta.url).pathname;

export interface SpawnedGateway extends GatewayClient {
  readonly process: ChildProcess;
  /** Resolves with the exit code (or the signal name) once the process has exited. */
  readonly exited: Promise<number | string>;
  /** Every log line the process printed, parsed. */
  readonly logs: Record<string, unknown>[];
  /** What the process wrote to stderr so far (a crash's stack). */
  readonly stderr: () => string;
  kill(signal?: NodeJS.Signals): void;
}

/**
 * `kube-node-gateway serve` as its own OS process (for SIGTERM and kill -9 tests).
 * Resolves once it logs that it listens.
 */
export async function spawnGateway(
  args: readonly string[],
  env: Record<string, string> = {},
  { startTimeoutMs = 20_000 }: { startTimeoutMs?: number } = {},
): Promise<SpawnedGateway> {
  // Node itself with tsx as a loader (not the tsx launcher), so a signal reaches the gateway
  // process and not a wrapper that would leave it running.
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'serve', '--port', '0', ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Record<string, unknown>[] = [];
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')),
  );
  const baseUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`gateway did not start within ${startTimeoutMs} ms: ${stderr}`)),
      startTimeoutMs,
    );
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`gateway exited (${code}) before listening: ${stderr}`));
    });
    createInterface({ input: child.stdout! }).on('line', (line) => {
      let entry: Record<string, unknown>;
      try {
        entry = JSON.parse(line) as Record<string, unknown>;
      } catch {
        return;
      }
      logs.push(entry);
      if (entry.msg === 'gateway listening' && typeof entry.url === 'string') {
        clearTimeout(timer);
        resolve(entry.url.replace(/\/graphql$/, ''));
      }
    });
  });
  return {
    ...gatewayClient(baseUrl),
    process: child,
    exited,
    logs,
    stderr: () => stderr,
    kill: (signal = 'SIGTERM') => void child.kill(signal),
  };
}
