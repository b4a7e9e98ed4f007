/** How root spans are sampled (OTEL_TRACES_SAMPLER); `parentbased_*` follow a sampled client. */
export type SamplerName =
  | 'always_on'
  | 'always_off'
  | 'traceidratio'
  | 'parentbased_always_on'
  | 'parentbased_always_off'
  | 'parentbased_traceidratio';

const SAMPLERS: ReadonlySet<string> = new Set<SamplerName>([
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
]);

/** Bounds of the BatchSpanProcessor: what waits for export is never more than `maxQueueSize` spans. */
export interface BatchSettings {
  maxQueueSize: number;
  maxExportBatchSize: number;
  scheduledDelayMillis: number;
  exportTimeoutMillis: number;
}

export interface TracingSettings {
  /** Full OTLP/HTTP traces URL (…/v1/traces). */
  url: string;
  /** Sent with every export (OTEL_EXPORTER_OTLP[_TRACES]_HEADERS); never logged. */
  headers: Record<string, string>;
  serviceName: string;
  /** OTEL_RESOURCE_ATTRIBUTES, under service.name. */
  resourceAttributes: Record<string, string>;
  sampler: SamplerName;
  /** OTEL_TRACES_SAMPLER_ARG of the ratio samplers, in [0, 1]. */
  samplerRatio: number;
  batch: BatchSettings;
}

export type TracingDecision =
  | { kind: 'off'; reason: string; warnings: string[] }
  | { kind: 'on'; settings: TracingSettings; warnings: string[] };

export const DEFAULT_SERVICE_NAME = 'kube-node-gateway';

/** The spec's defaults; the queue is capped so no setting makes it unbounded in practice. */
const BATCH_DEFAULTS: BatchSettings = {
  maxQueueSize: 2048,
  maxExportBatchSize: 512,
  scheduledDelayMillis: 5000,
  exportTimeoutMillis: 30_000,
};
const MAX_QUEUE_SIZE = 65_536;

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Reads the standard OpenTelemetry variables. Tracing is on only when an OTLP endpoint is set
 * (and OTEL_SDK_DISABLED / OTEL_TRACES_EXPORTER=none do not say otherwise): without one the
 * gateway registers nothing and pays nothing. Bad values fall back to the default with a
 * warning, as the SDKs do, rather than stopping the gateway over its telemetry.
 */
export function tracingDecisionFromEnv(env: Env): TracingDecision {
  const warnings: string[] = [];
  const get = (name: string) => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  if (get('OTEL_SDK_DISABLED')?.toLowerCase() === 'true')
    return { kind: 'off', reason: 'OTEL_SDK_DISABLED=true', warnings };
  if (get('OTEL_TRACES_EXPORTER')?.toLowerCase() === 'none')
    return { kind: 'off', reason: 'OTEL_TRACES_EXPORTER=none', warnings };
  const url = tracesUrl(get('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'), get('OTEL_EXPORTER_OTLP_ENDPOINT'));
  if (url === undefined) return { kind: 'off', reason: 'no OTLP endpoint set', warnings };
  if (url instanceof Error)
    return { kind: 'off', reason: url.message, warnings: [`${url.message}: tracing off`] };

  const protocol = get('OTEL_EXPORTER_OTLP_TRACES_PROTOCOL') ?? get('OTEL_EXPORTER_OTLP_PROTOCOL');
  if (protocol === 'grpc') {
    const reason = 'OTLP protocol grpc is not supported (use http/json)';
    return { kind: 'off', reason, warnings: [`${reason}: tracing off`] };
  }
  if (protocol !== undefined && protocol !== 'http/json')
    warnings.push(
      `OTLP protocol ${JSON.stringify(protocol)}: the gateway sends http/json (collectors take both on the OTLP/HTTP port)`,
    );

  const sampler = get('OTEL_TRACES_SAMPLER')?.toLowerCase() ?? 'parentbased_always_on';
  if (!SAMPLERS.has(sampler))
    warnings.push(`OTEL_TRACES_SAMPLER ${JSON.stringify(sampler)} is unknown: using parentbased_always_on`);
  const ratioText = get('OTEL_TRACES_SAMPLER_ARG');
  let samplerRatio = 1;
  if (ratioText !== undefined) {
    const ratio = Number(ratioText);
    if (Number.isFinite(ratio) && ratio >= 0 && ratio <= 1) samplerRatio = ratio;
    else warnings.push(`OTEL_TRACES_SAMPLER_ARG ${JSON.stringify(ratioText)} is not in [0, 1]: using 1`);
  }

  const positive = (name: string, fallback: number, max = Number.MAX_SAFE_INTEGER) => {
    const text = get(name);
    if (text === undefined) return fallback;
    const n = Number(text);
    if (Number.isInteger(n) && n > 0 && n <= max) return n;
    warnings.push(`${name} ${JSON.stringify(text)} is not an integer in [1, ${max}]: using ${fallback}`);
    return fallback;
  };
  const maxQueueSize = positive('OTEL_BSP_MAX_QUEUE_SIZE', BATCH_DEFAULTS.maxQueueSize, MAX_QUEUE_SIZE);
  const batch: BatchSettings = {
    maxQueueSize,
    maxExportBatchSize: Math.min(
      maxQueueSize,
      positive('OTEL_BSP_MAX_EXPORT_BATCH_SIZE', BATCH_DEFAULTS.maxExportBatchSize),
    ),
    scheduledDelayMillis: positive('OTEL_BSP_SCHEDULE_DELAY', BATCH_DEFAULTS.scheduledDelayMillis),
    exportTimeoutMillis: positive('OTEL_BSP_EXPORT_TIMEOUT', BATCH_DEFAULTS.exportTimeoutMillis),
  };

  const resourceAttributes = parseKeyPairs(get('OTEL_RESOURCE_ATTRIBUTES'));
  return {
    kind: 'on',
    warnings,
    settings: {
      url: url.href,
      headers: {
        ...parseKeyPairs(get('OTEL_EXPORTER_OTLP_HEADERS')),
        ...parseKeyPairs(get('OTEL_EXPORTER_OTLP_TRACES_HEADERS')),
      },
      serviceName: get('OTEL_SERVICE_NAME') ?? resourceAttributes['service.name'] ?? DEFAULT_SERVICE_NAME,
      resourceAttributes,
      sampler: SAMPLERS.has(sampler) ? (sampler as SamplerName) : 'parentbased_always_on',
      samplerRatio,
      batch,
    },
  };
}

/** The signal-specific endpoint as given; the generic one with `v1/traces` appended (as the spec says). */
function tracesUrl(traces: string | undefined, generic: string | undefined): URL | Error | undefined {
  const given = traces ?? generic;
  if (given === undefined) return undefined;
  let url: URL;
  try {
    url = traces !== undefined ? new URL(traces) : new URL(`${generic!.replace(/\/+$/, '')}/v1/traces`);
  } catch {
    return new Error(`OTLP endpoint ${JSON.stringify(given)} is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return new Error(`OTLP endpoint ${JSON.stringify(given)} is not http(s)`);
  return url;
}

/** The endpoint as a log may show it: without credentials in the URL. */
export function redactedUrl(url: string): string {
  const u = new URL(url);
  u.username = '';
  u.password = '';
  u.search = '';
  return u.href;
}

/**
 * `key=value,key2=value2` as the OTEL_* list variables take it (values percent-decoded); an
 * entry without `=` or with an undecodable value is skipped. Ours so that reading the
 * variables loads nothing of the SDK when tracing stays off.
 */
export function parseKeyPairs(text: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of text?.split(',') ?? []) {
    const eq = entry.indexOf('=');
    if (eq <= 0) continue;
    const key = entry.slice(0, eq).trim();
    try {
      if (key) out[key] = decodeURIComponent(entry.slice(eq + 1).trim());
    } catch {
      // Malformed percent-encoding: the entry is dropped, not the gateway.
    }
  }
  return out;
}
