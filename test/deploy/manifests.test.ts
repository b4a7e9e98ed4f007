import type {
  KubernetesObject,
  V1ClusterRole,
  V1ClusterRoleBinding,
  V1Container,
  V1Deployment,
  V1PodDisruptionBudget,
  V1PolicyRule,
  V1Service,
} from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { parseServeConfig } from '../../src/config/parse-serve-config.js';
import { OVERLAYS, type Overlay, objectOf, renderManifests } from './rendered-manifests.js';

/**
 * The gateway's own account under --auth kubernetes, derived from its calls (README "Deploy"):
 * test/e2e/deploy-rbac.test.ts proves each rule is needed by taking it away.
 */
const GATEWAY_RULES: V1PolicyRule[] = [
  { apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: [''], resources: ['pods'], verbs: ['list'] },
  { apiGroups: ['authentication.k8s.io'], resources: ['tokenreviews'], verbs: ['create'] },
  { apiGroups: ['authorization.k8s.io'], resources: ['subjectaccessreviews'], verbs: ['create'] },
  { apiGroups: [''], resources: ['users'], verbs: ['impersonate'] },
  { apiGroups: [''], resources: ['serviceaccounts'], verbs: ['impersonate'] },
  { apiGroups: [''], resources: ['groups'], verbs: ['impersonate'] },
  { apiGroups: ['authentication.k8s.io'], resources: ['uids'], verbs: ['impersonate'] },
  {
    apiGroups: ['authentication.k8s.io'],
    resources: [
      'userextras/authentication.kubernetes.io/credential-id',
      'userextras/authentication.kubernetes.io/node-name',
      'userextras/authentication.kubernetes.io/node-uid',
      'userextras/authentication.kubernetes.io/pod-name',
      'userextras/authentication.kubernetes.io/pod-uid',
    ],
    verbs: ['impersonate'],
  },
];

const NAMESPACE = 'kube-node-gateway';
const SERVICE_DNS = `kube-node-gateway.${NAMESPACE}.svc`;

function gatewayContainer(objects: readonly KubernetesObject[]): V1Container {
  const containers = objectOf<V1Deployment>(objects, 'Deployment').spec?.template.spec?.containers ?? [];
  expect(containers.map((c) => c.name)).toEqual(['gateway']);
  return containers[0]!;
}

/** The gateway's configuration as the container would start it (Secret values stand in). */
function configOf(objects: readonly KubernetesObject[]) {
  const container = gatewayContainer(objects);
  const [command, ...argv] = container.args ?? [];
  expect(command).toBe('serve');
  const env: NodeJS.ProcessEnv = {};
  for (const e of container.env ?? []) {
    env[e.name] = e.value ?? (e.valueFrom?.secretKeyRef ? 'redis://redis.example:6379' : undefined);
  }
  const parsed = parseServeConfig(argv, env);
  if (parsed.kind !== 'config')
    throw new Error(`the Deployment's flags do not parse: ${JSON.stringify(parsed)}`);
  return parsed.config;
}

describe.each<Overlay>([...OVERLAYS, 'base'])('kubectl kustomize deploy/%s', (dir) => {
  const objects = renderManifests(dir);
  const deployment = objectOf<V1Deployment>(objects, 'Deployment');
  const pod = deployment.spec!.template.spec!;

  it('renders the gateway objects, all in namespace kube-node-gateway but the cluster-scoped ones', () => {
    const kinds = objects.filter((o) => o.metadata?.name === 'kube-node-gateway').map((o) => o.kind);
    expect(kinds.sort()).toEqual(
      [
        'ClusterRole',
        'ClusterRoleBinding',
        'Deployment',
        'Namespace',
        'PodDisruptionBudget',
        'Service',
        'ServiceAccount',
      ].sort(),
    );
    const clusterScoped = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding']);
    for (const o of objects) {
      expect(o.metadata?.namespace, `${o.kind} ${o.metadata?.name}`).toBe(
        clusterScoped.has(o.kind!) ? undefined : NAMESPACE,
      );
    }
  });

  it('grants exactly the declared rules, with no * anywhere, to the gateway service account', () => {
    const role = objectOf<V1ClusterRole>(objects, 'ClusterRole');
    expect(role.rules).toEqual(GATEWAY_RULES);
    expect(role.aggregationRule).toBeUndefined();
    for (const rule of role.rules ?? []) {
      for (const value of [
        ...(rule.apiGroups ?? []),
        ...(rule.resources ?? []),
        ...rule.verbs,
        ...(rule.resourceNames ?? []),
        ...(rule.nonResourceURLs ?? []),
      ]) {
        expect(value).not.toContain('*');
      }
    }
    const binding = objectOf<V1ClusterRoleBinding>(objects, 'ClusterRoleBinding');
    expect(binding.roleRef).toEqual({
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'ClusterRole',
      name: 'kube-node-gateway',
    });
    expect(binding.subjects).toEqual([
      { kind: 'ServiceAccount', name: 'kube-node-gateway', namespace: NAMESPACE },
    ]);
    expect(pod.serviceAccountName).toBe('kube-node-gateway');
  });

  it('runs non-root with a numeric uid, a read-only root, no privilege escalation, no capabilities, RuntimeDefault seccomp', () => {
    expect(pod.securityContext).toMatchObject({
      runAsNonRoot: true,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    for (const c of [...(pod.initContainers ?? []), ...pod.containers]) {
      const sc = c.securityContext ?? {};
      expect(sc.runAsNonRoot ?? pod.securityContext?.runAsNonRoot).toBe(true);
      const uid = sc.runAsUser ?? pod.securityContext?.runAsUser;
      expect(Number.isInteger(uid) && uid! > 0).toBe(true);
      expect(sc.readOnlyRootFilesystem).toBe(true);
      expect(sc.allowPrivilegeEscalation).toBe(false);
      expect(sc.capabilities).toEqual({ drop: ['ALL'] });
      expect(sc.privileged).toBeUndefined();
      expect(sc.seccompProfile?.type ?? pod.securityContext?.seccompProfile?.type).toBe('RuntimeDefault');
    }
    const namespace = objectOf(objects, 'Namespace');
    expect(namespace.metadata?.labels?.['pod-security.kubernetes.io/enforce']).toBe('restricted');
    expect(pod.hostNetwork ?? false).toBe(false);
    expect(pod.hostPID ?? false).toBe(false);
  });

  it('probes /healthz for liveness and /readyz for readiness on the serving port, with requests and limits', () => {
    const c = gatewayContainer(objects);
    expect(c.livenessProbe?.httpGet).toMatchObject({ path: '/healthz', port: 'http' });
    expect(c.readinessProbe?.httpGet).toMatchObject({ path: '/readyz', port: 'http' });
    expect(c.ports).toEqual([{ name: 'http', containerPort: configOf(objects).port }]);
    for (const k of ['cpu', 'memory']) {
      expect(c.resources?.requests?.[k], `requests.${k}`).toBeDefined();
      expect(c.resources?.limits?.[k], `limits.${k}`).toBeDefined();
    }
  });

  it('serves --auth kubernetes on every address, accepting the Service DNS name as Host', () => {
    const config = configOf(objects);
    expect(config.auth.mode).toBe('kubernetes');
    expect(config.host).toBe('0.0.0.0');
    expect(config.kubeconfigPaths).toEqual([]);
    expect(config.publicUrls.map((u) => new URL(u).hostname)).toContain(SERVICE_DNS);
    const service = objectOf<V1Service>(objects, 'Service');
    expect(service.spec?.ports?.[0]?.targetPort).toBe('http');
    expect(service.spec?.selector).toEqual(deployment.spec?.selector.matchLabels);
  });

  it('gives a terminating pod more time than --shutdown-delay plus --shutdown-timeout', () => {
    const config = configOf(objects);
    const graceMs = (pod.terminationGracePeriodSeconds ?? 30) * 1000;
    expect(graceMs).toBeGreaterThan(config.shutdownDelayMs + config.shutdownTimeoutMs);
  });

  it('has a budget that never blocks a node drain by itself, and spreads replicas across nodes', () => {
    const pdb = objectOf<V1PodDisruptionBudget>(objects, 'PodDisruptionBudget');
    expect(pdb.spec?.maxUnavailable).toBe(1);
    expect(pdb.spec?.minAvailable).toBeUndefined();
    expect(pdb.spec?.selector).toEqual(deployment.spec?.selector);
    const byHost = pod.topologySpreadConstraints?.find((t) => t.topologyKey === 'kubernetes.io/hostname');
    expect(byHost).toMatchObject({ maxSkew: 1, whenUnsatisfiable: 'DoNotSchedule' });
    expect(byHost?.labelSelector).toEqual(deployment.spec?.selector);
  });

  it('takes its image from a name kustomize images: sets', () => {
    expect(gatewayContainer(objects).image).toBe('registry.example.com/kube-node-gateway:0.1.0');
  });
});

describe('what each overlay means', () => {
  it('standalone: one replica, no Redis, never two processes at once (Recreate), GraphiQL on', () => {
    const objects = renderManifests('overlays/standalone');
    const deployment = objectOf<V1Deployment>(objects, 'Deployment');
    expect(deployment.spec?.replicas).toBe(1);
    expect(deployment.spec?.strategy).toEqual({ type: 'Recreate' });
    const config = configOf(objects);
    expect(config.redisUrl).toBeUndefined();
    expect(config.graphiql).toBe(true);
    expect(objects.filter((o) => o.kind === 'Secret')).toEqual([]);
  });

  it('ha: two replicas sharing the Redis it brings (--redis from the generated Secret), GraphiQL off', () => {
    const objects = renderManifests('overlays/ha');
    const deployment = objectOf<V1Deployment>(objects, 'Deployment');
    expect(deployment.spec?.replicas).toBe(2);
    expect(deployment.spec?.strategy?.rollingUpdate).toMatchObject({ maxUnavailable: 0 });
    const config = configOf(objects);
    expect(config.redisUrl).toBeDefined();
    expect(config.graphiql).toBe(false);
    const ref = gatewayContainer(objects).env?.find((e) => e.name === 'REDIS_URL')?.valueFrom?.secretKeyRef;
    const secret = objects.find((o) => o.kind === 'Secret' && o.metadata?.name === ref?.name) as
      | (KubernetesObject & { data?: Record<string, string> })
      | undefined;
    const url = Buffer.from(secret?.data?.[ref!.key] ?? '', 'base64').toString();
    const redisService = objectOf<V1Service>(objects, 'Service', 'kube-node-gateway-redis');
    expect(new URL(url).hostname).toBe(`${redisService.metadata?.name}.${NAMESPACE}.svc`);
    expect(new URL(url).port).toBe(String(redisService.spec?.ports?.[0]?.port));
    const redis = objectOf<V1Deployment>(objects, 'Deployment', 'kube-node-gateway-redis');
    expect(redisService.spec?.selector).toEqual(redis.spec?.selector.matchLabels);
    const redisContainer = redis.spec!.template.spec!.containers[0]!;
    expect(redisContainer.securityContext).toMatchObject({
      runAsNonRoot: true,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    });
    expect(redisContainer.resources?.limits?.memory).toBeDefined();
  });

  it('base alone: two replicas that wait for the Redis URL Secret rather than run unshared', () => {
    const objects = renderManifests('base');
    expect(objectOf<V1Deployment>(objects, 'Deployment').spec?.replicas).toBe(2);
    const ref = gatewayContainer(objects).env?.find((e) => e.name === 'REDIS_URL')?.valueFrom?.secretKeyRef;
    expect(ref).toEqual({ name: 'kube-node-gateway-redis', key: 'url' });
    expect(ref?.optional).toBeUndefined();
    expect(objects.filter((o) => o.kind === 'Secret')).toEqual([]);
  });
});
