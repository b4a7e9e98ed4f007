/**
 * POST /api/v1/namespaces/{ns}/serviceaccounts/{name}/token: authentication.k8s.io/v1 TokenRequest, as
 * pkg/registry/core/serviceaccount/storage/token.go answers it. spec.expirationSeconds defaults to 3600
 * (SetDefaults_TokenRequestSpec) and must be 600..2^32 (ValidateTokenRequest); spec.audiences default to
 * the API's; spec.boundObjectRef may name a Pod or Secret of the namespace. Nothing is stored (201).
 */
import type { HandlerResult } from '../api-handlers.js';
import { dryRunOf } from '../dry-run.js';
import { isJsonObject, type JsonObject, rfc3339 } from '../kube-object.js';
import type { Registry } from '../registry.js';
import { decodeRequestBody } from '../request-body.js';
import type { ResourceRequest } from '../request-info.js';
import { RESOURCES } from '../resources.js';
import { type ApiError, errors } from '../status.js';
import type { BoundObject, ServiceAccountTokens } from './service-account-tokens.js';

const GROUP_KIND = 'TokenRequest.authentication.k8s.io';
const MIN_SECONDS = 10 * 60;
const MAX_SECONDS = 2 ** 32;

const obj = (v: unknown): JsonObject => (isJsonObject(v) ? v : {});
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

function invalid(name: string, field: string, value: string, detail: string): ApiError {
  return errors.invalid(GROUP_KIND, name, [{ field, type: 'Invalid value', detail: `${value}: ${detail}` }]);
}

function boundObject(
  registry: Registry,
  namespace: string,
  saName: string,
  ref: JsonObject,
): BoundObject | undefined {
  const kind = str(ref.kind);
  const apiVersion = str(ref.apiVersion);
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  const version = apiVersion.slice(apiVersion.indexOf('/') + 1);
  if (group !== '' || (kind !== 'Pod' && kind !== 'Secret')) {
    throw errors.badRequest(
      `cannot bind token for serviceaccount "${saName}" to object of type "${group}/${version}, Kind=${kind}"`,
    );
  }
  const name = str(ref.name);
  const found = registry.get(kind === 'Pod' ? RESOURCES.pods : RESOURCES.secrets, namespace, name);
  if (kind === 'Pod') {
    const spec = obj(obj(JSON.parse(found.json)).spec);
    if (str(spec.serviceAccountName) !== saName) {
      throw errors.badRequest(
        `cannot bind token for serviceaccount "${saName}" to pod running with different serviceaccount name.`,
      );
    }
  }
  const uid = str(ref.uid);
  if (uid && uid !== found.uid) {
    throw errors.conflict(
      { resource: kind, group: '' },
      name,
      `the UID in the bound object reference (${uid}) does not match the UID in record. The object might have been deleted and then recreated`,
    );
  }
  return { kind, name, uid: found.uid };
}

export function handleTokenRequest(
  tokens: ServiceAccountTokens,
  registry: Registry,
  r: ResourceRequest,
  body: Buffer,
  contentType: string | undefined,
): HandlerResult {
  dryRunOf(r.query, 'CreateOptions');
  const namespace = r.namespace ?? '';
  const name = r.name ?? '';
  const input = decodeRequestBody(body, contentType, {
    kind: 'TokenRequest',
    apiVersion: 'authentication.k8s.io/v1',
  });
  if (!isJsonObject(input)) throw errors.badRequest('the body of the request must be a JSON object');
  if (input.kind && input.kind !== 'TokenRequest') {
    throw errors.badRequest(
      `the kind in the body (${String(input.kind)}) does not match the expected kind (TokenRequest)`,
    );
  }
  const meta = obj(input.metadata);
  if (str(meta.name) && meta.name !== name)
    throw invalid(
      name,
      'metadata.name',
      JSON.stringify(meta.name),
      'must match the service account name if specified',
    );
  if (str(meta.namespace) && meta.namespace !== namespace) {
    throw invalid(
      name,
      'metadata.namespace',
      JSON.stringify(meta.namespace),
      'must match the service account namespace if specified',
    );
  }
  const sa = registry.get(RESOURCES.serviceaccounts, namespace, name);
  const spec = obj(input.spec);
  const audiences =
    Array.isArray(spec.audiences) && spec.audiences.length > 0
      ? spec.audiences.map(String)
      : [...tokens.apiAudiences];
  const expirationSeconds = typeof spec.expirationSeconds === 'number' ? spec.expirationSeconds : 3600;
  const now = Date.now();
  if (expirationSeconds < MIN_SECONDS)
    throw invalid(
      '',
      'spec.expirationSeconds',
      String(expirationSeconds),
      'may not specify a duration less than 10 minutes',
    );
  if (expirationSeconds > MAX_SECONDS)
    throw invalid(
      '',
      'spec.expirationSeconds',
      String(expirationSeconds),
      'may not specify a duration larger than 2^32 seconds',
    );
  const ref = isJsonObject(spec.boundObjectRef) ? spec.boundObjectRef : undefined;
  const bound = ref ? boundObject(registry, namespace, name, ref) : undefined;
  const issued = tokens.issue({
    namespace,
    name,
    uid: sa.uid,
    audiences,
    expirationSeconds,
    issuedAtMs: now,
    ...(bound ? { bound } : {}),
  });
  const out = {
    kind: 'TokenRequest',
    apiVersion: 'authentication.k8s.io/v1',
    metadata: { ...meta, name, namespace, creationTimestamp: rfc3339(now) },
    spec: {
      audiences,
      expirationSeconds,
      boundObjectRef: ref
        ? { kind: str(ref.kind), apiVersion: str(ref.apiVersion), name: str(ref.name), uid: bound?.uid ?? '' }
        : null,
    },
    status: { token: issued.token, expirationTimestamp: rfc3339(now + expirationSeconds * 1000) },
  };
  return { kind: 'body', code: 201, body: JSON.stringify(out), contentType: 'application/json' };
}
