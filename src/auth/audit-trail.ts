import { createWriteStream, type WriteStream } from 'node:fs';

/** One line of the audit trail: a mutation (whatever its outcome) or a denied read. */
export interface AuditRecord {
  readonly user: string;
  readonly groups: readonly string[];
  /** The client's address, when the transport knows it. */
  readonly source?: string;
  /** The GraphQL operation name, when the client gave one. */
  readonly operation?: string;
  /** The field, e.g. `Mutation.drainNode`, `Query.nodes`. */
  readonly field: string;
  readonly cluster?: string;
  readonly node?: string;
  readonly options?: unknown;
  /** OK, or the error code the client got (FORBIDDEN, CONFLICT, ...). */
  readonly outcome: string;
  readonly jobId?: string;
  /** For denials: the verb and resource that were refused. */
  readonly denied?: string;
}

/** Where audit records go. `record` never throws: auditing must not fail a request. */
export interface AuditTrail {
  record(entry: AuditRecord): void;
  close(): Promise<void>;
}

/** Writes each record as one JSON line, `time` first. */
export class JsonLineAuditTrail implements AuditTrail {
  constructor(
    private readonly write: (line: string) => void,
    private readonly onClose: () => Promise<void> = async () => {},
    private readonly now: () => Date = () => new Date(),
  ) {}

  record(entry: AuditRecord): void {
    try {
      this.write(`${JSON.stringify({ time: this.now().toISOString(), ...entry })}\n`);
    } catch {
      // A full disk or a closed stdout must not fail the mutation it records.
    }
  }

  close(): Promise<void> {
    return this.onClose();
  }
}

/** The trail of `--audit-log FILE` (appended to), or stdout when no file is given. */
export function openAuditTrail(path: string | undefined): AuditTrail {
  if (!path) return new JsonLineAuditTrail((line) => process.stdout.write(line));
  const stream: WriteStream = createWriteStream(path, { flags: 'a' });
  stream.on('error', () => {}); // reported once by the write that fails; the gateway keeps serving
  return new JsonLineAuditTrail(
    (line) => stream.write(line),
    () => new Promise((resolve) => stream.end(resolve)),
  );
}

/** A trail that keeps records in memory (tests). */
export class MemoryAuditTrail implements AuditTrail {
  readonly records: AuditRecord[] = [];
  record(entry: AuditRecord): void {
    this.records.push(entry);
  }
  async close(): Promise<void> {}
}
