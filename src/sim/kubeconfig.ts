/** kubeconfig YAML for a simulator: one cluster, one bearer-token user, one context, all named alike. */

export interface KubeconfigParams {
  server: string;
  clusterName: string;
  contextName?: string;
  token: string;
  /** PEM of the CA to trust; without it (plain http) the cluster entry skips TLS verification. */
  caPem?: string;
}

// JSON strings are valid YAML double-quoted scalars, so quoting with JSON.stringify is always safe.
const q = (s: string): string => JSON.stringify(s);

export function renderKubeconfig(p: KubeconfigParams): string {
  const context = p.contextName ?? p.clusterName;
  const clusterLines = p.caPem
    ? [`    certificate-authority-data: ${Buffer.from(p.caPem).toString('base64')}`]
    : ['    insecure-skip-tls-verify: true'];
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- cluster:',
    ...clusterLines,
    `    server: ${q(p.server)}`,
    `  name: ${q(p.clusterName)}`,
    'contexts:',
    '- context:',
    `    cluster: ${q(p.clusterName)}`,
    `    user: ${q(p.clusterName)}`,
    `  name: ${q(context)}`,
    `current-context: ${q(context)}`,
    'preferences: {}',
    'users:',
    `- name: ${q(p.clusterName)}`,
    '  user:',
    `    token: ${q(p.token)}`,
    '',
  ].join('\n');
}
