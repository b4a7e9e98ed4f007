import { buildSchema } from '../../src/schema/index.js';
import { startSimCluster } from '../e2e/sim-cluster.js';
import { gatewayHeapAfterGc, HEAP_PROBE_ENV } from './gateway-heap.js';
import { type FuzzReport, OperationGenerator, runFuzz } from './operation-fuzzer.js';
import { spawnGateway } from './spawn-gateway.js';
import { waitFor } from './wait-for.js';

const WARM_UP_OPERATIONS = 8000;
const WARM_UP_MAX_SECONDS = 90;

export interface FuzzSessionResult {
  readonly seed: number;
  /** The warm-up's operations (checked like the rest). */
  readonly warmUp: FuzzReport;
  readonly report: FuzzReport;
  /** Heap after two GCs, after the warm-up (caches filled, code compiled), and after the run. */
  readonly heapStartBytes: number;
  readonly heapEndBytes: number;
  /** Exit code or signal when the gateway process died during the run; undefined = it lived. */
  readonly crashed: number | string | undefined;
}

/**
 * A gateway process on a fresh simulated cluster, fuzzed for `seconds` after a warm-up of
 * WARM_UP_OPERATIONS (which fills the gateway's bounded caches, so what follows measures
 * leaks, not caches filling), its heap read after a GC before and after.
 */
export async function fuzzSession(options: { seconds: number; seed?: number }): Promise<FuzzSessionResult> {
  const seed = options.seed ?? Date.now() % 2 ** 31;
  const cluster = await startSimCluster({ nodes: 6, pods: 60, seed: 11 });
  // A parser cache the warm-up can fill (its default, 16 MiB of documents, takes far more than it):
  // a bounded cache still filling would read as a leak.
  const args = ['--kubeconfig', cluster.kubeconfigPath, '--parser-cache-size', String(128 * 1024)];
  const gateway = await spawnGateway(args, HEAP_PROBE_ENV).catch(async (err: unknown) => {
    await cluster.stop();
    throw err;
  });
  let crashed: number | string | undefined;
  let stopping = false;
  void gateway.exited.then((code) => {
    if (stopping) return;
    crashed ??= code;
    // The stack of a crash, or the fuzzer's own failure hides it (the heap probe waits in vain).
    console.error(`fuzzed gateway exited (${code}), seed ${seed}: ${gateway.stderr().slice(-4000)}`);
  });
  try {
    await waitFor(() => fetch(`${gateway.baseUrl}/readyz`).then((r) => r.ok), { what: 'a ready gateway' });
    const nodeNames = cluster.sim.cluster.listNodes().map((n) => n.metadata?.name ?? '');
    const generator = new OperationGenerator(
      buildSchema(),
      { nodeNames, clusters: [cluster.contextName] },
      seed,
    );
    const stopped = () => crashed !== undefined;
    // Enough distinct operations to fill yoga's parse, validation and error caches (1024
    // entries each, the JIT's compiled queries hang off them) and the 256-entry node answer
    // cache: growth after that is what the run itself keeps.
    const warmUp = await runFuzz({
      baseUrl: gateway.baseUrl,
      generator,
      seconds: WARM_UP_MAX_SECONDS,
      maxOperations: WARM_UP_OPERATIONS,
      stopped,
    });
    const heapStartBytes = await gatewayHeapAfterGc(gateway);
    const report = await runFuzz({ baseUrl: gateway.baseUrl, generator, seconds: options.seconds, stopped });
    // Settle: answers that were still being written, timers of finished requests.
    let heapEndBytes = await gatewayHeapAfterGc(gateway);
    for (let i = 0; i < 5 && heapEndBytes > heapStartBytes * 1.1; i++) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      heapEndBytes = await gatewayHeapAfterGc(gateway);
    }
    return { seed, warmUp, report, heapStartBytes, heapEndBytes, crashed };
  } finally {
    if (crashed === undefined) {
      stopping = true;
      gateway.kill('SIGINT');
      await gateway.exited;
    }
    await cluster.stop();
  }
}
