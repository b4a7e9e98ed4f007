/** The namespaces of the simulated cluster and the applications (ReplicaSets) that run in them. */

export const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

/** Where the nightly report Job pods run. */
export const BATCH_NAMESPACE = 'batch-jobs';

/** Application namespace -> its components; each component becomes a Deployment's ReplicaSet. */
export const APP_NAMESPACES: Record<string, string[]> = {
  payments: ['api', 'worker', 'ledger', 'fraud-check', 'webhooks'],
  checkout: ['web', 'cart', 'pricing', 'tax'],
  search: ['query', 'indexer', 'suggest'],
  catalog: ['api', 'images', 'inventory'],
  'data-pipeline': ['etl', 'stream-processor', 'scheduler'],
  monitoring: ['prometheus', 'grafana', 'alertmanager', 'kube-state-metrics'],
  'ingress-nginx': ['controller'],
  platform: ['auth-proxy', 'feature-flags', 'notifications', 'audit-sink'],
};

/** One image per application namespace, shared by its components. */
export const APP_IMAGES: Record<string, string> = {
  payments: 'registry.example.com/payments/api:v1.42.3',
  checkout: 'registry.example.com/checkout/web:v3.8.0',
  search: 'registry.example.com/search/query:v0.19.7',
  catalog: 'registry.example.com/catalog/api:v2.1.14',
  'data-pipeline': 'registry.example.com/data/etl-runner:v5.0.2',
  monitoring: 'quay.io/prometheus/prometheus:v2.55.1',
  'ingress-nginx': 'registry.k8s.io/ingress-nginx/controller:v1.11.3',
  platform: 'registry.example.com/platform/auth-proxy:v0.11.0',
};

/** For an image the catalog does not name. */
export const FALLBACK_APP_IMAGE = 'docker.io/library/nginx:1.27.3';
