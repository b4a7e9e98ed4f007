/** A drain request that cannot be served as asked; `code` is the GraphQL error code to report. */
export class DrainRequestError extends Error {
  override readonly name = 'DrainRequestError';
  constructor(
    readonly code: 'NOT_FOUND' | 'BAD_USER_INPUT' | 'CONFLICT',
    message: string,
  ) {
    super(message);
  }
}
