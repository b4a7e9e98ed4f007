/**
 * A simulated Kubernetes API server that kubectl and @kubernetes/client-node accept: the demo cluster and
 * the test cluster for the gateway's e2e tests and benchmarks. See src/sim/README.md.
 */
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import type { ApiContext } from './api-handlers.js';
import { AuditLog, type SimAudit } from './audit.js';
import { loadRbacObjects } from './auth/load-rbac.js';
import { DEFAULT_ISSUER, ServiceAccountTokens } from './auth/service-account-tokens.js';
import { type AuthorizationMode, SimAuth } from './auth/sim-auth.js';
import { readTokenFile, type StaticToken } from './auth/token-auth-file.js';
import { type ChurnOptions, startChurn } from './churn.js';
import { DeploymentController } from './deployment-controller.js';
import { DisruptionController } from './disruption-controller.js';
import { EventRecorder } from './event-recorder.js';
import { Faults, type SimFaults } from './faults.js';
import { generateClusterInto } from './generate-cluster.js';
import type { KubeObject } from './kube-object.js';
import { renderKubeconfig } from './kubeconfig.js';
import { Kubelet } from './kubelet.js';
import { ListSnapshots } from './list-snapshots.js';
import { MetricsApi } from './metrics-api.js';
import { Random } from './random.js';
import { Registry } from './registry.js';
import { RESOURCES } from './resources.js';
import { Scheduler } from './scheduler.js';
import { createSimCluster, type SimCluster } from './sim-cluster.js';
import { SimServer } from './sim-server.js';
import { Store } from './store.js';
import { Timers } from './timers.js';
import { generatePki } from './tls.js';
import { WatchHub } from './watch-hub.js';
import { WorkloadControllers } from './workload-controllers.js';

export type { AuditEntry, AuditFilter, AuditUser, AuditVerb, SimAudit } from './audit.js';
export type { AuthorizationMode } from './auth/sim-auth.js';
export type { StaticToken } from './auth/token-auth-file.js';
export type { ChurnOptions } from './churn.js';
export type { SimFaults } from './faults.js';
export type {
  SimDaemonSet,
  SimNamespace,
  SimNode,
  SimPod,
  SimPodDisruptionBudget,
  SimReplicaSet,
  Wire,
} from './kube-object.js';
export type { PodFilter, SimCluster, WorkerNodeQuery } from './sim-cluster.js';
export { runSimCommand } from './sim-command.js';

export interface SimulatorOptions {
  /** Default 50. */
  nodes?: number;
  /** Total pods, including DaemonSet, mirror, completed and failed pods. Default 1500. */
  pods?: number;
  /** Default 1: the same seed (on the same UTC day) generates an identical cluster. */
  seed?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0 (any free port). */
  port?: number;
  /** Default true: HTTPS with a generated CA, which the kubeconfig trusts. */
  tls?: boolean;
  /** The bearer token accepted; default random. */
  token?: string;
  /** kubeconfig cluster/context/user name; default 'sim'. */
  clusterName?: string;
  /** Default 10_000; 0 disables heartbeats. */
  heartbeatIntervalMs?: number;
  /** Multiplies pod grace periods; default 0.01 (30 s becomes 300 ms). */
  deleteGraceScale?: number;
  /** Delay before the ReplicaSet/DaemonSet controllers and the scheduler act; default 100 ms. */
  controllerDelayMs?: number;
  /** Time from a pod's binding to Running; default = controllerDelayMs. */
  podStartDelayMs?: number;
  /** Events kept per resource for watch resumes; default 10_000. */
  watchHistorySize?: number;
  /** BOOKMARK interval for watches with allowWatchBookmarks=true; default 5_000; 0 disables. */
  bookmarkIntervalMs?: number;
  /** Watch duration when the client sets no timeoutSeconds; default 1800 (the apiserver's). */
  defaultWatchTimeoutSeconds?: number;
  /** Lifetime of a continue token (the etcd compaction interval); default 300_000. */
  continueTokenTtlMs?: number;
  /** Also append audit entries as JSON lines to this file. */
  auditLogPath?: string;
  churn?: ChurnOptions;
  /** kube-apiserver's --token-auth-file: CSV `token,user,uid[,"group1,group2"]`; a malformed file fails the start. */
  tokenAuthFile?: string;
  /** More static tokens (added to the file's). The simulator's own `token` is always `kubernetes-admin` in system:masters. */
  tokens?: readonly StaticToken[];
  /** Default 'AlwaysAllow' (every authenticated request); 'RBAC' authorizes by Roles and bindings. */
  authorizationMode?: AuthorizationMode;
  /** Roles, ClusterRoles and bindings to create at start: a YAML stream, a List or a JSON array. */
  rbacFile?: string;
  /** The same as objects (after rbacFile's). */
  rbacObjects?: readonly KubeObject[];
  /** Serve metrics.k8s.io/v1beta1 (as metrics-server does); default true. false = a cluster without it (404). */
  metricsApi?: boolean;
  /** Events kept at most (node and pod events the simulator records); default 1000. */
  eventLimit?: number;
  /** Events are deleted this long after they were last seen (kube-apiserver --event-ttl); default 1 h. */
  eventTtlMs?: number;
  /**
   * ServiceAccount token issuer (`iss`), also the API's audience (kube-apiserver's --service-account-issuer,
   * --api-audiences default). Default `https://kubernetes.default.svc.cluster.local`.
   */
  serviceAccountIssuer?: string;
}

/** What `serviceAccountToken` issues: a TokenRequest's answer. */
export interface ServiceAccountTokenOptions {
  /** Default: the API's audience (`https://kubernetes.default.svc.cluster.local`). */
  audiences?: readonly string[];
  /** Default 3600. Not checked against the TokenRequest minimum (600), so tests can make short-lived tokens. */
  expirationSeconds?: number;
  /** Issue time (default now); a time in the past makes an expired token, one in the future a not-yet-valid one. */
  issuedAt?: Date;
}

export interface SimulatorHandle {
  /** https://127.0.0.1:PORT */
  readonly url: string;
  readonly token: string;
  readonly clusterName: string;
  /** PEM of the CA that signed the serving certificate (undefined without TLS). */
  readonly caPem: string | undefined;
  kubeconfig(opts?: { contextName?: string; token?: string }): string;
  writeKubeconfig(path: string, opts?: { contextName?: string; token?: string }): Promise<void>;
  readonly cluster: SimCluster;
  readonly faults: SimFaults;
  readonly audit: SimAudit;
  /**
   * A ServiceAccount token signed by the simulator's key, as TokenRequest issues it (the ServiceAccount must
   * exist: its uid goes into the token). The same as `kubectl create token`, without kubectl.
   */
  serviceAccountToken(namespace: string, name: string, opts?: ServiceAccountTokenOptions): string;
  /** The token issuer (`iss`) and the public key set that verifies tokens (JWKS). */
  readonly serviceAccountIssuer: { issuer: string; jwks(): { keys: object[] } };
  /** Number of open watch streams (all resources, or one). */
  openWatches(resource?: string): number;
  /** Closes the server, watches and timers. */
  stop(): Promise<void>;
}

export async function startSimulator(opts: SimulatorOptions = {}): Promise<SimulatorHandle> {
  const seed = opts.seed ?? 1;
  const host = opts.host ?? '127.0.0.1';
  const tls = opts.tls ?? true;
  const token = opts.token ?? randomBytes(24).toString('base64url');
  const clusterName = opts.clusterName ?? 'sim';
  const controllerDelayMs = opts.controllerDelayMs ?? 100;

  // Files first: a bad token or RBAC file fails the start before anything is generated.
  const tokens = [...(opts.tokenAuthFile ? readTokenFile(opts.tokenAuthFile) : []), ...(opts.tokens ?? [])];
  const store = new Store(opts.watchHistorySize ?? 10_000);
  generateClusterInto({ nodes: opts.nodes ?? 50, pods: opts.pods ?? 1500, seed }, (resource, obj) =>
    store.load(resource, obj),
  );
  store.finishLoad();
  // Runtime randomness (new names, UIDs) is seeded too, so identical runs stay identical.
  const random = new Random(seed * 7919 + 17);
  const registry = new Registry(store, random);
  // A registry of its own, so the RBAC objects' UIDs leave the runtime random sequence as it was.
  loadRbacObjects(new Registry(store, new Random(seed * 104_729 + 3)), opts.rbacFile, opts.rbacObjects ?? []);
  const timers = new Timers();
  const disruption = new DisruptionController(store);
  disruption.syncAll();
  const watchHub = new WatchHub(store, {
    bookmarkIntervalMs: opts.bookmarkIntervalMs ?? 5_000,
    maxBufferedBytes: 64 * 1024 * 1024,
  });
  const snapshots = new ListSnapshots(opts.continueTokenTtlMs ?? 300_000);
  const scheduler = new Scheduler(store, timers, controllerDelayMs);
  const kubelet = new Kubelet(store, random, timers, {
    deleteGraceScale: opts.deleteGraceScale ?? 0.01,
    podStartDelayMs: opts.podStartDelayMs ?? controllerDelayMs,
    heartbeatIntervalMs: opts.heartbeatIntervalMs ?? 10_000,
  });
  const controllers = new WorkloadControllers(registry, timers, controllerDelayMs);
  const deployments = new DeploymentController(registry, timers, controllerDelayMs);
  const issuer = opts.serviceAccountIssuer ?? DEFAULT_ISSUER;
  const serviceAccountTokens = new ServiceAccountTokens(store, issuer, [issuer]);
  // Its own registry and random sequence: recording events leaves the cluster's names and UIDs as they were.
  const events = new EventRecorder(store, new Registry(store, new Random(seed * 15_485_863 + 5)), timers, {
    maxEvents: opts.eventLimit ?? 1000,
    ttlMs: opts.eventTtlMs ?? 3_600_000,
  });
  if (opts.churn) startChurn(registry, kubelet, random, timers, opts.churn);

  const pki = tls ? generatePki(host) : undefined;
  const audit = new AuditLog(opts.auditLogPath);
  let server: SimServer | undefined;
  const faults = new Faults({
    dropWatches: () => watchHub.dropAll(),
    compactHistory: () => {
      store.compactHistory();
      snapshots.expireAll();
    },
    stallWatches: (stalled) => {
      watchHub.stalled = stalled;
    },
    refuseConnections: (ms) => server?.refuseConnections(ms),
  });
  const ctx: ApiContext = {
    registry,
    watchHub,
    snapshots,
    defaultWatchTimeoutSeconds: opts.defaultWatchTimeoutSeconds ?? 1800,
    tokens: serviceAccountTokens,
  };
  server = new SimServer({
    ctx,
    auth: new SimAuth({
      adminToken: token,
      adminUser: 'kubernetes-admin',
      tokens,
      mode: opts.authorizationMode ?? 'AlwaysAllow',
      store,
      serviceAccountTokens,
    }),
    faults,
    audit,
    tls: pki ? { key: pki.keyPem, cert: pki.certPem } : undefined,
    metrics: opts.metricsApi === false ? undefined : new MetricsApi(store, seed),
  });
  const port = await server.listen(host, opts.port ?? 0);
  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  const url = `${tls ? 'https' : 'http'}://${urlHost}:${port}`;
  const cluster = createSimCluster(registry, kubelet, random);

  const kubeconfig = (o: { contextName?: string; token?: string } = {}): string =>
    renderKubeconfig({
      server: url,
      clusterName,
      ...(o.contextName ? { contextName: o.contextName } : {}),
      token: o.token ?? token,
      ...(pki ? { caPem: pki.caCertPem } : {}),
    });

  let stopped: Promise<void> | undefined;
  return {
    url,
    token,
    clusterName,
    caPem: pki?.caCertPem,
    kubeconfig,
    writeKubeconfig: (path, o) => writeFile(path, kubeconfig(o), { mode: 0o600 }),
    cluster,
    faults,
    audit,
    serviceAccountToken(namespace, name, o = {}) {
      const sa = registry.get(RESOURCES.serviceaccounts, namespace, name);
      return serviceAccountTokens.issue({
        namespace,
        name,
        uid: sa.uid,
        audiences: o.audiences ?? serviceAccountTokens.apiAudiences,
        expirationSeconds: o.expirationSeconds ?? 3600,
        ...(o.issuedAt ? { issuedAtMs: o.issuedAt.getTime() } : {}),
      }).token;
    },
    serviceAccountIssuer: { issuer: serviceAccountTokens.issuer, jwks: () => serviceAccountTokens.jwks() },
    openWatches: (resource) => watchHub.count(resource as never),
    stop() {
      stopped ??= (async () => {
        timers.stop();
        watchHub.stop();
        scheduler.stop();
        kubelet.stop();
        controllers.stop();
        deployments.stop();
        events.stop();
        disruption.stop();
        await server.close();
        await audit.close();
      })();
      return stopped;
    },
  };
}
