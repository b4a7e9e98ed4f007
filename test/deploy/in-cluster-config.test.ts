import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IN_CLUSTER_CONTEXT } from '../../src/clusters/in-cluster-config.js';
import { KubeHttpClient } from '../../src/clusters/kube-client.js';
import { loadKubeconfig, NoUsableKubeconfigError } from '../../src/clusters/kubeconfig-lookup.js';
import { SERVE_HELP } from '../../src/config/parse-serve-config.js';
import { type SimulatorHandle, startSimulator } from '../../src/sim/index.js';
import { tempDir } from '../support/temp-dir.js';
import { type ServiceAccountDir, serviceAccountDir } from './service-account-dir.js';

const SA_USER = 'system:serviceaccount:kube-node-gateway:kube-node-gateway';
const SA_GROUPS = ['system:serviceaccounts', 'system:serviceaccounts:kube-node-gateway'];

describe('in-cluster mode: the pod service account as context in-cluster', () => {
  let sim: SimulatorHandle;
  let sa: ServiceAccountDir;
  let home: Awaited<ReturnType<typeof tempDir>>;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    sim = await startSimulator({
      nodes: 3,
      pods: 6,
      heartbeatIntervalMs: 0,
      tokens: [
        { token: 'sa-token-1', user: SA_USER, uid: 'sa-uid', groups: [...SA_GROUPS, 'test:credential-1'] },
        { token: 'sa-token-2', user: SA_USER, uid: 'sa-uid', groups: [...SA_GROUPS, 'test:credential-2'] },
      ],
    });
    sa = await serviceAccountDir({ token: 'sa-token-1', caPem: sim.caPem!, namespace: 'kube-node-gateway' });
    home = await tempDir();
    const port = new URL(sim.url).port;
    env = { HOME: home.path, KUBERNETES_SERVICE_HOST: '127.0.0.1', KUBERNETES_SERVICE_PORT: port };
  });
  afterAll(async () => {
    await sim?.stop();
    await sa?.cleanup();
    await home?.cleanup();
  });

  const credentialOfLast = () => {
    const groups = sim.audit.entries().at(-1)?.userInfo.groups ?? [];
    return groups.find((g) => g.startsWith('test:credential-'));
  };

  it('is chosen only without a kubeconfig, and names the service address, the CA and the namespace', () => {
    const kc = loadKubeconfig({ paths: [], serviceAccountDir: sa.path, env });
    expect(kc.getCurrentContext()).toBe(IN_CLUSTER_CONTEXT);
    expect(kc.getContexts()).toEqual([
      { name: 'in-cluster', cluster: 'in-cluster', user: 'in-cluster', namespace: 'kube-node-gateway' },
    ]);
    expect(kc.getCurrentCluster()?.server).toBe(`https://127.0.0.1:${env.KUBERNETES_SERVICE_PORT}`);
    expect(kc.getCurrentCluster()?.caFile).toBe(`${sa.path}/ca.crt`);
    const v6 = loadKubeconfig({
      paths: [],
      serviceAccountDir: sa.path,
      env: { ...env, KUBERNETES_SERVICE_HOST: 'fd00::1' },
    });
    expect(v6.getCurrentCluster()?.server).toBe(`https://[fd00::1]:${env.KUBERNETES_SERVICE_PORT}`);
  });

  it('is not chosen without the service variables or the token, and the error says what it looked for', () => {
    for (const without of [
      { ...env, KUBERNETES_SERVICE_HOST: undefined },
      { ...env, KUBERNETES_SERVICE_PORT: undefined },
    ]) {
      expect(() => loadKubeconfig({ paths: [], serviceAccountDir: sa.path, env: without })).toThrow(
        NoUsableKubeconfigError,
      );
    }
    expect(() => loadKubeconfig({ paths: [], serviceAccountDir: `${sa.path}/nothing-here`, env })).toThrow(
      /KUBERNETES_SERVICE_HOST, KUBERNETES_SERVICE_PORT and .*nothing-here\/token/,
    );
  });

  it('loses to a kubeconfig: --kubeconfig / KUBECONFIG files, then ~/.kube/config, as kubectl', async () => {
    const other = await tempDir();
    try {
      const file = join(other.path, 'kubeconfig');
      await writeFile(file, sim.kubeconfig({ contextName: 'from-file' }));
      expect(loadKubeconfig({ paths: [file], serviceAccountDir: sa.path, env }).getCurrentContext()).toBe(
        'from-file',
      );
      await mkdir(join(other.path, '.kube'));
      await writeFile(join(other.path, '.kube', 'config'), sim.kubeconfig({ contextName: 'from-home' }));
      expect(
        loadKubeconfig({
          paths: [],
          serviceAccountDir: sa.path,
          env: { ...env, HOME: other.path },
        }).getCurrentContext(),
      ).toBe('from-home');
    } finally {
      await other.cleanup();
    }
    expect(SERVE_HELP).toMatch(
      /the --kubeconfig files, else the KUBECONFIG files, else\s+~\/\.kube\/config, else/,
    );
    expect(SERVE_HELP).toMatch(/served as context in-cluster/);
  });

  it('sends the new token on the first request after kubelet swaps the files, with no restart', async () => {
    const kubeConfig = loadKubeconfig({ paths: [], serviceAccountDir: sa.path, env });
    const client = new KubeHttpClient({ cluster: IN_CLUSTER_CONTEXT, kubeConfig, apiTimeoutMs: 5000 });
    try {
      await client.json({ path: '/api/v1/nodes' });
      expect(sim.audit.entries().at(-1)?.user).toBe(SA_USER);
      expect(credentialOfLast()).toBe('test:credential-1');
      await sa.rotate('sa-token-2');
      await client.json({ path: '/api/v1/nodes' });
      expect(credentialOfLast()).toBe('test:credential-2');
      const watch = await client.stream({ path: '/api/v1/nodes', query: { watch: true } });
      watch.close();
      expect(sim.audit.entries().at(-1)).toMatchObject({ verb: 'watch' });
      expect(credentialOfLast()).toBe('test:credential-2');
      await sa.rotate('sa-token-1');
      await client.json({ path: '/api/v1/nodes' });
      expect(credentialOfLast()).toBe('test:credential-1');
    } finally {
      client.close();
    }
  });
});
