/** A drain request that cannot be served as asked; `code` is the GraphQL error code to report. */
export class DrainRequestError extends Error {
  override readonly name = 'DrainRequestError';
  constructor(
    readonly code: 'NOT_FOUND' | 'BAD_USER_INPUT' | 'CONFLICT' | 'RATE_LIMITED',
    message: string,
    /** Details a client can act on (e.g. the id of the drain in the way), reported as error extensions. */
    readonly extensions: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
  }
}

/** The store holds `maxJobs` active drains: a new one waits for one of them to finish. */
export function drainStoreFullError(maxJobs: number): DrainRequestError {
  return new DrainRequestError(
    'RATE_LIMITED',
    `${maxJobs} drains are active, the most the gateway keeps; retry when one has finished`,
    { limit: 'active-drains', max: maxJobs },
  );
}
