import { Writable } from 'node:stream';
import { context, trace } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/platform/logger.js';
import { applyTracingDecision } from '../../src/platform/tracing/apply-tracing-decision.js';
import type { GatewayTracing } from '../../src/platform/tracing/gateway-tracing.js';
import { tracingDecisionFromEnv } from '../../src/platform/tracing/tracing-settings.js';

function captureLogger(traceIds: boolean) {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: createLogger('info', stream, { traceIds }), lines };
}

describe('tracingDecisionFromEnv', () => {
  it('is off without an endpoint, and when the SDK or the traces exporter is disabled', () => {
    expect(tracingDecisionFromEnv({})).toMatchObject({ kind: 'off', reason: 'no OTLP endpoint set' });
    expect(tracingDecisionFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: '  ' }).kind).toBe('off');
    const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' };
    expect(tracingDecisionFromEnv({ ...endpoint, OTEL_SDK_DISABLED: 'TRUE' }).kind).toBe('off');
    expect(tracingDecisionFromEnv({ ...endpoint, OTEL_TRACES_EXPORTER: 'none' }).kind).toBe('off');
  });

  it('appends v1/traces to the generic endpoint and takes the traces endpoint as given', () => {
    const generic = tracingDecisionFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' });
    expect(generic.kind === 'on' && generic.settings.url).toBe('http://collector:4318/v1/traces');
    const specific = tracingDecisionFromEnv({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://ignored:4318',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://collector/custom/path',
    });
    expect(specific.kind === 'on' && specific.settings.url).toBe('https://collector/custom/path');
  });

  it('reads headers (traces over generic), service name, sampler and batch bounds', () => {
    const decision = tracingDecisionFromEnv({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
      OTEL_EXPORTER_OTLP_HEADERS: 'api-key=generic,x-team=nodes',
      OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'api-key=traces',
      OTEL_SERVICE_NAME: 'gw',
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '0.25',
      OTEL_BSP_MAX_QUEUE_SIZE: '100',
      OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '500',
      OTEL_BSP_SCHEDULE_DELAY: '200',
    });
    expect(decision).toMatchObject({
      kind: 'on',
      warnings: [],
      settings: {
        headers: { 'api-key': 'traces', 'x-team': 'nodes' },
        serviceName: 'gw',
        sampler: 'parentbased_traceidratio',
        samplerRatio: 0.25,
        // The batch never exceeds the queue.
        batch: { maxQueueSize: 100, maxExportBatchSize: 100, scheduledDelayMillis: 200 },
      },
    });
  });

  it('hostile or unsupported values: defaults with a warning, or off with one', () => {
    const decision = tracingDecisionFromEnv({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
      OTEL_TRACES_SAMPLER: 'sometimes',
      OTEL_TRACES_SAMPLER_ARG: '7',
      OTEL_BSP_MAX_QUEUE_SIZE: '1e12',
    });
    expect(decision.kind).toBe('on');
    expect(decision.warnings).toHaveLength(4);
    expect(decision.kind === 'on' && decision.settings).toMatchObject({
      sampler: 'parentbased_always_on',
      samplerRatio: 1,
      batch: { maxQueueSize: 2048 },
    });
    const grpc = tracingDecisionFromEnv({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4317',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
    });
    expect(grpc.kind).toBe('off');
    expect(grpc.warnings).toHaveLength(1);
    for (const bad of ['not a url', 'file:///etc/passwd']) {
      const off = tracingDecisionFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: bad });
      expect(off.kind).toBe('off');
      expect(off.warnings).toHaveLength(1);
    }
  });
});

describe('applyTracingDecision', () => {
  let tracing: GatewayTracing | undefined;
  afterEach(async () => {
    await tracing?.shutdown(1000);
    tracing = undefined;
  });

  it('with no OTEL endpoint registers no provider: the global tracer makes no recording spans', async () => {
    const { logger, lines } = captureLogger(false);
    tracing = await applyTracingDecision(tracingDecisionFromEnv({}), logger);
    expect(tracing).toBeUndefined();
    const span = trace.getTracer('probe').startSpan('probe');
    expect(span.isRecording()).toBe(false);
    expect(lines).toEqual([]);
  });

  it('with an endpoint registers the provider and the context manager; log lines carry the active ids', async () => {
    const { logger, lines } = captureLogger(true);
    // Port 9 (discard): nothing listens, the flush on shutdown fails fast and is bounded anyway.
    tracing = await applyTracingDecision(
      tracingDecisionFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://user:secret@127.0.0.1:9' }),
      logger,
    );
    expect(tracing).toBeDefined();
    expect(trace.getTracer('probe').startSpan('probe').isRecording()).toBe(true);
    const ids = await tracing!.tracer.startActiveSpan('outer', async (span) => {
      await new Promise((resolve) => setImmediate(resolve));
      logger.info('inside');
      span.end();
      return span.spanContext();
    });
    logger.info('outside');
    const inside = lines.find((l) => l.msg === 'inside');
    expect(inside).toMatchObject({ trace_id: ids.traceId, span_id: ids.spanId, trace_flags: '01' });
    expect(lines.find((l) => l.msg === 'outside')?.trace_id).toBeUndefined();
    // The endpoint is logged without its credentials.
    expect(JSON.stringify(lines)).not.toContain('secret');
    await tracing!.shutdown(1000);
    tracing = undefined;
    expect(trace.getTracer('probe').startSpan('probe').isRecording()).toBe(false);
    expect(trace.getSpan(context.active())).toBeUndefined();
  });
});
