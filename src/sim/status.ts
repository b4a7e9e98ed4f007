/**
 * metav1.Status bodies exactly as the apiserver builds them (k8s.io/apimachinery/pkg/api/errors), so that
 * kubectl and client libraries print and classify them the way they would against a real cluster.
 */

export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Success' | 'Failure';
  message?: string;
  reason?: string;
  details?: StatusDetails;
  code: number;
}

/** A request failure carrying the Status to send. Thrown by handlers, rendered by the server. */
export class ApiError extends Error {
  readonly status: Status;
  constructor(code: number, reason: string, message: string, details?: StatusDetails) {
    super(message);
    this.status = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message,
      reason,
      ...(details ? { details } : {}),
      code,
    };
  }
  get code(): number {
    return this.status.code;
  }
}

/** Identifies a resource in messages: `pods`, `replicasets.apps`. */
export interface ResourceRef {
  resource: string;
  group: string;
}

function qualified(ref: ResourceRef): string {
  return ref.group ? `${ref.resource}.${ref.group}` : ref.resource;
}

function details(ref: ResourceRef, name: string, extra?: Partial<StatusDetails>): StatusDetails {
  return { name, ...(ref.group ? { group: ref.group } : {}), kind: ref.resource, ...extra };
}

export const errors = {
  notFound(ref: ResourceRef, name: string): ApiError {
    return new ApiError(404, 'NotFound', `${qualified(ref)} "${name}" not found`, details(ref, name));
  },
  alreadyExists(ref: ResourceRef, name: string): ApiError {
    return new ApiError(
      409,
      'AlreadyExists',
      `${qualified(ref)} "${name}" already exists`,
      details(ref, name),
    );
  },
  conflict(ref: ResourceRef, name: string, why: string): ApiError {
    return new ApiError(
      409,
      'Conflict',
      `Operation cannot be fulfilled on ${qualified(ref)} "${name}": ${why}`,
      details(ref, name),
    );
  },
  modified(ref: ResourceRef, name: string): ApiError {
    return errors.conflict(
      ref,
      name,
      'the object has been modified; please apply your changes to the latest version and try again',
    );
  },
  invalid(
    kind: string,
    name: string,
    causes: Array<{ field: string; type: string; detail: string }>,
  ): ApiError {
    const parts = causes.map((c) => `${c.field}: ${c.type}${c.detail ? `: ${c.detail}` : ''}`);
    const summary = parts.length === 1 ? parts[0]! : `[${parts.join(', ')}]`;
    return new ApiError(422, 'Invalid', `${kind} "${name}" is invalid: ${summary}`, {
      name,
      kind,
      causes: causes.map((c) => ({
        reason: `Field${c.type.replace(/\s+/g, '')}`,
        message: `${c.type}${c.detail ? `: ${c.detail}` : ''}`,
        field: c.field,
      })),
    });
  },
  badRequest(message: string): ApiError {
    return new ApiError(400, 'BadRequest', message);
  },
  unauthorized(): ApiError {
    return new ApiError(401, 'Unauthorized', 'Unauthorized');
  },
  forbidden(
    user: string,
    verb: string,
    ref: ResourceRef,
    name: string | undefined,
    namespace?: string,
  ): ApiError {
    const scope = namespace ? ` in the namespace "${namespace}"` : ' at the cluster scope';
    return new ApiError(
      403,
      'Forbidden',
      `${qualified(ref)}${name ? ` "${name}"` : ''} is forbidden: User "${user}" cannot ${verb} resource "${ref.resource}" in API group "${ref.group}"${scope}`,
      { ...(name ? { name } : {}), ...(ref.group ? { group: ref.group } : {}), kind: ref.resource },
    );
  },
  methodNotAllowed(): ApiError {
    return new ApiError(
      405,
      'MethodNotAllowed',
      'the server does not allow this method on the requested resource',
    );
  },
  notFoundPath(): ApiError {
    return new ApiError(404, 'NotFound', 'the server could not find the requested resource');
  },
  gone(message: string): ApiError {
    return new ApiError(410, 'Expired', message);
  },
  unsupportedMediaType(accepted: string[]): ApiError {
    return new ApiError(
      415,
      'UnsupportedMediaType',
      `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`,
    );
  },
  tooManyRequests(message: string, retryAfterSeconds: number, causes?: StatusCause[]): ApiError {
    return new ApiError(429, 'TooManyRequests', message, {
      ...(causes ? { causes } : {}),
      ...(retryAfterSeconds > 0 ? { retryAfterSeconds } : {}),
    });
  },
  internal(message: string): ApiError {
    return new ApiError(500, 'InternalError', `Internal error occurred: ${message}`, {
      causes: [{ message }],
    });
  },
  timeout(message: string, retryAfterSeconds?: number): ApiError {
    return new ApiError(504, 'Timeout', message, retryAfterSeconds ? { retryAfterSeconds } : undefined);
  },
  serviceUnavailable(message: string): ApiError {
    return new ApiError(503, 'ServiceUnavailable', message);
  },
  requestEntityTooLarge(message: string): ApiError {
    return new ApiError(413, 'RequestEntityTooLarge', message);
  },
};

/** A Failure Status for an arbitrary code, as injected by SimFaults.failNext. */
export function statusForCode(code: number, resource: ResourceRef, user: string, verb: string): ApiError {
  switch (code) {
    case 400:
      return errors.badRequest('injected fault: bad request');
    case 401:
      return errors.unauthorized();
    case 403:
      return errors.forbidden(user, verb, resource, undefined);
    case 404:
      return errors.notFoundPath();
    case 409:
      return errors.conflict(resource, '', 'injected fault');
    case 410:
      return errors.gone('too old resource version');
    case 422:
      return new ApiError(422, 'Invalid', 'injected fault: invalid');
    case 429:
      return errors.tooManyRequests('Too many requests, please try again later.', 1);
    case 500:
      return errors.internal('injected fault');
    case 503:
      return errors.serviceUnavailable('injected fault: service unavailable');
    case 504:
      return errors.timeout(
        'injected fault: the server was unable to return a response in the time allotted',
      );
    default:
      return new ApiError(code, 'Unknown', `injected fault: code ${code}`);
  }
}

export function successStatus(code: number, extra?: { details?: StatusDetails }): Status {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', ...extra, code };
}
