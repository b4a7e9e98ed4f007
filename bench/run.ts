/**
 * `npm run bench`: every benchmark, each printing its figures beside a baseline measured in the
 * same run. `npm run bench -- nodes pods` runs only those.
 */
const suites: Record<string, () => Promise<void>> = {
  sim: async () => (await import('./sim-bench.js')).benchSimulator(),
  nodes: async () => (await import('./nodes-bench.js')).benchNodes(),
  'nodes-scale': async () => (await import('./nodes-scale-bench.js')).benchNodesScale(),
  pods: async () => (await import('./pods-bench.js')).benchPods(),
  drain: async () => (await import('./drain-bench.js')).benchDrain(),
  fanout: async () => (await import('./fanout-bench.js')).benchFanout(),
  fuzz: async () => (await import('./fuzz-bench.js')).benchFuzz(),
};

/** Run only when named: nodes-scale needs ~3 GB and minutes (a 65,000-node simulator). */
const onlyWhenNamed = new Set(['nodes-scale']);

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !(name in suites));
if (unknown.length > 0) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')} (known: ${Object.keys(suites).join(', ')})`);
  process.exit(2);
}
process.env.NODE_ENV ??= 'production';
for (const [name, run] of Object.entries(suites)) {
  if (wanted.length > 0 ? !wanted.includes(name) : onlyWhenNamed.has(name)) continue;
  console.log(`\n=== ${name} ===`);
  await run();
}
process.exit(process.exitCode ?? 0);
