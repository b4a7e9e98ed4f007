/**
 * Impersonate-User / -Group / -Uid / -Extra-<key> headers, checked and applied as the apiserver's
 * WithImpersonation filter does (endpoints/filters/impersonation.go, v1.32): every requested item needs
 * the `impersonate` verb on its own resource (users, groups, serviceaccounts, uids, userextras/<key>),
 * then the request runs as the impersonated user.
 */
import type { ApiError } from '../status.js';
import type { Authorizer } from './authorizer.js';
import { forbidden } from './forbidden.js';
import type { Attributes } from './rbac-rules.js';
import {
  ALL_AUTHENTICATED,
  ALL_UNAUTHENTICATED,
  ANONYMOUS,
  serviceAccountGroups,
  serviceAccountUsername,
  splitServiceAccountUsername,
  type UserInfo,
} from './user-info.js';

/** A v1.ObjectReference as buildImpersonationRequests makes them. */
interface ImpersonationRequest {
  kind: 'ServiceAccount' | 'User' | 'Group' | 'UserExtra' | 'UID';
  namespace: string;
  name: string;
  apiVersion: string;
  fieldPath: string;
}

/** Headers by lower-case name, each with all its values (IncomingMessage.headersDistinct). */
export type HeaderValues = Readonly<Record<string, readonly string[] | undefined>>;

/** Headers that ask for groups, extras or a UID without a user: the apiserver answers a plain-text 500. */
export class ImpersonationHeaderError extends Error {
  override readonly name = 'ImpersonationHeaderError';
}

const EXTRA_PREFIX = 'impersonate-extra-';
const AUTHN_V1 = 'authentication.k8s.io/v1';

/** Go's %v of a v1.ObjectReference: its seven fields in order, space separated. */
function goFormat(r: ImpersonationRequest): string {
  return `{${[r.kind, r.namespace, r.name, '', r.apiVersion, '', r.fieldPath].join(' ')}}`;
}

function unescapeExtraKey(key: string): string {
  try {
    return decodeURIComponent(key);
  } catch {
    return key; // always record extra strings, even if malformed
  }
}

const ref = (
  kind: ImpersonationRequest['kind'],
  name: string,
  extra: Partial<ImpersonationRequest> = {},
) => ({
  kind,
  name,
  namespace: '',
  apiVersion: '',
  fieldPath: '',
  ...extra,
});

/** buildImpersonationRequests; an empty list means no impersonation. */
export function impersonationRequests(headers: HeaderValues): ImpersonationRequest[] {
  const out: ImpersonationRequest[] = [];
  const user = headers['impersonate-user']?.[0] ?? '';
  if (user) {
    const sa = splitServiceAccountUsername(user);
    out.push(sa ? ref('ServiceAccount', sa.name, { namespace: sa.namespace }) : ref('User', user));
  }
  const groups = headers['impersonate-group'] ?? [];
  for (const g of groups) out.push(ref('Group', g));
  let hasExtra = false;
  for (const [header, values] of Object.entries(headers)) {
    if (!header.startsWith(EXTRA_PREFIX)) continue;
    hasExtra = true;
    const key = unescapeExtraKey(header.slice(EXTRA_PREFIX.length));
    for (const v of values ?? []) out.push(ref('UserExtra', v, { apiVersion: AUTHN_V1, fieldPath: key }));
  }
  const uid = headers['impersonate-uid']?.[0] ?? '';
  if (uid) out.push(ref('UID', uid, { apiVersion: AUTHN_V1 }));
  if ((groups.length > 0 || hasExtra || uid) && !user) {
    throw new ImpersonationHeaderError(
      `requested [${out.map(goFormat).join(' ')}] without impersonating a user`,
    );
  }
  return out;
}

function attributesFor(requestor: UserInfo, r: ImpersonationRequest): Attributes {
  const group = r.apiVersion.includes('/') ? r.apiVersion.slice(0, r.apiVersion.indexOf('/')) : '';
  const version = r.apiVersion.slice(r.apiVersion.indexOf('/') + 1);
  const resource = {
    ServiceAccount: 'serviceaccounts',
    User: 'users',
    Group: 'groups',
    UserExtra: 'userextras',
    UID: 'uids',
  }[r.kind];
  return {
    user: requestor,
    resourceRequest: true,
    verb: 'impersonate',
    apiGroup: group,
    apiVersion: version,
    resource,
    ...(r.kind === 'UserExtra' ? { subresource: r.fieldPath } : {}),
    ...(r.namespace ? { namespace: r.namespace } : {}),
    name: r.name,
  };
}

/**
 * The user the request runs as: the requestor when no Impersonate-* header is there, the impersonated user
 * otherwise. Throws ImpersonationHeaderError for a malformed set, or a 403 ApiError for the first item the
 * requestor may not impersonate.
 */
export function impersonate(requestor: UserInfo, headers: HeaderValues, authz: Authorizer): UserInfo {
  const requests = impersonationRequests(headers);
  if (requests.length === 0) return requestor;
  const groupsSpecified = (headers['impersonate-group'] ?? []).length > 0;
  let username = '';
  let uid = '';
  let groups: string[] = [];
  const extra: Record<string, string[]> = {};
  for (const r of requests) {
    switch (r.kind) {
      case 'ServiceAccount':
        username = serviceAccountUsername(r.namespace, r.name);
        if (!groupsSpecified) groups = serviceAccountGroups(r.namespace);
        break;
      case 'User':
        username = r.name;
        break;
      case 'Group':
        groups.push(r.name);
        break;
      case 'UserExtra':
        extra[r.fieldPath] = [...(extra[r.fieldPath] ?? []), r.name];
        break;
      case 'UID':
        uid = r.name;
        break;
    }
    const attrs = attributesFor(requestor, r);
    const result = authz.authorize(attrs);
    if (result.decision !== 'allow') throw forbidden(attrs, result.reason) satisfies ApiError;
  }
  if (username !== ANONYMOUS) {
    if (!groups.includes(ALL_AUTHENTICATED) && !groups.includes(ALL_UNAUTHENTICATED))
      groups.push(ALL_AUTHENTICATED);
  } else if (!groups.includes(ALL_UNAUTHENTICATED)) groups.push(ALL_UNAUTHENTICATED);
  return {
    username,
    ...(uid ? { uid } : {}),
    groups,
    ...(Object.keys(extra).length ? { extra } : {}),
  };
}
