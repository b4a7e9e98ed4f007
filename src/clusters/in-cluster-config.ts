import { existsSync, readFileSync } from 'node:fs';
import { isIPv6 } from 'node:net';
import { join } from 'node:path';
import { KubeConfig, type User } from '@kubernetes/client-node';

/** Where kubelet mounts a pod's service account: token, ca.crt, namespace. */
export const DEFAULT_SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/** The context (and cluster) name the gateway serves its own cluster by when running in a pod. */
export const IN_CLUSTER_CONTEXT = 'in-cluster';

/**
 * Marks a kubeconfig user whose bearer token is a file the gateway re-reads as it rotates
 * (KubeHttpClient reads it per request). Not client-node's `tokenFile` auth provider, whose
 * reader keeps a token for 60 s after kubelet has replaced it.
 */
const ROTATING_TOKEN_PROVIDER = 'kube-node-gateway-service-account';

export interface InClusterEnvironment {
  readonly host: string;
  readonly port: string;
  readonly serviceAccountDir: string;
}

/**
 * The pod's cluster, if the gateway runs in one: KUBERNETES_SERVICE_HOST and _PORT set (kubelet
 * sets them in every container) and a token in the service account folder.
 */
export function inClusterEnvironment(
  env: NodeJS.ProcessEnv,
  serviceAccountDir: string,
): InClusterEnvironment | undefined {
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT;
  if (!host || !port || !existsSync(join(serviceAccountDir, 'token'))) return undefined;
  return { host, port, serviceAccountDir };
}

/**
 * A kubeconfig with one context, `in-cluster`: the API server at the service address, trusted
 * by the mounted ca.crt, authenticated by the mounted (rotating) token, in the pod's namespace.
 */
export function inClusterKubeConfig(where: InClusterEnvironment): KubeConfig {
  const host = isIPv6(where.host) ? `[${where.host}]` : where.host;
  const namespaceFile = join(where.serviceAccountDir, 'namespace');
  const namespace = existsSync(namespaceFile) ? readFileSync(namespaceFile, 'utf8').trim() : undefined;
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [
      {
        name: IN_CLUSTER_CONTEXT,
        server: `https://${host}:${where.port}`,
        caFile: join(where.serviceAccountDir, 'ca.crt'),
        skipTLSVerify: false,
      },
    ],
    users: [
      {
        name: IN_CLUSTER_CONTEXT,
        authProvider: {
          name: ROTATING_TOKEN_PROVIDER,
          config: { path: join(where.serviceAccountDir, 'token') },
        },
      },
    ],
    contexts: [
      {
        name: IN_CLUSTER_CONTEXT,
        cluster: IN_CLUSTER_CONTEXT,
        user: IN_CLUSTER_CONTEXT,
        ...(namespace ? { namespace } : {}),
      },
    ],
    currentContext: IN_CLUSTER_CONTEXT,
  });
  return kc;
}

/** The token file of a user made by inClusterKubeConfig; undefined for every other user. */
export function rotatingTokenPathOf(user: User | null | undefined): string | undefined {
  const provider = user?.authProvider as { name?: unknown; config?: { path?: unknown } } | undefined;
  if (provider?.name !== ROTATING_TOKEN_PROVIDER) return undefined;
  return typeof provider.config?.path === 'string' ? provider.config.path : undefined;
}
