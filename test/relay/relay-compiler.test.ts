import { execFile } from 'node:child_process';
import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/temp-dir.js';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..', '..');
const FIXTURE = join(import.meta.dirname);

/**
 * relay-compiler is the referee of Relay compliance: it refuses `@refetchable` unless the schema
 * has a `Node` interface with `id: ID!`, `Query.node(id: ID!): Node` and the type implementing
 * it. The fixture (test/relay/src, its config pointing at the committed schema.graphql) is
 * compiled into a temporary copy, so nothing generated lands in the repository.
 */
describe('relay-compiler accepts the schema', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;

  beforeAll(async () => {
    dir = await tempDir('kng-relay-');
  });
  afterAll(async () => {
    await dir?.cleanup();
  });

  async function compile(project: string, sources: Record<string, string> | 'fixture') {
    const base = join(dir.path, project);
    if (sources === 'fixture') await cp(join(FIXTURE, 'src'), join(base, 'src'), { recursive: true });
    else {
      await cp(join(FIXTURE, 'src', 'graphql-tag.ts'), join(base, 'src', 'graphql-tag.ts'));
      for (const [name, text] of Object.entries(sources)) await writeFile(join(base, 'src', name), text);
    }
    const config = JSON.parse(await readFile(join(FIXTURE, 'relay.config.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    await writeFile(
      join(base, 'relay.config.json'),
      JSON.stringify({ ...config, schema: join(ROOT, 'schema.graphql') }),
    );
    const bin = join(ROOT, 'node_modules', '.bin', 'relay-compiler');
    return run(bin, ['--noWatchman'], { cwd: base, timeout: 60_000 }).then(
      (r) => ({ ok: true, output: r.stdout + r.stderr, base }),
      (e: { stdout?: string; stderr?: string }) => ({ ok: false, output: `${e.stdout}${e.stderr}`, base }),
    );
  }

  it('compiles @refetchable fragments on KubeNode, Pod, DrainJob, BulkDrainJob and Cluster into node(id:) queries', async () => {
    const result = await compile('fixture', 'fixture');
    expect(result.output).not.toMatch(/ERROR/);
    expect(result.ok).toBe(true);
    const generated = (name: string) => readFile(join(result.base, 'src', '__generated__', name), 'utf8');
    const refetch = await generated('KubeNodeRowRefetchQuery.graphql.ts');
    expect(refetch).toContain('node(id: $id)');
    expect(refetch).toContain('...KubeNodeRow_node');
    const bulkRefetch = await generated('BulkDrainJobRowRefetchQuery.graphql.ts');
    expect(bulkRefetch).toContain('node(id: $id)');
    expect(bulkRefetch).toContain('...KubeNodeRow_bulkDrainJob');
    // The node drain jobs inside it are normalized by their own global id.
    expect(bulkRefetch).toMatch(/drainJob \{[^}]*\bid\b/s);
  }, 90_000);

  it('fails on an error: @refetchable on a type without an id', async () => {
    const result = await compile('broken', {
      'Broken.ts': [
        "import { graphql } from './graphql-tag.js';",
        'export const broken = graphql`',
        '  fragment Broken_label on Label @refetchable(queryName: "BrokenRefetchQuery") { key }',
        '`;',
      ].join('\n'),
    });
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(/Invalid use of @refetchable/);
  }, 90_000);
});
