import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** A kubeconfig whose only cluster refuses connections: transport tests need no cluster. */
export async function writeUnreachableKubeconfig(dir: string): Promise<string> {
  const path = join(dir, 'kubeconfig');
  await writeFile(
    path,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        { name: 'nowhere', cluster: { server: 'https://127.0.0.1:9', 'insecure-skip-tls-verify': true } },
      ],
      users: [{ name: 'nobody', user: { token: 'x' } }],
      contexts: [{ name: 'nowhere', context: { cluster: 'nowhere', user: 'nobody' } }],
      'current-context': 'nowhere',
    }),
  );
  return path;
}
