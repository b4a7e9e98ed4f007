import { DEFAULT_CONFIG, type GatewayConfig } from '../../src/config/gateway-config.js';
import type { DrainTimings } from '../../src/drain/drain-timings.js';

/**
 * The one place tests set how fast a drain paces itself. kubectl's pacing (a PDB retry every
 * 5 s) would make every drain test take seconds.
 */

/** For drain code run against the fake API in-process: a retry or poll costs nothing, so milliseconds. */
export const FAST_DRAIN_TIMINGS: DrainTimings = {
  evictRetryDelayMs: 20,
  deletePollIntervalMs: 5,
  deletePollInitialMs: 5,
  transientRetries: 2,
  transientRetryDelayMs: 5,
  concurrency: 8,
};

/**
 * For a gateway draining a simulator: PDB retries every 200 ms, deletion polls at most every
 * 100 ms. Slower than FAST_DRAIN_TIMINGS because each retry and poll is an HTTP request to a
 * simulator sharing the CPU with the test.
 */
export const SIM_DRAIN_CONFIG: GatewayConfig['drain'] = {
  ...DEFAULT_CONFIG.drain,
  evictRetryDelayMs: 200,
  deletePollIntervalMs: 100,
};

/** SIM_DRAIN_CONFIG as `kube-node-gateway serve` flags, for a gateway in its own process. */
export const SIM_DRAIN_FLAGS: readonly string[] = [
  '--drain-retry-delay',
  `${SIM_DRAIN_CONFIG.evictRetryDelayMs}ms`,
  '--drain-poll-interval',
  `${SIM_DRAIN_CONFIG.deletePollIntervalMs}ms`,
];
