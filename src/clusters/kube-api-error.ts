/**
 * A failed Kubernetes API call, sorted by kind the way the gateway reports it.
 * Clients act on NotFound, Forbidden and Conflict differently, so those keep their own kinds;
 * timeouts and unreachable servers are kept apart too because clients retry them differently.
 */
export type KubeErrorKind =
  | 'NOT_FOUND'
  | 'FORBIDDEN'
  | 'UNAUTHORIZED'
  | 'CONFLICT'
  | 'GONE'
  | 'TOO_MANY_REQUESTS'
  | 'INVALID'
  | 'TIMEOUT'
  | 'UNAVAILABLE'
  | 'SERVER_ERROR';

/** The subset of a metav1.Status the gateway reads. */
export interface KubeStatus {
  kind?: string;
  status?: string;
  message?: string;
  reason?: string;
  code?: number;
  details?: {
    name?: string;
    kind?: string;
    causes?: { reason?: string; message?: string; field?: string }[];
  };
}

export class KubeApiError extends Error {
  override readonly name = 'KubeApiError';
  constructor(
    readonly kind: KubeErrorKind,
    message: string,
    /** HTTP status, 0 when no response arrived (timeout, connection refused). */
    readonly statusCode: number,
    readonly status?: KubeStatus,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  static fromResponse(statusCode: number, status: KubeStatus | undefined, what: string): KubeApiError {
    const message = status?.message ?? `${what}: HTTP ${statusCode}`;
    return new KubeApiError(kindOfStatusCode(statusCode), message, statusCode, status);
  }
}

export function kindOfStatusCode(code: number): KubeErrorKind {
  switch (code) {
    case 401:
      return 'UNAUTHORIZED';
    case 403:
      return 'FORBIDDEN';
    case 404:
      return 'NOT_FOUND';
    case 409:
      return 'CONFLICT';
    case 410:
      return 'GONE';
    case 422:
    case 400:
      return 'INVALID';
    case 429:
      return 'TOO_MANY_REQUESTS';
    case 504:
      return 'TIMEOUT';
    case 502:
    case 503:
      return 'UNAVAILABLE';
    default:
      return 'SERVER_ERROR';
  }
}

export function isKubeApiError(err: unknown, kind?: KubeErrorKind): err is KubeApiError {
  return err instanceof KubeApiError && (kind === undefined || err.kind === kind);
}
