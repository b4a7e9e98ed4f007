/**
 * The 403 the apiserver answers when authorization says no (endpoints/handlers/responsewriters
 * ForbiddenStatusError + apierrors.NewForbidden), word for word.
 */
import { ApiError } from '../status.js';
import type { Attributes } from './rbac-rules.js';

// Avoid emitting errors that look like valid HTML (the apiserver's sanitizer). Quotes are okay.
function sanitize(s: string): string {
  return s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/** Go's %q for the strings that appear here (names, paths): JSON quoting is the same for printable text. */
const q = (s: string): string => JSON.stringify(s);

function forbiddenMessage(a: Attributes): string {
  const user = a.user.username;
  if (!a.resourceRequest) return `User ${q(user)} cannot ${a.verb} path ${q(a.path)}`;
  const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  const scope = a.namespace ? `in the namespace ${q(a.namespace)}` : 'at the cluster scope';
  return `User ${q(user)} cannot ${a.verb} resource ${q(resource)} in API group ${q(a.apiGroup)} ${scope}`;
}

export function forbidden(a: Attributes, reason: string): ApiError {
  const msg = sanitize(forbiddenMessage(a));
  const err = reason ? `${msg}: ${reason}` : msg;
  const group = a.resourceRequest ? a.apiGroup : '';
  const resource = a.resourceRequest ? a.resource : '';
  const name = a.resourceRequest ? (a.name ?? '') : '';
  let message: string;
  if (!group && !resource) message = `forbidden: ${err}`;
  else {
    const qualified = group ? `${resource}.${group}` : resource;
    message = name ? `${qualified} ${q(name)} is forbidden: ${err}` : `${qualified} is forbidden: ${err}`;
  }
  return new ApiError(403, 'Forbidden', message, {
    ...(name ? { name } : {}),
    ...(group ? { group } : {}),
    ...(resource ? { kind: resource } : {}),
  });
}
