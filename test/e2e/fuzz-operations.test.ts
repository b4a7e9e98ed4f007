import { describe, expect, it } from 'vitest';
import { fuzzSession } from '../support/fuzz-session.js';
import { formatFuzzReport } from '../support/operation-fuzzer.js';

/**
 * Random valid and invalid operations from the schema, against a gateway process on the
 * simulator, for FUZZ_SECONDS (default 45; `npm run bench -- fuzz` runs 300): the process never
 * dies, no answer is INTERNAL_SERVER_ERROR (or a 5xx, or no answer), /healthz answers
 * throughout, and after a GC the heap is back within 10% of where it started.
 * FUZZ_SEED replays a run.
 */
const SECONDS = Number(process.env.FUZZ_SECONDS ?? 45);
const SEED = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);

describe('schema-driven fuzzing', () => {
  it(
    `survives ${SECONDS} s of random operations with no internal error, no crash and no leak`,
    async () => {
      const { seed, warmUp, report, heapStartBytes, heapEndBytes, crashed } = await fuzzSession({
        seconds: SECONDS,
        seed: SEED,
      });
      const mb = (b: number) => (b / 1e6).toFixed(1);
      console.log(
        `fuzz seed ${seed}, warm-up: ${formatFuzzReport(warmUp)}\nmeasured run: ${formatFuzzReport(report)}\nheap after GC: ${mb(heapStartBytes)} MB -> ${mb(heapEndBytes)} MB`,
      );
      expect(crashed).toBeUndefined();
      expect(warmUp.failures.slice(0, 3)).toEqual([]);
      expect(report.failures.slice(0, 3)).toEqual([]);
      expect(report.failureCount).toBe(0);
      expect(report.healthFailures).toBe(0);
      expect(report.healthChecks).toBeGreaterThan(0);
      expect(report.sent).toBeGreaterThan(100);
      // Both kinds of answer occur: the generator reaches resolvers, and refusals.
      expect(report.byOutcome.data ?? 0).toBeGreaterThan(0);
      expect(report.byOutcome.BAD_USER_INPUT ?? 0).toBeGreaterThan(0);
      expect(heapEndBytes).toBeLessThan(heapStartBytes * 1.1);
    },
    (SECONDS + 210) * 1000,
  );
});
