import { mkdir, readlink, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tempDir } from '../support/temp-dir.js';

export interface ServiceAccountFiles {
  readonly token: string;
  readonly caPem: string;
  readonly namespace: string;
}

export interface ServiceAccountDir {
  /** What --service-account-dir (or SERVICE_ACCOUNT_DIR) names. */
  readonly path: string;
  /** Replaces the token the way kubelet does: new files, then one atomic swap of `..data`. */
  rotate(token: string): Promise<void>;
  cleanup(): Promise<void>;
}

/**
 * A projected service account volume as kubelet's AtomicWriter lays it out: the files live in
 * a timestamped folder, `..data` links to it, and `token`, `ca.crt`, `namespace` link through
 * `..data`. An update writes a new folder and renames a fresh `..data_tmp` link over `..data`,
 * so a reader sees the old files or the new ones, never a mix and never a half-written token.
 */
export async function serviceAccountDir(files: ServiceAccountFiles): Promise<ServiceAccountDir> {
  const dir = await tempDir('kng-sa-');
  let generation = 0;
  let current = { ...files };
  const writeGeneration = async (): Promise<string> => {
    generation += 1;
    const name = `..2026_12_01_00_00_0${generation}.${process.pid}`;
    await mkdir(join(dir.path, name));
    await writeFile(join(dir.path, name, 'token'), current.token);
    await writeFile(join(dir.path, name, 'ca.crt'), current.caPem);
    await writeFile(join(dir.path, name, 'namespace'), current.namespace);
    return name;
  };
  const first = await writeGeneration();
  await symlink(first, join(dir.path, '..data'));
  for (const file of ['token', 'ca.crt', 'namespace']) {
    await symlink(join('..data', file), join(dir.path, file));
  }
  return {
    path: dir.path,
    async rotate(token) {
      current = { ...current, token };
      const old = await readlink(join(dir.path, '..data'));
      const next = await writeGeneration();
      await symlink(next, join(dir.path, '..data_tmp'));
      await rename(join(dir.path, '..data_tmp'), join(dir.path, '..data'));
      await rm(join(dir.path, old), { recursive: true, force: true });
    },
    cleanup: () => dir.cleanup(),
  };
}
