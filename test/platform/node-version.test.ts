import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { nodeVersionProblem, REQUIRED_NODE_VERSION } from '../../src/platform/node-version.js';

const REPO_ROOT = new URL('../../', import.meta.url).pathname;
const SYSTEM_NODE = '/usr/bin/node';

describe('the Node.js version check', () => {
  it.each([
    ['20.20.2', false],
    ['22.18.9', false],
    ['22.19.0', true],
    ['22.20.1', true],
    ['24.21.0', true],
    ['100.0.0', true],
  ])('Node %s may run the gateway: %s', (version, ok) => {
    expect(nodeVersionProblem(version, '22.19.0') === undefined).toBe(ok);
  });

  it('names the version it needs and the one it found', () => {
    expect(nodeVersionProblem('20.20.2')).toBe(
      `needs Node.js ${REQUIRED_NODE_VERSION} or later; this is Node.js 20.20.2`,
    );
  });

  // The machine's own Node (Debian's) is older than the project's: the bin must say so, not crash.
  const systemNode = existsSync(SYSTEM_NODE)
    ? spawnSync(SYSTEM_NODE, ['--version'], { encoding: 'utf8' }).stdout.trim().replace(/^v/, '')
    : undefined;
  it.runIf(systemNode !== undefined && nodeVersionProblem(systemNode) !== undefined)(
    `on this machine's ${SYSTEM_NODE} (${systemNode}) the CLI exits 2 with one line`,
    () => {
      const run = spawnSync(SYSTEM_NODE, ['--import', 'tsx', 'src/cli.ts', 'serve', '--help'], {
        cwd: REPO_ROOT,
        encoding: 'utf8',
        timeout: 20_000,
      });
      expect(run.status).toBe(2);
      expect(run.stderr.trim().split('\n')).toEqual([
        `kube-node-gateway: needs Node.js ${REQUIRED_NODE_VERSION} or later; this is Node.js ${systemNode}`,
      ]);
    },
  );
});
