import type { KubeClient } from './kube-client.js';

/** One cluster the gateway serves: a kubeconfig context and a client for its API. */
export interface ClusterConnection {
  /** The kubeconfig context name; this is the `cluster` argument of the GraphQL API. */
  readonly name: string;
  readonly server: string;
  readonly client: KubeClient;
}

export type ClusterChange =
  | { type: 'added'; cluster: ClusterConnection }
  | { type: 'removed'; cluster: ClusterConnection };

export type ClusterListener = (change: ClusterChange) => void;

/**
 * The set of clusters, which changes at run time when the kubeconfig file changes or on SIGHUP.
 * Consumers that hold per-cluster state (node informers) subscribe and start/stop with it.
 */
export interface ClusterRegistry {
  /** The cluster a GraphQL field means when its `cluster` argument is omitted. */
  readonly defaultCluster: string | undefined;
  get(name: string): ClusterConnection | undefined;
  list(): readonly ClusterConnection[];
  /** Calls `listener` with an `added` change for every current cluster, then for each later change. */
  subscribe(listener: ClusterListener): () => void;
}
