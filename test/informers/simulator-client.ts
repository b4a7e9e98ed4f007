import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll } from 'vitest';
import { KubeHttpClient } from '../../src/clusters/kube-client.js';
import { type SimulatorHandle, type SimulatorOptions, startSimulator } from '../../src/sim/index.js';

export interface SimulatorClient {
  readonly sim: SimulatorHandle;
  readonly client: KubeHttpClient;
}

/**
 * An in-process simulator and a KubeHttpClient of it, started before the calling file's tests
 * and stopped after them. Read its fields inside hooks and tests (they are set by beforeAll).
 */
export function useSimulatorClient(options: SimulatorOptions): SimulatorClient {
  const handle = {} as { sim: SimulatorHandle; client: KubeHttpClient };
  beforeAll(async () => {
    handle.sim = await startSimulator(options);
    const kc = new KubeConfig();
    kc.loadFromString(handle.sim.kubeconfig());
    handle.client = new KubeHttpClient({ cluster: 'sim', kubeConfig: kc, apiTimeoutMs: 2000 });
  });
  afterAll(async () => {
    handle.client?.close();
    await handle.sim?.stop();
  });
  return handle;
}
