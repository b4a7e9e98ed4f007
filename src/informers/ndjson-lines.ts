/**
 * Splits a stream of text chunks into lines as they arrive (a watch sends one JSON object
 * per line, and a chunk may end in the middle of one). Decode bytes to text first, with
 * `setEncoding('utf8')`, so a multi-byte character split across chunks stays whole.
 */
export class LineSplitter {
  private rest = '';

  /** @param maxLineLength a line longer than this is an error, not a reason to buffer forever */
  constructor(private readonly maxLineLength = 32 * 1024 * 1024) {}

  /** The complete, non-blank lines this chunk finishes. Throws past `maxLineLength`. */
  push(chunk: string): string[] {
    const text = this.rest + chunk;
    const lines = text.split('\n');
    this.rest = lines.pop() ?? '';
    if (this.rest.length > this.maxLineLength) {
      throw new Error(`watch line longer than ${this.maxLineLength} characters`);
    }
    return lines.filter((line) => line.trim().length > 0);
  }

  /** Whatever is left when the stream ends (a last line without newline). */
  flush(): string[] {
    const last = this.rest;
    this.rest = '';
    return last.trim().length > 0 ? [last] : [];
  }
}
