import type { Logger } from '../logger.js';
import type { GatewayTracing } from './gateway-tracing.js';
import type { TracingDecision } from './tracing-settings.js';

/**
 * What the serve command does with the OTEL_* variables: warns about bad ones, and when tracing
 * is on loads and starts the SDK. Loaded only then: the SDK and its exporter cost ~200 ms of
 * start-up and a few MB that a gateway without a collector has no use for.
 */
export async function applyTracingDecision(
  decision: TracingDecision,
  logger: Logger,
): Promise<GatewayTracing | undefined> {
  for (const warning of decision.warnings) logger.warn(`tracing: ${warning}`);
  if (decision.kind !== 'on') return undefined;
  const { startTracing } = await import('./gateway-tracing.js');
  return startTracing(decision.settings, logger);
}
