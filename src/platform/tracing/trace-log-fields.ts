import { trace } from '@opentelemetry/api';

export interface TraceLogFields {
  trace_id?: string;
  span_id?: string;
  trace_flags?: string;
}

const NONE: TraceLogFields = {};

/**
 * The active span's ids as the OpenTelemetry log data model names them in JSON logs, so a log
 * line can be found from its trace and back. A pino mixin: called on every line, hence cheap.
 */
export function traceLogFields(): TraceLogFields {
  const span = trace.getActiveSpan();
  if (!span) return NONE;
  const { traceId, spanId, traceFlags } = span.spanContext();
  return { trace_id: traceId, span_id: spanId, trace_flags: traceFlags.toString(16).padStart(2, '0') };
}
