import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '..', '..', 'src');

/**
 * Imports point down only. The GraphQL layers (schema, resolvers) and the HTTP layer (server)
 * sit on top; the modules below them must not reach up, and `platform` (logger, metrics,
 * readiness, request scope) imports nothing of ours, so any module can use it.
 */
const LOWER_FOLDERS = [
  'config',
  'platform',
  'clusters',
  'auth',
  'events',
  'informers',
  'pods',
  'drain',
  'sim',
];
const UPPER_FOLDERS = ['server', 'schema', 'resolvers'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** The src/ folders a file imports from (relative imports only), e.g. ['server', 'clusters']. */
function importedFolders(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const folders: string[] = [];
  for (const match of text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s+'(\.{1,2}\/[^']+)'/g)) {
    const target = relative(SRC, join(file, '..', match[1] ?? ''));
    if (!target.startsWith('..')) folders.push(target.split('/')[0] ?? '');
  }
  return folders;
}

describe('source layering', () => {
  it.each(LOWER_FOLDERS)('src/%s imports nothing from server, schema or resolvers', (folder) => {
    const upward = sourceFiles(join(SRC, folder)).flatMap((file) =>
      importedFolders(file)
        .filter((target) => UPPER_FOLDERS.includes(target))
        .map((target) => `${relative(SRC, file)} -> ${target}`),
    );
    expect(upward).toEqual([]);
  });

  it('src/platform imports nothing of ours', () => {
    const imports = sourceFiles(join(SRC, 'platform')).flatMap((file) =>
      importedFolders(file)
        .filter((target) => target !== 'platform')
        .map((target) => `${relative(SRC, file)} -> ${target}`),
    );
    expect(imports).toEqual([]);
  });
});
