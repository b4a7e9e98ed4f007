import type { LevelWithSilent } from 'pino';

/** How callers prove who they are: not at all (loopback only), a Kubernetes TokenReview, or an OIDC ID token. */
export type AuthMode = 'none' | 'kubernetes' | 'oidc';

/** The gateway's whole configuration, validated once at start from the flags declared in serve-flags.ts. */
export interface GatewayConfig {
  readonly host: string;
  readonly port: number;
  /** Kubeconfig files in KUBECONFIG order; empty = ~/.kube/config, else the pod's own cluster. */
  readonly kubeconfigPaths: readonly string[];
  /** In-cluster mode's service account folder (token, ca.crt, namespace). */
  readonly serviceAccountDir: string;
  readonly contexts: readonly string[];
  readonly allContexts: boolean;
  /** Start an embedded simulated cluster and serve it (demo mode). */
  readonly simulate: boolean;
  readonly simulateNodes: number;
  readonly simulatePods: number;
  /** Shared drain jobs, locks and events across replicas; undefined = one process, in memory. */
  readonly redisUrl: string | undefined;
  /** Prefix of every Redis key and channel, so several gateways (or test runs) can share a Redis. */
  readonly redisKeyPrefix: string;
  readonly logLevel: LevelWithSilent;
  /** Deadline of every direct Kubernetes API call. */
  readonly apiTimeoutMs: number;
  /** How long one cluster-wide pod count may be reused; 0 = fresh per request. */
  readonly podCountMaxAgeMs: number;
  /** Largest `first` a connection field accepts. */
  readonly maxPageSize: number;
  /** HTTP answers with a list longer than this are executed and written in slices; 0 = never. */
  readonly streamListsOver: number;
  /** Events buffered per subscriber before it is merged, then closed. */
  readonly subscriberQueueLimit: number;
  /** Node change events kept for `since` replays, per cluster. */
  readonly nodeEventHistory: number;
  /**
   * Node informer watch tuning: server-side watch timeout (randomised up to twice this), the
   * silence after which a watch counts as stalled (must exceed the bookmark interval, ~1 min),
   * and the retry backoff range. A watch silent for `probeAfterMs` gets the API probed (a
   * one-node LIST with `probeTimeoutMs`), so a frozen API is noticed in seconds; 0 = no probes.
   */
  readonly nodeWatch: {
    readonly timeoutSeconds: number;
    readonly inactivityMs: number;
    readonly probeAfterMs: number;
    readonly probeTimeoutMs: number;
    readonly retryInitialMs: number;
    readonly retryMaxMs: number;
  };
  /** Drain pacing, the node lease that keeps one drain runner per node, and job retention. */
  readonly drain: {
    /** Wait before retrying an eviction a PodDisruptionBudget refused (kubectl: 5 s). */
    readonly evictRetryDelayMs: number;
    /** Interval of the "is the evicted pod gone yet" GET (kubectl: 1 s). */
    readonly deletePollIntervalMs: number;
    /** Life of a node lease (and of a bulk drain's coordinator lease): a dead replica's drain is taken over this long after its last renewal. */
    readonly leaseMs: number;
    /** How long a finished drain job and its events are kept. */
    readonly jobRetentionMs: number;
    /** Most nodes a bulk mutation (cordonNodes, uncordonNodes, drainNodes) may name or select. */
    readonly bulkMaxNodes: number;
    /** Upper bound of drainNodes' maxConcurrent. */
    readonly bulkMaxConcurrency: number;
  };
  /**
   * Bounds on what clients can make the gateway hold or do. Subscriptions count per graphql-ws
   * socket, per caller (user name; source address for anonymous callers) and per replica; SSE
   * streams per replica. Mutation fields draw on a token bucket per caller (`mutationRate` per
   * second, up to `mutationBurst` at once; 0 = unlimited), shared by the replicas on one Redis.
   */
  readonly limits: OperationLimitsConfig & {
    readonly subscriptionsPerConnection: number;
    readonly subscriptionsPerUser: number;
    readonly subscriptions: number;
    readonly sseStreams: number;
    readonly mutationRate: number;
    readonly mutationBurst: number;
  };
  /** Authorization of authenticated callers (ignored under `--auth none`). */
  readonly authz: {
    /** How long a SubjectAccessReview decision is reused per person and question. */
    readonly cacheTtlMs: number;
    /** How often open subscriptions recheck their caller's access (bypassing the cache). */
    readonly recheckMs: number;
  };
  /** The audit trail's file (appended); undefined = stdout. */
  readonly auditLogPath: string | undefined;
  /**
   * Browser origins allowed to call the API (CORS with credentials) and open WebSockets;
   * empty = same host only. `*` = any origin, without credentials.
   */
  readonly allowedOrigins: readonly string[];
  /** URLs clients reach the gateway by (Ingress, Service name): their host names are valid Host headers. */
  readonly publicUrls: readonly string[];
  /** How long a client may take to send request headers / the whole request (0 = no limit). */
  readonly headersTimeoutMs: number;
  readonly requestTimeoutMs: number;
  /** How long an idle keep-alive connection stays open; above a load balancer's idle timeout. */
  readonly keepAliveTimeoutMs: number;
  /** After SIGTERM, how long /readyz answers 503 while the listener keeps serving. */
  readonly shutdownDelayMs: number;
  /** How long in-flight requests may take to finish on SIGTERM. */
  readonly shutdownTimeoutMs: number;
  readonly graphiql: boolean;
  /** The web console at /console/ (built into dist/console by `npm run build`). */
  readonly console: boolean;
  /** Authentication of every GraphQL request (bearer tokens) and graphql-ws connection. */
  readonly auth: {
    readonly mode: AuthMode;
    /** The kubeconfig context whose API answers TokenReviews; undefined = the default cluster. */
    readonly context: string | undefined;
    /** How long an authenticated token's identity is reused (never past the token's expiry). */
    readonly cacheTtlMs: number;
    /** How long a refused token stays refused without asking again, so it cannot hammer the API. */
    readonly failureCacheTtlMs: number;
    /** Tokens remembered at most (least recently used dropped first). */
    readonly cacheMaxEntries: number;
    /** `--auth none` on a non-loopback address: everyone on the network acts as the gateway. */
    readonly allowAnonymous: boolean;
  };
  /** `--auth oidc`: kube-apiserver's --oidc-* flags, with the same meaning. */
  readonly oidc: {
    readonly issuerUrl: string | undefined;
    readonly clientId: string | undefined;
    readonly usernameClaim: string;
    /** undefined = kube-apiserver's default: `<issuer-url>#` unless the claim is `email`; `-` = none. */
    readonly usernamePrefix: string | undefined;
    readonly groupsClaim: string | undefined;
    readonly groupsPrefix: string | undefined;
    /** PEM bundle trusted for the issuer's discovery and JWKS; undefined = the system roots. */
    readonly caFile: string | undefined;
  };
  /** Trusted documents (hash -> document, codegen's persisted-documents.json); undefined = none. */
  readonly persistedOperationsFile: string | undefined;
  /** Run only the trusted documents; automatic persisted queries register nothing. */
  readonly persistedOperationsOnly: boolean;
}

/** Checked before execution: exceeding one is OPERATION_TOO_COMPLEX (the body size: HTTP 413). */
export interface OperationLimitsConfig {
  readonly maxDepth: number;
  readonly maxAliases: number;
  readonly maxTokens: number;
  readonly maxDirectives: number;
  /** The estimate of src/server/limits/operation-cost.ts: 1 per object, 1000 per Kubernetes API call. */
  readonly maxCost: number;
  /** Root fields of one mutation operation (each drainNode starts a job). */
  readonly maxRootMutations: number;
  /** HTTP request body and graphql-ws message, in bytes. */
  readonly maxBodyBytes: number;
  /** Parsed documents (and parse errors) kept, bounded by their source bytes. */
  readonly parserCacheBytes: number;
  /** "Did you mean" in validation errors; always off under NODE_ENV=production. */
  readonly fieldSuggestions: boolean;
}

export const DEFAULT_CONFIG: GatewayConfig = {
  host: '127.0.0.1',
  port: 4000,
  kubeconfigPaths: [],
  serviceAccountDir: '/var/run/secrets/kubernetes.io/serviceaccount',
  contexts: [],
  allContexts: false,
  simulate: false,
  simulateNodes: 50,
  simulatePods: 1500,
  redisUrl: undefined,
  redisKeyPrefix: 'kng:',
  logLevel: 'info',
  apiTimeoutMs: 15_000,
  podCountMaxAgeMs: 0,
  maxPageSize: 1000,
  streamListsOver: 5000,
  subscriberQueueLimit: 1000,
  nodeEventHistory: 10_000,
  nodeWatch: {
    timeoutSeconds: 300,
    inactivityMs: 120_000,
    probeAfterMs: 5000,
    probeTimeoutMs: 3000,
    retryInitialMs: 800,
    retryMaxMs: 30_000,
  },
  drain: {
    evictRetryDelayMs: 5000,
    deletePollIntervalMs: 1000,
    leaseMs: 15_000,
    jobRetentionMs: 3_600_000,
    bulkMaxNodes: 500,
    bulkMaxConcurrency: 50,
  },
  limits: {
    subscriptionsPerConnection: 100,
    subscriptionsPerUser: 500,
    subscriptions: 10_000,
    sseStreams: 1000,
    mutationRate: 10,
    mutationBurst: 20,
    maxDepth: 12,
    maxAliases: 30,
    maxTokens: 5000,
    maxDirectives: 50,
    maxCost: 100_000,
    maxRootMutations: 5,
    maxBodyBytes: 1024 * 1024,
    parserCacheBytes: 16 * 1024 * 1024,
    fieldSuggestions: true,
  },
  authz: { cacheTtlMs: 30_000, recheckMs: 60_000 },
  auditLogPath: undefined,
  allowedOrigins: [],
  publicUrls: [],
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  shutdownDelayMs: 5_000,
  shutdownTimeoutMs: 10_000,
  graphiql: true,
  console: true,
  auth: {
    mode: 'none',
    context: undefined,
    cacheTtlMs: 60_000,
    failureCacheTtlMs: 10_000,
    cacheMaxEntries: 10_000,
    allowAnonymous: false,
  },
  oidc: {
    issuerUrl: undefined,
    clientId: undefined,
    usernameClaim: 'sub',
    usernamePrefix: undefined,
    groupsClaim: undefined,
    groupsPrefix: undefined,
    caFile: undefined,
  },
  persistedOperationsFile: undefined,
  persistedOperationsOnly: false,
};
