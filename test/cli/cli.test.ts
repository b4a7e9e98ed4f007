import { spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { SERVE_FLAGS } from '../../src/config/serve-flags.js';
import { tempDir } from '../support/temp-dir.js';

const REPO_ROOT = new URL('../../', import.meta.url).pathname;

function cli(...args: string[]) {
  return cliWithEnv(process.env, ...args);
}

function cliWithEnv(env: NodeJS.ProcessEnv, ...args: string[]) {
  return spawnSync(`${REPO_ROOT}node_modules/.bin/tsx`, ['src/cli.ts', ...args], {
    cwd: REPO_ROOT,
    env,
    encoding: 'utf8',
    timeout: 20_000,
  });
}

/** The environment without any kubeconfig: HOME an empty directory, no in-cluster variables. */
function envWithoutKubeconfig(home: string, kubeconfig: string): NodeJS.ProcessEnv {
  const { KUBERNETES_SERVICE_HOST: _host, KUBERNETES_SERVICE_PORT: _port, ...env } = process.env;
  return { ...env, HOME: home, KUBECONFIG: kubeconfig, LOG_LEVEL: 'silent', PORT: '0' };
}

describe('kube-node-gateway CLI', () => {
  it('prints help for serve and exits 0', () => {
    const run = cli('serve', '--help');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/Usage: kube-node-gateway serve/);
    expect(run.stdout).toMatch(/--api-timeout/);
  });

  it('exits 2 with a one-line reason on an unknown flag', () => {
    const run = cli('serve', '--no-such-flag');
    expect(run.status).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/--no-such-flag/);
  });

  it('exits 2 naming the bad value', () => {
    const run = cli('serve', '--port', 'eighty');
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/--port must be an integer from 0 to 65535, got "eighty"/);
  });

  it('lists every declared flag, its alias and its environment variable in serve --help', () => {
    const run = cli('serve', '--help');
    expect(run.status).toBe(0);
    const missing = SERVE_FLAGS.flatMap((flag) =>
      [
        `--${flag.name}`,
        ...(flag.short ? [`--${flag.name}, -${flag.short}`] : []),
        ...(flag.env ? [`[${flag.env}`] : []),
      ].filter((text) => !run.stdout.includes(text)),
    );
    expect(missing).toEqual([]);
  });

  it('exits 2 on hostile values with one line per bad flag, each named', () => {
    const run = cli('serve', '--port', '99999', '--api-timeout', 'banana');
    expect(run.status).toBe(2);
    expect(run.stderr.trim().split('\n')).toEqual([
      'kube-node-gateway: --port must be an integer from 0 to 65535, got "99999"',
      'kube-node-gateway: --api-timeout must be a duration like 500ms, 15s or 2m (at least 100 ms), got "banana"',
    ]);
  });

  it('exits 2 on an unknown command', () => {
    const run = cli('launch');
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/unknown command "launch"/);
  });

  it('exits 1 naming the context when a requested context does not exist', () => {
    const run = cli(
      'serve',
      '--kubeconfig',
      `${REPO_ROOT}test/cli/fixtures/one-context.kubeconfig`,
      '--context',
      'nope',
    );
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/no context named nope \(available: only\)/);
  });

  it('exits 2 with one line naming the missing file when KUBECONFIG names a file that does not exist', async () => {
    const home = await tempDir();
    try {
      const missing = `${home.path}/nope.kubeconfig`;
      const run = cliWithEnv(envWithoutKubeconfig(home.path, missing), 'serve');
      expect(run.status).toBe(2);
      expect(run.stderr.trim().split('\n')).toEqual([
        `kube-node-gateway: kubeconfig not found: ${missing} does not exist (from --kubeconfig or KUBECONFIG)`,
      ]);
    } finally {
      await home.cleanup();
    }
  });

  it('exits 2 with one line naming every place it looked when there is no kubeconfig at all', async () => {
    const home = await tempDir();
    try {
      const run = cliWithEnv(envWithoutKubeconfig(home.path, ''), 'serve');
      expect(run.status).toBe(2);
      const lines = run.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain('KUBECONFIG is empty or unset');
      expect(lines[0]).toContain(`${home.path}/.kube/config does not exist`);
      expect(lines[0]).toContain('not running in a cluster');
    } finally {
      await home.cleanup();
    }
  });

  it('exits 2 when the kubeconfig has no current context and none is asked for', async () => {
    const home = await tempDir();
    try {
      const path = `${home.path}/no-current.kubeconfig`;
      const fixture = await readFile(`${REPO_ROOT}test/cli/fixtures/one-context.kubeconfig`, 'utf8');
      await writeFile(path, fixture.replace(/^current-context:.*$/m, ''));
      const run = cliWithEnv(envWithoutKubeconfig(home.path, path), 'serve');
      expect(run.status).toBe(2);
      expect(run.stderr.trim().split('\n')).toEqual([
        `kube-node-gateway: no cluster to serve: ${path} has no usable current context (pass --context NAME or --all-contexts)`,
      ]);
    } finally {
      await home.cleanup();
    }
  });
});
