import type { SpawnedGateway } from './spawn-gateway.js';
import { waitFor } from './wait-for.js';

const HEAP_PROBE = new URL('./heap-probe.mjs', import.meta.url).pathname;

/** Environment for spawnGateway that lets gatewayHeapAfterGc read the process's heap. */
export const HEAP_PROBE_ENV = { NODE_OPTIONS: `--expose-gc --import=${HEAP_PROBE}` };

/** The spawned gateway's heap in use right after two full collections (needs HEAP_PROBE_ENV). */
export async function gatewayHeapAfterGc(gateway: SpawnedGateway): Promise<number> {
  const seen = gateway.logs.length;
  gateway.kill('SIGUSR2');
  const entry = await waitFor(() => gateway.logs.slice(seen).find((l) => l.msg === 'heap after gc'), {
    timeoutMs: 10_000,
    what: 'the heap probe answer',
  });
  if (entry.gc !== true) throw new Error('the gateway runs without --expose-gc');
  return Number(entry.heapUsed);
}
