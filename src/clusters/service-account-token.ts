import { readFile, stat } from 'node:fs/promises';

/**
 * A projected service account token file, read as it rotates. Bound tokens expire (kubelet
 * renews them at 80% of their life, about hourly) and kubelet replaces the file atomically by
 * swapping the `..data` symlink, so the file's identity (inode, size, mtime) changes with every
 * new token. One stat per request notices it: the first request after a rotation already sends
 * the new token (client-node's file reader would keep the old one for up to a minute).
 */
export class ServiceAccountTokenFile {
  private last?: { identity: string; token: string };

  constructor(readonly path: string) {}

  /** The current token; the last one read while the file is briefly unreadable. */
  async read(): Promise<string> {
    try {
      const s = await stat(this.path);
      const identity = `${s.dev}:${s.ino}:${s.size}:${s.mtimeMs}`;
      if (this.last?.identity === identity) return this.last.token;
      // Read after stat: a swap between the two is caught by the next request's stat.
      const token = (await readFile(this.path, 'utf8')).trim();
      this.last = { identity, token };
      return token;
    } catch (err) {
      if (this.last) return this.last.token;
      throw err;
    }
  }
}
