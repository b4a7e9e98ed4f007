/**
 * The create-only review APIs: authentication.k8s.io/v1 TokenReview and SelfSubjectReview,
 * authorization.k8s.io/v1 SubjectAccessReview, SelfSubjectAccessReview and SelfSubjectRulesReview.
 * Nothing is stored; the answer is the request object with its status filled in (201), as the apiserver's
 * REST handlers for them do. Whether the caller may create them at all was decided before (RBAC).
 */
import type { HandlerResult } from '../api-handlers.js';
import { isJsonObject, type JsonObject } from '../kube-object.js';
import { decodeRequestBody } from '../request-body.js';
import type { ResourceRequest } from '../request-info.js';
import { errors } from '../status.js';
import type { Authorizer } from './authorizer.js';
import type { Attributes } from './rbac-rules.js';
import type { UserInfo } from './user-info.js';

/** A token's review: who it is and for which of the asked audiences, or why not ('' = nobody's token). */
export type TokenReviewResult = { user: UserInfo; audiences: string[] } | { error: string };

export interface ReviewContext {
  reviewToken(token: string, audiences?: readonly string[]): TokenReviewResult;
  readonly authorizer: Authorizer;
}

interface ReviewKind {
  group: string;
  resource: string;
  kind: string;
}

export const REVIEW_KINDS: readonly ReviewKind[] = [
  { group: 'authentication.k8s.io', resource: 'tokenreviews', kind: 'TokenReview' },
  { group: 'authentication.k8s.io', resource: 'selfsubjectreviews', kind: 'SelfSubjectReview' },
  { group: 'authorization.k8s.io', resource: 'subjectaccessreviews', kind: 'SubjectAccessReview' },
  { group: 'authorization.k8s.io', resource: 'selfsubjectaccessreviews', kind: 'SelfSubjectAccessReview' },
  { group: 'authorization.k8s.io', resource: 'selfsubjectrulesreviews', kind: 'SelfSubjectRulesReview' },
];

export function reviewKindOf(r: ResourceRequest): ReviewKind | undefined {
  if (r.version !== 'v1' || r.namespace !== undefined) return undefined;
  return REVIEW_KINDS.find((k) => k.group === r.group && k.resource === r.resource);
}

const obj = (v: unknown): JsonObject => (isJsonObject(v) ? v : {});
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((s) => typeof s === 'string') : []);

function userInfoJson(u: UserInfo): JsonObject {
  return {
    username: u.username,
    ...(u.uid ? { uid: u.uid } : {}),
    groups: [...u.groups],
    ...(u.extra ? { extra: structuredClone(u.extra) as JsonObject } : {}),
  };
}

function invalid(kind: string, field: string, value: string, detail: string) {
  return errors.invalid(`${kind}.authorization.k8s.io`, '', [
    { field, type: 'Invalid value', detail: `${value}: ${detail}` },
  ]);
}

/** ResourceAttributesFrom / NonResourceAttributesFrom; throws the validation error when neither or both. */
function attributesOf(kind: string, spec: JsonObject, user: UserInfo): Attributes {
  const ra = spec.resourceAttributes;
  const nra = spec.nonResourceAttributes;
  if (isJsonObject(ra) && isJsonObject(nra))
    throw invalid(
      kind,
      'spec.nonResourceAttributes',
      JSON.stringify(nra),
      'cannot be specified in combination with resourceAttributes',
    );
  if (isJsonObject(nra)) return { user, resourceRequest: false, verb: str(nra.verb), path: str(nra.path) };
  if (!isJsonObject(ra))
    throw invalid(
      kind,
      'spec.resourceAttributes',
      '"null"',
      'exactly one of nonResourceAttributes or resourceAttributes must be specified',
    );
  return {
    user,
    resourceRequest: true,
    verb: str(ra.verb),
    apiGroup: str(ra.group),
    apiVersion: str(ra.version) || '*',
    resource: str(ra.resource),
    ...(str(ra.subresource) ? { subresource: str(ra.subresource) } : {}),
    ...(str(ra.namespace) ? { namespace: str(ra.namespace) } : {}),
    ...(str(ra.name) ? { name: str(ra.name) } : {}),
  };
}

function accessStatus(authz: Authorizer, attrs: Attributes): JsonObject {
  const r = authz.authorize(attrs);
  return {
    allowed: r.decision === 'allow',
    ...(r.decision === 'deny' ? { denied: true } : {}),
    ...(r.reason ? { reason: r.reason } : {}),
  };
}

function extraOf(v: unknown): Record<string, string[]> | undefined {
  if (!isJsonObject(v)) return undefined;
  return Object.fromEntries(Object.entries(v).map(([k, vals]) => [k, strings(vals)]));
}

function statusFor(ctx: ReviewContext, kind: string, spec: JsonObject, user: UserInfo): JsonObject {
  switch (kind) {
    case 'TokenReview': {
      const token = str(spec.token);
      if (!token) throw errors.badRequest('token is required for TokenReview in authentication');
      const found = ctx.reviewToken(token, strings(spec.audiences));
      if ('error' in found) return { user: {}, ...(found.error ? { error: found.error } : {}) };
      return { authenticated: true, user: userInfoJson(found.user), audiences: found.audiences };
    }
    case 'SelfSubjectReview':
      return { userInfo: userInfoJson(user) };
    case 'SubjectAccessReview': {
      const groups = strings(spec.groups);
      if (!str(spec.user) && groups.length === 0)
        throw invalid(kind, 'spec.user', '""', 'at least one of user or group must be specified');
      const extra = extraOf(spec.extra);
      const subject: UserInfo = {
        username: str(spec.user),
        ...(str(spec.uid) ? { uid: str(spec.uid) } : {}),
        groups,
        ...(extra ? { extra } : {}),
      };
      return accessStatus(ctx.authorizer, attributesOf(kind, spec, subject));
    }
    case 'SelfSubjectAccessReview':
      return accessStatus(ctx.authorizer, attributesOf(kind, spec, user));
    case 'SelfSubjectRulesReview': {
      const namespace = str(spec.namespace);
      if (!namespace) throw errors.badRequest('no namespace on request');
      const rules = ctx.authorizer.rulesFor(user, namespace);
      return {
        resourceRules: rules.resourceRules.map((r) => ({
          verbs: [...r.verbs],
          ...(r.apiGroups?.length ? { apiGroups: [...r.apiGroups] } : {}),
          ...(r.resources?.length ? { resources: [...r.resources] } : {}),
          ...(r.resourceNames?.length ? { resourceNames: [...r.resourceNames] } : {}),
        })),
        nonResourceRules: rules.nonResourceRules.map((r) => ({
          verbs: [...r.verbs],
          nonResourceURLs: [...(r.nonResourceURLs ?? [])],
        })),
        incomplete: rules.incomplete,
        ...(rules.evaluationError ? { evaluationError: rules.evaluationError } : {}),
      };
    }
    default:
      throw errors.notFoundPath();
  }
}

/** POST of a review: `user` is the (possibly impersonated) user the request runs as. */
export function handleReview(
  ctx: ReviewContext,
  r: ResourceRequest,
  kind: ReviewKind,
  user: UserInfo,
  body: Buffer,
  contentType: string | undefined,
): HandlerResult {
  if (r.verb !== 'create' || r.name || r.subresource) throw errors.methodNotAllowed();
  const apiVersion = `${kind.group}/v1`;
  const input = decodeRequestBody(body, contentType, { kind: kind.kind, apiVersion });
  if (!isJsonObject(input)) throw errors.badRequest('the body of the request must be a JSON object');
  if (input.kind && input.kind !== kind.kind)
    throw errors.badRequest(
      `the kind in the body (${String(input.kind)}) does not match the expected kind (${kind.kind})`,
    );
  const spec = obj(input.spec);
  const status = statusFor(ctx, kind.kind, spec, user);
  const out = {
    kind: kind.kind,
    apiVersion,
    metadata: { creationTimestamp: null, ...obj(input.metadata) },
    spec,
    status,
  };
  return { kind: 'body', code: 201, body: JSON.stringify(out), contentType: 'application/json' };
}
