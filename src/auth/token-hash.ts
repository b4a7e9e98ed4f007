import { createHash } from 'node:crypto';

/** The only form in which a token is kept as a key: its SHA-256, hex. Never the token itself. */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
