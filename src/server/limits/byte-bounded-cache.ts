/**
 * An LRU keyed by strings and bounded by the total length of its keys (the documents' source
 * text): the values (parsed documents, parse errors) grow with the source, so distinct large
 * documents push each other out instead of piling up. An entry above the whole budget is not kept.
 */
export class ByteBoundedCache<V> {
  private readonly entries = new Map<string, V>();
  private bytes = 0;

  constructor(
    private readonly maxBytes: number,
    private readonly maxEntries = 1024,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  get totalBytes(): number {
    return this.bytes;
  }

  get(key: string): V | undefined {
    const value = this.entries.get(key);
    if (value !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }

  set(key: string, value: V): void {
    if (key.length > this.maxBytes) return;
    this.delete(key);
    this.entries.set(key, value);
    this.bytes += key.length;
    while (this.bytes > this.maxBytes || this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.delete(oldest);
    }
  }

  private delete(key: string): void {
    if (this.entries.delete(key)) this.bytes -= key.length;
  }
}
