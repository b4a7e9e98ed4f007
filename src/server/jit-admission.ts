import type { DocumentNode } from 'graphql';

/** Distinct documents graphql-jit may compile over the process's life. */
export const MAX_JIT_DOCUMENTS = 500;

/**
 * Which documents graphql-jit compiles. A compiled query stays in memory for good (graphql-jit
 * memoizes per AST node; measured ~2 KB kept per distinct document, so 12,000 random documents
 * grew the heap by 25 MB), so a client sending endless distinct documents must not be able to
 * make the gateway compile them all. A document is compiled on its second execution (a UI's
 * queries repeat; one-off documents run on graphql-js) and only while fewer than `max`
 * documents have been compiled; the rest run on graphql-js, correct and a little slower.
 */
export class JitAdmission {
  private readonly executions = new WeakMap<DocumentNode, number>();
  private readonly compiled = new WeakSet<DocumentNode>();
  private compiledCount = 0;

  constructor(private readonly max = MAX_JIT_DOCUMENTS) {}

  admits(document: DocumentNode): boolean {
    if (this.compiled.has(document)) return true;
    const executions = (this.executions.get(document) ?? 0) + 1;
    this.executions.set(document, executions);
    if (executions < 2 || this.compiledCount >= this.max) return false;
    this.compiled.add(document);
    this.compiledCount++;
    return true;
  }

  get count(): number {
    return this.compiledCount;
  }
}
