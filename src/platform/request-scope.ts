/**
 * Per-operation memo. Modules keep their per-request state here (DataLoaders, above all) so a
 * loader lives exactly as long as one GraphQL operation and batches only within it.
 */
export class RequestScope {
  private readonly values = new Map<string, unknown>();

  memo<T>(key: string, create: () => T): T {
    if (this.values.has(key)) return this.values.get(key) as T;
    const value = create();
    this.values.set(key, value);
    return value;
  }
}
