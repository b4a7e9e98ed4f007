import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { type SimulatorHandle, type SimulatorOptions, startSimulator } from '../../src/sim/index.js';
import { tempDir } from '../support/temp-dir.js';

export interface SimCluster {
  readonly sim: SimulatorHandle;
  readonly contextName: string;
  readonly kubeconfigPath: string;
  stop(): Promise<void>;
}

/** Starts a simulator and writes a kubeconfig for it: the only way tests reach a cluster. */
export async function startSimCluster(
  options: SimulatorOptions & { contextName?: string } = {},
): Promise<SimCluster> {
  const contextName = options.contextName ?? options.clusterName ?? 'sim';
  const sim = await startSimulator({ heartbeatIntervalMs: 0, ...options, clusterName: contextName });
  const dir = await tempDir();
  const kubeconfigPath = join(dir.path, 'kubeconfig');
  await sim.writeKubeconfig(kubeconfigPath, { contextName });
  return {
    sim,
    contextName,
    kubeconfigPath,
    async stop() {
      await sim.stop();
      await dir.cleanup();
    },
  };
}

/** One kubeconfig with a context per cluster (the first one current). */
export async function writeMergedKubeconfig(path: string, clusters: readonly SimCluster[]): Promise<void> {
  const merged = new KubeConfig();
  clusters.forEach((c, i) => {
    const kc = new KubeConfig();
    kc.loadFromFile(c.kubeconfigPath);
    if (i === 0) merged.loadFromString(kc.exportConfig());
    else merged.mergeConfig(kc, true);
  });
  await writeFile(path, merged.exportConfig());
}
