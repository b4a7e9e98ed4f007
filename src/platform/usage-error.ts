/** Bad flags or environment: the CLI prints each problem on one line and exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  constructor(readonly problems: readonly string[]) {
    super(problems.join('; '));
  }
}
