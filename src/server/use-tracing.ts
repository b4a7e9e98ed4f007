import type { useOpenTelemetry as UseOpenTelemetry } from '@envelop/opentelemetry';
import { context, propagation, ROOT_CONTEXT, SpanKind, type TextMapGetter } from '@opentelemetry/api';
import type { Plugin } from 'graphql-yoga';
import type { GatewayTracing } from '../platform/tracing/gateway-tracing.js';
import { TRACER_NAME } from '../platform/tracing/tracer-name.js';
import type { GatewayContext } from './context.js';

/** W3C trace context read straight from the Fetch request's headers. */
const headersGetter: TextMapGetter<Headers> = {
  keys: (headers) => [...headers.keys()],
  get: (headers, key) => headers.get(key) ?? undefined,
};

let useOpenTelemetry: typeof UseOpenTelemetry | undefined;

/**
 * Loads @envelop/opentelemetry (and the 1.x SDK it imports) only when tracing is on: ~200 ms
 * of start-up and ~7 MB of heap otherwise spent for nothing. Before `tracingPlugins`.
 */
export async function loadTracingPlugin(): Promise<void> {
  useOpenTelemetry ??= (await import('@envelop/opentelemetry')).useOpenTelemetry;
}

/**
 * The operation span of each GraphQL operation (HTTP, SSE and graphql-ws), from
 * @envelop/opentelemetry given our SDK provider: it never falls back to its own (1.x) SDK,
 * which it would register with a console exporter. Resolver spans, documents, variables and
 * results are off: a span per field costs more than the answer, and the rest may carry input.
 *
 * Before it, the HTTP request's `traceparent`/`tracestate` become the active context for the
 * whole request (authentication's TokenReview included), so the operation span continues the
 * client's trace; a malformed header is ignored by the propagator and starts a new trace.
 * graphql-ws operations have no per-operation headers and start their own traces.
 */
export function tracingPlugins(tracing: GatewayTracing | undefined): Plugin<GatewayContext>[] {
  if (!tracing) return [];
  if (!useOpenTelemetry)
    throw new Error('tracing is on: await loadTracingPlugin() before creating the server');
  return [
    {
      instrumentation: {
        request: ({ request }, wrapped) =>
          context.with(propagation.extract(ROOT_CONTEXT, request.headers, headersGetter), wrapped),
      },
    },
    useOpenTelemetry(
      { resolvers: false, document: false, variables: false, result: false },
      tracing.provider,
      SpanKind.SERVER,
      {},
      TRACER_NAME,
    ) as Plugin<GatewayContext>,
  ];
}
