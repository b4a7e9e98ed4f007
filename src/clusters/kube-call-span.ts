import { type Attributes, type Span, SpanKind, SpanStatusCode, type Tracer } from '@opentelemetry/api';
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  ATTR_URL_PATH,
} from '@opentelemetry/semantic-conventions';
import { KubeApiError } from './kube-api-error.js';
import { type KubeRequestLabels, kubeTargetOf } from './kube-request-labels.js';

/**
 * Attribute names of a Kubernetes API call's span. `k8s.*` are OpenTelemetry's (still
 * incubating, hence spelled here rather than imported); `kube.*` are ours, the apiserver
 * audit log's words. What is never recorded: headers (Authorization, Impersonate-*), the
 * query string (selectors a person typed), bodies, and who is impersonated (only that someone is).
 */
export const KUBE_SPAN_ATTRIBUTES = {
  cluster: 'k8s.cluster.name',
  namespace: 'k8s.namespace.name',
  verb: 'kube.verb',
  resource: 'kube.resource',
  name: 'kube.name',
  impersonated: 'kube.impersonated',
} as const;

export interface KubeCallDescription {
  cluster: string;
  baseUrl: URL;
  method: string;
  path: string;
  labels: KubeRequestLabels;
  impersonated: boolean;
}

/**
 * Starts the span of one API call as a child of the active context (the GraphQL operation's
 * span when a resolver, or a DataLoader batch it scheduled, made the call). Named by verb and
 * resource (`list pods`, `create pods/eviction`): the names low-cardinality, objects as attributes.
 */
export function startKubeCallSpan(tracer: Tracer, call: KubeCallDescription): Span {
  const target = kubeTargetOf(call.path);
  const attributes: Attributes = {
    [KUBE_SPAN_ATTRIBUTES.cluster]: call.cluster,
    [KUBE_SPAN_ATTRIBUTES.verb]: call.labels.verb,
    [KUBE_SPAN_ATTRIBUTES.resource]: call.labels.resource,
    [ATTR_HTTP_REQUEST_METHOD]: call.method,
    [ATTR_URL_PATH]: call.path,
    [ATTR_SERVER_ADDRESS]: call.baseUrl.hostname,
    [ATTR_SERVER_PORT]: Number(call.baseUrl.port) || (call.baseUrl.protocol === 'https:' ? 443 : 80),
  };
  if (target?.namespace !== undefined) attributes[KUBE_SPAN_ATTRIBUTES.namespace] = target.namespace;
  if (target?.name !== undefined) attributes[KUBE_SPAN_ATTRIBUTES.name] = target.name;
  if (call.impersonated) attributes[KUBE_SPAN_ATTRIBUTES.impersonated] = true;
  return tracer.startSpan(`${call.labels.verb} ${call.labels.resource}`, {
    kind: SpanKind.CLIENT,
    attributes,
  });
}

export function recordKubeCallStatus(span: Span, statusCode: number): void {
  span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, statusCode);
}

/** A failed call: its status code when one arrived, the error kind (never the apiserver's message, which names people). */
export function recordKubeCallFailure(span: Span, err: unknown): void {
  const kind = err instanceof KubeApiError ? err.kind : 'INTERNAL';
  const code = err instanceof KubeApiError ? err.statusCode : 0;
  if (code > 0) recordKubeCallStatus(span, code);
  span.setAttribute(ATTR_ERROR_TYPE, kind);
  span.setStatus({ code: SpanStatusCode.ERROR, message: code > 0 ? `${kind} (${code})` : kind });
}
