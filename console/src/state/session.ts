import { ApiFailure, requestData } from '../api/client.js';
import type { ConsoleSessionQuery } from '../gql/graphql.js';
import { CONSOLE_SESSION } from '../operations.js';

export type Session = ConsoleSessionQuery;
export type ClusterAccess = Session['viewer']['clusters'][number];

export type SessionState =
  | { kind: 'loading' }
  | { kind: 'ready'; session: Session }
  | { kind: 'signed-out'; message?: string }
  | { kind: 'failed'; message: string };

/** Who the viewer is and what they may do: buttons they may not use are not shown. */
export async function loadSession(): Promise<SessionState> {
  try {
    return { kind: 'ready', session: await requestData(CONSOLE_SESSION, {}) };
  } catch (err) {
    if (err instanceof ApiFailure && (err.status === 401 || err.code === 'UNAUTHENTICATED'))
      return { kind: 'signed-out', message: err.message };
    return { kind: 'failed', message: err instanceof Error ? err.message : String(err) };
  }
}
