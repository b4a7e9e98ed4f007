// Preloaded into a spawned gateway (NODE_OPTIONS="--expose-gc --import=.../heap-probe.mjs"):
// on SIGUSR2 it collects garbage twice and prints the heap in use as one JSON log line, so a
// test can compare the gateway's heap before and after a load without an inspector.
process.on('SIGUSR2', () => {
  globalThis.gc?.();
  globalThis.gc?.();
  const heapUsed = process.memoryUsage().heapUsed;
  process.stdout.write(
    `${JSON.stringify({ msg: 'heap after gc', heapUsed, gc: typeof globalThis.gc === 'function' })}\n`,
  );
});
