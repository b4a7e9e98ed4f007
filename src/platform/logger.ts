import { type LevelWithSilent, type Logger, pino } from 'pino';

export type { Logger };

/** One root logger per process; modules take a child with their own `component`. */
export function createLogger(level: LevelWithSilent, destination?: NodeJS.WritableStream): Logger {
  return pino(
    { level, base: { service: 'kube-node-gateway' }, timestamp: pino.stdTimeFunctions.isoTime },
    destination ?? pino.destination({ sync: false }),
  );
}
