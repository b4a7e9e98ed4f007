/**
 * The simulated cluster of the pod bench, in its own process so its CPU and memory are not the
 * gateway's:  tsx bench/pods-bench-sim.ts <nodes> <pods> <kubeconfig path> [audit log path]
 * Prints `READY` once the kubeconfig is written; stops on SIGTERM or when stdin closes.
 */
import { startSimulator } from '../src/sim/index.js';

const [nodes, pods, kubeconfigPath, auditLogPath] = process.argv.slice(2) as [
  string,
  string,
  string,
  string?,
];
const sim = await startSimulator({
  nodes: Number(nodes),
  pods: Number(pods),
  seed: 5,
  heartbeatIntervalMs: 0,
  ...(auditLogPath ? { auditLogPath } : {}),
});
await sim.writeKubeconfig(kubeconfigPath, { contextName: 'bench' });
process.stdout.write('READY\n');
const stop = async () => {
  await sim.stop();
  process.exit(0);
};
process.once('SIGTERM', stop);
process.stdin.on('close', stop);
process.stdin.resume();
