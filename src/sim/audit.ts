/**
 * Request audit log, one entry per API request like the apiserver's audit log (Metadata level). Tests and
 * benchmarks count API calls with it; entries are also appended as JSON lines to a file when asked.
 * Watches are recorded when the response starts (their code is then known), other requests when they end.
 */
import { createWriteStream, type WriteStream } from 'node:fs';

export type AuditVerb =
  | 'get'
  | 'list'
  | 'watch'
  | 'create'
  | 'update'
  | 'patch'
  | 'delete'
  | 'deletecollection';

/** user.Info as audit events record it (`user`, `impersonatedUser`). */
export interface AuditUser {
  username: string;
  groups: string[];
  /** As the audit event's user.extra: e.g. a service account token's credential-id (its JTI). */
  extra?: Record<string, string[]>;
}

export interface AuditEntry {
  time: string;
  /** The authenticated user's name (system:anonymous for a request without a valid token). */
  user: string;
  /** The authenticated user with its groups: the audit event's `user`. */
  userInfo: AuditUser;
  /** Who the request ran as, when it carried Impersonate-* headers the user was allowed to send. */
  impersonatedUser?: AuditUser;
  verb: AuditVerb;
  /** '' for non-resource requests (discovery, /version); see requestURI. */
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue: boolean;
  /** Accept asked for a server-side Table. */
  table: boolean;
  code: number;
  latencyMs: number;
  userAgent?: string;
  /** Path and query, as in the real audit log. */
  requestURI: string;
  /** resourceVersion query parameter, when present. */
  resourceVersion?: string;
}

export interface SimAudit {
  entries(): readonly AuditEntry[];
  clear(): void;
  /** Entries whose fields equal the filter's; object fields (userInfo, impersonatedUser) match partially. */
  count(filter?: AuditFilter): number;
}

export type AuditFilter = Partial<Omit<AuditEntry, 'userInfo' | 'impersonatedUser'>> & {
  userInfo?: Partial<AuditUser>;
  impersonatedUser?: Partial<AuditUser>;
};

function fieldMatches(actual: unknown, wanted: unknown): boolean {
  if (wanted === null || typeof wanted !== 'object') return actual === wanted;
  if (actual === null || typeof actual !== 'object') return false;
  return Object.entries(wanted).every(([k, v]) =>
    Array.isArray(v)
      ? JSON.stringify((actual as Record<string, unknown>)[k]) === JSON.stringify(v)
      : fieldMatches((actual as Record<string, unknown>)[k], v),
  );
}

export class AuditLog implements SimAudit {
  private list: AuditEntry[] = [];
  private readonly file: WriteStream | undefined;

  constructor(
    path?: string,
    /** Oldest entries are dropped beyond this many (a long demo must not grow without bound). */
    private readonly maxEntries = 1_000_000,
  ) {
    this.file = path ? createWriteStream(path, { flags: 'a' }) : undefined;
  }

  record(entry: AuditEntry): void {
    this.list.push(entry);
    if (this.list.length > this.maxEntries) this.list.splice(0, this.list.length - this.maxEntries);
    this.file?.write(`${JSON.stringify(entry)}\n`);
  }

  entries(): readonly AuditEntry[] {
    return this.list;
  }

  clear(): void {
    this.list = [];
  }

  count(filter: AuditFilter = {}): number {
    const keys = Object.keys(filter) as Array<keyof AuditFilter>;
    let n = 0;
    for (const e of this.list) {
      if (keys.every((k) => fieldMatches(e[k], filter[k]))) n++;
    }
    return n;
  }

  close(): Promise<void> {
    const file = this.file;
    if (!file) return Promise.resolve();
    return new Promise((resolve) => file.end(resolve));
  }
}
