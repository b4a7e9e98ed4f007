import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  configTableIsCurrent,
  renderConfigTable,
  replaceConfigTable,
  TABLE_END,
  TABLE_START,
} from '../../src/config/config-table.js';
import { SERVE_FLAGS } from '../../src/config/serve-flags.js';

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

function markedSection(readme: string): string {
  return readme.slice(readme.indexOf(TABLE_START) + TABLE_START.length, readme.indexOf(TABLE_END)).trim();
}

describe('README configuration table', () => {
  it('is the table the flag declarations render (npm run docs:config regenerates it)', () => {
    expect(markedSection(README)).toBe(renderConfigTable(SERVE_FLAGS));
    expect(configTableIsCurrent(README, SERVE_FLAGS)).toBe(true);
  });

  it('has a row for every declared flag', () => {
    const rows = markedSection(README).split('\n').slice(2);
    expect(rows).toHaveLength(SERVE_FLAGS.length);
    for (const flag of SERVE_FLAGS) expect(rows.some((row) => row.includes(`\`--${flag.name}`))).toBe(true);
  });

  it('is stale once a declaration changes its default', () => {
    const changed = SERVE_FLAGS.map((flag) =>
      flag.name === 'port' ? { ...flag, defaultText: '8080' } : flag,
    );
    expect(configTableIsCurrent(README, changed)).toBe(false);
    expect(configTableIsCurrent(replaceConfigTable(README, renderConfigTable(changed)), changed)).toBe(true);
  });

  it('is stale once a flag is declared that the README lacks', () => {
    const port = SERVE_FLAGS.find((flag) => flag.name === 'port')!;
    const added = [...SERVE_FLAGS, { ...port, name: 'shutdown-delay', short: undefined, env: undefined }];
    expect(configTableIsCurrent(README, added)).toBe(false);
  });

  it('replaces only the marked section', () => {
    const readme = `# T\n\nbefore\n${TABLE_START}\nold\n${TABLE_END}\nafter\n`;
    expect(replaceConfigTable(readme, '| new |')).toBe(
      `# T\n\nbefore\n${TABLE_START}\n| new |\n${TABLE_END}\nafter\n`,
    );
  });

  it('refuses a README without the markers', () => {
    expect(() => replaceConfigTable('# no table here\n', '| t |')).toThrow(/config-table:start/);
  });

  it('escapes a pipe in a cell so it cannot split the row', () => {
    const port = SERVE_FLAGS.find((flag) => flag.name === 'port')!;
    expect(renderConfigTable([{ ...port, help: 'a|b' }]).split('\n')[2]).toContain('a\\|b');
  });
});
