import { type LevelWithSilent, type Logger, pino } from 'pino';
import { traceLogFields } from './tracing/trace-log-fields.js';

export type { Logger };

export interface LoggerOptions {
  /** Adds the active span's trace_id/span_id to each line; only when tracing is on (it costs a lookup a line). */
  traceIds?: boolean;
}

/** One root logger per process; modules take a child with their own `component`. */
export function createLogger(
  level: LevelWithSilent,
  destination?: NodeJS.WritableStream,
  { traceIds = false }: LoggerOptions = {},
): Logger {
  return pino(
    {
      level,
      base: { service: 'kube-node-gateway' },
      timestamp: pino.stdTimeFunctions.isoTime,
      ...(traceIds && { mixin: traceLogFields }),
    },
    destination ?? pino.destination({ sync: false }),
  );
}
