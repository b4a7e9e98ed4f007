/**
 * The simulated cluster of the node bench, in its own process so its CPU is not the gateway's
 * nor the load generator's:  tsx bench/nodes-bench-sim.ts <nodes> <kubeconfig path>
 * Prints `READY` once the kubeconfig is written; stops on SIGTERM or when stdin closes.
 */
import { startSimulator } from '../src/sim/index.js';
import { BENCH_TOKEN } from './bench-token.js';

const [nodes, kubeconfigPath] = process.argv.slice(2) as [string, string];
const sim = await startSimulator({
  nodes: Number(nodes),
  pods: 0,
  seed: 13,
  heartbeatIntervalMs: 0,
  // The one person of the --auth kubernetes row (AlwaysAllow: SubjectAccessReviews say yes).
  tokens: [{ token: BENCH_TOKEN, user: 'bench-user', groups: ['bench'] }],
});
await sim.writeKubeconfig(kubeconfigPath, { contextName: 'bench' });
process.stdout.write('READY\n');
const stop = async () => {
  await sim.stop();
  process.exit(0);
};
process.once('SIGTERM', () => void stop());
process.stdin.on('end', () => void stop());
process.stdin.resume();
