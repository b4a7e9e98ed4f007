import { delimiter } from 'node:path';
import { parseArgs } from 'node:util';
import type { LevelWithSilent } from 'pino';
import { parseDurationMs } from './duration.js';
import { DEFAULT_CONFIG, type GatewayConfig } from './gateway-config.js';

export type ParseResult =
  | { kind: 'config'; config: GatewayConfig }
  | { kind: 'help' }
  | { kind: 'usage-error'; problems: string[] };

const LOG_LEVELS: readonly LevelWithSilent[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export const SERVE_OPTIONS = {
  kubeconfig: { type: 'string' },
  context: { type: 'string', multiple: true },
  'all-contexts': { type: 'boolean' },
  simulate: { type: 'boolean' },
  'sim-nodes': { type: 'string' },
  'sim-pods': { type: 'string' },
  host: { type: 'string' },
  port: { type: 'string', short: 'p' },
  redis: { type: 'string' },
  'redis-key-prefix': { type: 'string' },
  'log-level': { type: 'string' },
  'api-timeout': { type: 'string' },
  'pod-count-max-age': { type: 'string' },
  'max-page-size': { type: 'string' },
  'subscriber-queue-limit': { type: 'string' },
  'allowed-origin': { type: 'string', multiple: true },
  'shutdown-timeout': { type: 'string' },
  'drain-lease': { type: 'string' },
  'drain-retry-delay': { type: 'string' },
  'drain-poll-interval': { type: 'string' },
  'node-watch-probe-after': { type: 'string' },
  'no-graphiql': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/**
 * Flags win over environment variables, which win over defaults. Every problem is collected,
 * so a bad start lists them all at once instead of one per attempt.
 */
export function parseServeConfig(argv: readonly string[], env: NodeJS.ProcessEnv): ParseResult {
  let values: ReturnType<typeof parseArgs<{ options: typeof SERVE_OPTIONS; strict: true }>>['values'];
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: SERVE_OPTIONS,
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    return { kind: 'usage-error', problems: [(err as Error).message] };
  }
  if (values.help) return { kind: 'help' };

  const problems: string[] = [];
  const d = DEFAULT_CONFIG;
  const int = (name: string, raw: string | undefined, fallback: number, min: number, max: number) => {
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
      return fallback;
    }
    return n;
  };
  const duration = (name: string, raw: string | undefined, fallback: number, min: number) => {
    if (raw === undefined) return fallback;
    const ms = parseDurationMs(raw);
    if (ms === undefined || ms < min) {
      problems.push(`${name} must be a duration like 500ms, 15s or 2m (at least ${min} ms), got "${raw}"`);
      return fallback;
    }
    return ms;
  };

  const logLevel = (values['log-level'] ?? env.LOG_LEVEL ?? d.logLevel) as LevelWithSilent;
  if (!LOG_LEVELS.includes(logLevel))
    problems.push(`--log-level must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);

  const redisUrl = values.redis ?? (env.REDIS_URL || undefined);
  if (redisUrl !== undefined && !/^rediss?:\/\/./.test(redisUrl)) {
    problems.push(`--redis must be a redis:// or rediss:// URL, got "${redisUrl}"`);
  }

  const kubeconfigText = values.kubeconfig ?? env.KUBECONFIG ?? '';
  const contexts = values.context ?? [];
  const allContexts = values['all-contexts'] ?? false;
  if (allContexts && contexts.length > 0) problems.push('--all-contexts and --context exclude each other');
  const simulate = values.simulate ?? false;

  const config: GatewayConfig = {
    host: values.host ?? env.HOST ?? d.host,
    port: int('--port', values.port ?? env.PORT, d.port, 0, 65_535),
    kubeconfigPaths: kubeconfigText.split(delimiter).filter((p) => p.length > 0),
    contexts,
    allContexts,
    simulate,
    simulateNodes: int('--sim-nodes', values['sim-nodes'], d.simulateNodes, 1, 10_000),
    simulatePods: int('--sim-pods', values['sim-pods'], d.simulatePods, 0, 200_000),
    redisUrl,
    redisKeyPrefix: values['redis-key-prefix'] ?? env.REDIS_KEY_PREFIX ?? d.redisKeyPrefix,
    logLevel,
    apiTimeoutMs: duration('--api-timeout', values['api-timeout'] ?? env.API_TIMEOUT, d.apiTimeoutMs, 100),
    podCountMaxAgeMs: duration(
      '--pod-count-max-age',
      values['pod-count-max-age'] ?? env.POD_COUNT_MAX_AGE,
      d.podCountMaxAgeMs,
      0,
    ),
    maxPageSize: int('--max-page-size', values['max-page-size'], d.maxPageSize, 1, 100_000),
    subscriberQueueLimit: int(
      '--subscriber-queue-limit',
      values['subscriber-queue-limit'],
      d.subscriberQueueLimit,
      1,
      1_000_000,
    ),
    nodeEventHistory: d.nodeEventHistory,
    nodeWatch: {
      ...d.nodeWatch,
      probeAfterMs: duration(
        '--node-watch-probe-after',
        values['node-watch-probe-after'] ?? env.NODE_WATCH_PROBE_AFTER,
        d.nodeWatch.probeAfterMs,
        0,
      ),
    },
    drain: {
      ...d.drain,
      leaseMs: duration('--drain-lease', values['drain-lease'] ?? env.DRAIN_LEASE, d.drain.leaseMs, 300),
      evictRetryDelayMs: duration(
        '--drain-retry-delay',
        values['drain-retry-delay'],
        d.drain.evictRetryDelayMs,
        10,
      ),
      deletePollIntervalMs: duration(
        '--drain-poll-interval',
        values['drain-poll-interval'],
        d.drain.deletePollIntervalMs,
        10,
      ),
    },
    allowedOrigins:
      values['allowed-origin'] ?? (env.ALLOWED_ORIGINS ? env.ALLOWED_ORIGINS.split(',') : d.allowedOrigins),
    shutdownTimeoutMs: duration('--shutdown-timeout', values['shutdown-timeout'], d.shutdownTimeoutMs, 0),
    graphiql: !(values['no-graphiql'] ?? false),
  };
  return problems.length > 0 ? { kind: 'usage-error', problems } : { kind: 'config', config };
}

export const SERVE_HELP = `Usage: kube-node-gateway serve [flags]

Serves the GraphQL API (HTTP, SSE and graphql-ws on /graphql), /healthz, /readyz and /metrics.

Flags (environment variable in brackets):
  --kubeconfig PATH[:PATH]     kubeconfig files [KUBECONFIG] (default ~/.kube/config)
  --context NAME               serve this context; repeatable (default: the current context)
  --all-contexts               serve every context of the kubeconfig
  --simulate                   start an embedded simulated cluster and serve it (demo mode)
  --sim-nodes N, --sim-pods N  size of the simulated cluster (default 50 nodes, 1500 pods)
  --host HOST                  listen address [HOST] (default 127.0.0.1)
  --port, -p PORT              listen port, 0 = any free port [PORT] (default 4000)
  --redis URL                  share drain jobs, locks and events via Redis [REDIS_URL]
  --redis-key-prefix PREFIX    prefix of Redis keys and channels [REDIS_KEY_PREFIX] (default kng:)
  --log-level LEVEL            fatal|error|warn|info|debug|trace|silent [LOG_LEVEL] (default info)
  --api-timeout DURATION       deadline of each Kubernetes API call [API_TIMEOUT] (default 15s)
  --pod-count-max-age DURATION reuse a cluster's pod counts this long [POD_COUNT_MAX_AGE] (default 0)
  --max-page-size N            largest 'first' of a connection (default 1000)
  --subscriber-queue-limit N   events buffered per subscriber before merging/closing (default 1000)
  --allowed-origin ORIGIN      Origin allowed to open a WebSocket; repeatable, * = any
                               [ALLOWED_ORIGINS, comma-separated] (default: same host only)
  --shutdown-timeout DURATION  time in-flight requests get on SIGTERM (default 10s)
  --drain-lease DURATION       node lease of a running drain; another replica takes a dead
                               replica's drain over this long after it stopped [DRAIN_LEASE] (default 15s)
  --drain-retry-delay DURATION wait before retrying an eviction a PodDisruptionBudget refused (default 5s)
  --drain-poll-interval DURATION  how often a drain checks that an evicted pod is gone (default 1s)
  --node-watch-probe-after DURATION  probe the API when a node watch is silent this long, so a
                               frozen API is noticed in seconds; 0 = never [NODE_WATCH_PROBE_AFTER] (default 5s)
  --no-graphiql                do not serve GraphiQL
  --help, -h                   this help
`;
