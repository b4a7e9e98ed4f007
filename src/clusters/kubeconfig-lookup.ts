import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import {
  DEFAULT_SERVICE_ACCOUNT_DIR,
  inClusterEnvironment,
  inClusterKubeConfig,
} from './in-cluster-config.js';

/**
 * No kubeconfig the gateway can serve. client-node's `loadFromDefault` falls back to a made-up
 * context at http://localhost:8080, which a gateway would serve as a cluster that answers every
 * query with an error; the gateway refuses to start instead, naming what it looked for.
 */
export class NoUsableKubeconfigError extends Error {
  override readonly name = 'NoUsableKubeconfigError';
}

export interface KubeconfigLookup {
  /** Kubeconfig files from --kubeconfig or KUBECONFIG; empty = look further. */
  readonly paths: readonly string[];
  /** The service account folder of in-cluster mode (token, ca.crt, namespace). */
  readonly serviceAccountDir?: string;
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * The cluster source, in kubectl's (client-go's) order: the kubeconfig files given (later files
 * add contexts, as kubectl merges KUBECONFIG), else ~/.kube/config, else the pod's own cluster
 * as context `in-cluster`. Throws NoUsableKubeconfigError when a named file does not exist or
 * nothing is found.
 */
export function loadKubeconfig({
  paths,
  serviceAccountDir = DEFAULT_SERVICE_ACCOUNT_DIR,
  env = process.env,
}: KubeconfigLookup): KubeConfig {
  if (paths.length === 0) return loadDefault(env, serviceAccountDir);
  const missing = paths.filter((p) => !existsSync(p));
  if (missing.length > 0) {
    throw new NoUsableKubeconfigError(
      `kubeconfig not found: ${missing.join(', ')} does not exist (from --kubeconfig or KUBECONFIG)`,
    );
  }
  const kc = new KubeConfig();
  const [first, ...rest] = paths;
  kc.loadFromFile(first!);
  for (const path of rest) {
    const more = new KubeConfig();
    more.loadFromFile(path);
    kc.mergeConfig(more, true);
  }
  return kc;
}

function loadDefault(env: NodeJS.ProcessEnv, serviceAccountDir: string): KubeConfig {
  const home = env.HOME || homedir();
  const homeConfig = join(home, '.kube', 'config');
  if (existsSync(homeConfig)) {
    const kc = new KubeConfig();
    kc.loadFromFile(homeConfig);
    return kc;
  }
  const inCluster = inClusterEnvironment(env, serviceAccountDir);
  if (inCluster) return inClusterKubeConfig(inCluster);
  throw new NoUsableKubeconfigError(
    `no kubeconfig: KUBECONFIG is empty or unset, ${homeConfig} does not exist, and not running in a cluster ` +
      `(needs KUBERNETES_SERVICE_HOST, KUBERNETES_SERVICE_PORT and ${join(serviceAccountDir, 'token')}); ` +
      'pass --kubeconfig, or --simulate for a demo',
  );
}
