import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';

/** Where a pod's service account token is mounted: the sign of running inside a cluster. */
export const IN_CLUSTER_TOKEN_PATH = '/var/run/secrets/kubernetes.io/serviceaccount/token';

/**
 * No kubeconfig the gateway can serve. client-node's `loadFromDefault` falls back to a made-up
 * context at http://localhost:8080, which a gateway would serve as a cluster that answers every
 * query with an error; the gateway refuses to start instead, naming what it looked for.
 */
export class NoUsableKubeconfigError extends Error {
  override readonly name = 'NoUsableKubeconfigError';
}

/**
 * Loads the kubeconfig files in order (later files add contexts, as kubectl merges KUBECONFIG);
 * with no files given, kubectl's lookup: ~/.kube/config, then the in-cluster service account.
 * Throws NoUsableKubeconfigError when a named file does not exist or nothing is found.
 */
export function loadKubeconfig(paths: readonly string[], env: NodeJS.ProcessEnv = process.env): KubeConfig {
  const kc = new KubeConfig();
  if (paths.length === 0) return loadDefault(kc, env);
  const missing = paths.filter((p) => !existsSync(p));
  if (missing.length > 0) {
    throw new NoUsableKubeconfigError(
      `kubeconfig not found: ${missing.join(', ')} does not exist (from --kubeconfig or KUBECONFIG)`,
    );
  }
  const [first, ...rest] = paths;
  kc.loadFromFile(first!);
  for (const path of rest) {
    const more = new KubeConfig();
    more.loadFromFile(path);
    kc.mergeConfig(more, true);
  }
  return kc;
}

function loadDefault(kc: KubeConfig, env: NodeJS.ProcessEnv): KubeConfig {
  const home = env.HOME || homedir();
  const homeConfig = join(home, '.kube', 'config');
  if (existsSync(homeConfig)) {
    kc.loadFromFile(homeConfig);
    return kc;
  }
  if (env.KUBERNETES_SERVICE_HOST && existsSync(IN_CLUSTER_TOKEN_PATH)) {
    kc.loadFromCluster();
    return kc;
  }
  throw new NoUsableKubeconfigError(
    `no kubeconfig: KUBECONFIG is empty or unset, ${homeConfig} does not exist, and not running in a cluster ` +
      `(no KUBERNETES_SERVICE_HOST and ${IN_CLUSTER_TOKEN_PATH}); pass --kubeconfig, or --simulate for a demo`,
  );
}
