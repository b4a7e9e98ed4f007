import v8 from 'node:v8';
import vm from 'node:vm';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

/**
 * Heap kept alive by what `build` returns, per item, in bytes. Collects twice on each side
 * so garbage from earlier work and from building does not count.
 */
export function retainedBytesPerItem(build: () => readonly unknown[]): {
  bytesPerItem: number;
  count: number;
} {
  gc();
  gc();
  const before = process.memoryUsage().heapUsed;
  const kept = build();
  gc();
  gc();
  const after = process.memoryUsage().heapUsed;
  return { bytesPerItem: (after - before) / Math.max(1, kept.length), count: kept.length };
}
