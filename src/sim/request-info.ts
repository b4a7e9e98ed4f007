/**
 * Turns a request path and method into what the apiserver's RequestInfoResolver produces: verb, resource,
 * subresource, namespace and name (or marks it a non-resource URL such as /version or discovery).
 */
import type { AuditVerb } from './audit.js';
import { queryBool } from './query-bool.js';
import { findResource, type ResourceType } from './resources.js';

export interface ResourceRequest {
  readonly isResource: true;
  readonly verb: AuditVerb;
  readonly group: string;
  readonly version: string;
  /** Undefined when the group/version/resource is unknown (404). */
  readonly type: ResourceType | undefined;
  readonly resource: string;
  readonly subresource: string | undefined;
  readonly namespace: string | undefined;
  readonly name: string | undefined;
  readonly query: URLSearchParams;
}

export interface NonResourceRequest {
  readonly isResource: false;
  readonly verb: AuditVerb;
  readonly path: string;
  readonly query: URLSearchParams;
}

export type RequestInfo = ResourceRequest | NonResourceRequest;

export function resolveRequest(method: string, rawUrl: string): RequestInfo {
  const url = new URL(rawUrl, 'http://sim.invalid');
  const query = url.searchParams;
  const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  let group: string;
  let version: string;
  let rest: string[];
  if (parts[0] === 'api' && parts.length >= 3) {
    group = '';
    version = parts[1]!;
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length >= 4) {
    group = parts[1]!;
    version = parts[2]!;
    rest = parts.slice(3);
  } else {
    return {
      isResource: false,
      verb: method === 'GET' || method === 'HEAD' ? 'get' : (method.toLowerCase() as AuditVerb),
      path: url.pathname,
      query,
    };
  }

  let watchPrefix = false;
  if (rest[0] === 'watch') {
    watchPrefix = true;
    rest = rest.slice(1);
  }
  let namespace: string | undefined;
  let resource: string;
  let name: string | undefined;
  let subresource: string | undefined;
  if (
    rest[0] === 'namespaces' &&
    rest.length >= 3 &&
    !(rest.length === 3 && (rest[2] === 'status' || rest[2] === 'finalize'))
  ) {
    namespace = rest[1];
    resource = rest[2]!;
    name = rest[3];
    subresource = rest[4];
  } else {
    resource = rest[0]!;
    name = rest[1];
    subresource = rest[2];
  }
  // GET /api/v1/namespaces/foo is the namespace foo, not a list in namespace foo.
  const type = findResource(group, version, resource);

  let verb: AuditVerb;
  switch (method) {
    case 'GET':
    case 'HEAD':
      verb = watchPrefix || queryBool(query, 'watch') === true ? 'watch' : name ? 'get' : 'list';
      break;
    case 'POST':
      verb = 'create';
      break;
    case 'PUT':
      verb = 'update';
      break;
    case 'PATCH':
      verb = 'patch';
      break;
    case 'DELETE':
      verb = name ? 'delete' : 'deletecollection';
      break;
    default:
      verb = method.toLowerCase() as AuditVerb;
  }
  return { isResource: true, verb, group, version, type, resource, subresource, namespace, name, query };
}
