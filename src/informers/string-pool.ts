/**
 * Interns the short strings that repeat across nodes (label values, taint keys, condition
 * types, capacity quantities, kubelet versions), so 5000 nodes share one copy of "amd64"
 * instead of holding 5000. Bounded: once full it stops adding, which only costs memory,
 * never correctness.
 */
export class StringPool {
  private readonly strings = new Map<string, string>();

  constructor(
    private readonly maxEntries = 50_000,
    private readonly maxLength = 96,
  ) {}

  intern(value: string): string {
    if (value.length > this.maxLength) return value;
    const known = this.strings.get(value);
    if (known !== undefined) return known;
    if (this.strings.size < this.maxEntries) this.strings.set(value, value);
    return value;
  }

  get size(): number {
    return this.strings.size;
  }
}

/** The process-wide pool: label values repeat across clusters too. */
export const sharedStringPool = new StringPool();
