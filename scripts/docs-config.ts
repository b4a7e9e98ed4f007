/**
 * `npm run docs:config`: rewrites README.md's configuration table (between the config-table
 * markers) from the flag declarations in src/config/serve-flags.ts. `--check` only reports a
 * stale table and exits 1, for CI.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { configTableIsCurrent, renderConfigTable, replaceConfigTable } from '../src/config/config-table.js';
import { SERVE_FLAGS } from '../src/config/serve-flags.js';

const README = new URL('../README.md', import.meta.url);
const readme = readFileSync(README, 'utf8');

if (configTableIsCurrent(readme, SERVE_FLAGS)) {
  process.stdout.write('README.md configuration table is up to date\n');
} else if (process.argv.includes('--check')) {
  process.stderr.write('README.md configuration table is stale: run npm run docs:config and commit\n');
  process.exitCode = 1;
} else {
  writeFileSync(README, replaceConfigTable(readme, renderConfigTable(SERVE_FLAGS)));
  process.stdout.write('README.md configuration table regenerated\n');
}
