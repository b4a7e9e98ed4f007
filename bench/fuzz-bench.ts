import { fuzzSession } from '../test/support/fuzz-session.js';
import { formatFuzzReport } from '../test/support/operation-fuzzer.js';

/**
 * The e2e fuzz test's generator, run longer (FUZZ_SECONDS, default 300): prints the operations
 * sent by outcome, the failures (INTERNAL_SERVER_ERROR, 5xx, no answer) with their operations,
 * and the gateway's heap after a GC before and after. Exits non-zero on a failure.
 */
export async function benchFuzz(): Promise<void> {
  const seconds = Number(process.env.FUZZ_SECONDS ?? 300);
  const seed = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
  const result = await fuzzSession({ seconds, seed });
  const mb = (b: number) => `${(b / 1e6).toFixed(1)} MB`;
  console.log(`seed ${result.seed} (FUZZ_SEED=${result.seed} replays it), ${seconds} s after the warm-up`);
  console.log(`warm-up: ${formatFuzzReport(result.warmUp)}`);
  console.log(`run: ${formatFuzzReport(result.report)}`);
  const growth = (result.heapEndBytes / result.heapStartBytes - 1) * 100;
  console.log(
    `heap after GC: ${mb(result.heapStartBytes)} -> ${mb(result.heapEndBytes)} (${growth.toFixed(1)}%)`,
  );
  const failures = [...result.warmUp.failures, ...result.report.failures];
  for (const f of failures.slice(0, 5))
    console.log(`FAILURE ${f.outcome}\n  ${f.operation.query.slice(0, 500)}\n  ${f.body}`);
  if (result.crashed !== undefined) console.log(`the gateway process died: ${result.crashed}`);
  if (failures.length > 0 || result.crashed !== undefined || growth > 10) process.exitCode = 1;
}
