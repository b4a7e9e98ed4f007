import {
  context,
  DiagLogLevel,
  diag,
  propagation,
  type Tracer,
  type TracerProvider,
  trace,
} from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  ParentBasedSampler,
  type Sampler,
  TracerProvider as SdkTracerProvider,
  TraceIdRatioBasedSampler,
} from '@opentelemetry/sdk-trace';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import type { Logger } from '../logger.js';
import { TRACER_NAME } from './tracer-name.js';
import { redactedUrl, type SamplerName, type TracingSettings } from './tracing-settings.js';

/** Tracing while it is on: the one provider, the gateway's tracer, and the flush on shutdown. */
export interface GatewayTracing {
  readonly provider: TracerProvider;
  readonly tracer: Tracer;
  /** Exports what is queued (bounded by `deadlineMs`) and unregisters everything. */
  shutdown(deadlineMs?: number): Promise<void>;
}

/**
 * Registers the OpenTelemetry SDK for this process: an AsyncLocalStorage context manager (so a
 * span started in one async step is the parent of what later steps start), the W3C
 * traceparent/tracestate propagator, and a TracerProvider exporting through a bounded
 * BatchSpanProcessor to OTLP/HTTP JSON. Called once, only when an endpoint is configured.
 */
export function startTracing(settings: TracingSettings, logger: Logger): GatewayTracing {
  diag.setLogger(
    {
      error: (message, ...args) => logger.warn({ args }, `opentelemetry: ${message}`),
      warn: (message, ...args) => logger.warn({ args }, `opentelemetry: ${message}`),
      info: () => {},
      debug: () => {},
      verbose: () => {},
    },
    DiagLogLevel.WARN,
  );
  const exporter = new OTLPTraceExporter({
    url: settings.url,
    headers: settings.headers,
    timeoutMillis: settings.batch.exportTimeoutMillis,
  });
  const provider = new SdkTracerProvider({
    resource: resourceFromAttributes({
      ...settings.resourceAttributes,
      [ATTR_SERVICE_NAME]: settings.serviceName,
    }),
    sampler: samplerOf(settings.sampler, settings.samplerRatio),
    // Bounded per span too: nothing the gateway records is long, a bug should not make it so.
    spanLimits: { attributeCountLimit: 64, attributeValueLengthLimit: 2048, eventCountLimit: 32 },
    spanProcessors: [new BatchSpanProcessor({ exporter, ...settings.batch })],
  });
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  logger.info(
    { endpoint: redactedUrl(settings.url), service: settings.serviceName, sampler: settings.sampler },
    'tracing on: exporting spans over OTLP/HTTP',
  );

  let stopped: Promise<void> | undefined;
  return {
    provider,
    tracer: provider.getTracer(TRACER_NAME),
    shutdown(deadlineMs = 5000) {
      stopped ??= (async () => {
        let timer: NodeJS.Timeout | undefined;
        const deadline = new Promise<void>((resolve) => {
          timer = setTimeout(() => {
            logger.warn(
              { deadlineMs },
              'tracing: spans not exported before the shutdown deadline were dropped',
            );
            resolve();
          }, deadlineMs);
        });
        await Promise.race([
          provider.shutdown().catch((err: unknown) => logger.warn({ err }, 'tracing: flush failed')),
          deadline,
        ]);
        clearTimeout(timer);
        trace.disable();
        propagation.disable();
        context.disable();
        diag.disable();
      })();
      return stopped;
    },
  };
}

function samplerOf(name: SamplerName, ratio: number): Sampler {
  switch (name) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return new TraceIdRatioBasedSampler(ratio);
    case 'parentbased_always_on':
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(ratio) });
  }
}
