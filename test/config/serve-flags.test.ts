import { describe, expect, it } from 'vitest';
import { getField } from '../../src/config/config-field.js';
import { formatDurationMs, parseDurationMs } from '../../src/config/duration.js';
import { DEFAULT_CONFIG } from '../../src/config/gateway-config.js';
import { parseServeConfig, SERVE_HELP } from '../../src/config/parse-serve-config.js';
import { SERVE_FLAGS } from '../../src/config/serve-flags.js';

/** Flags whose value is free text: nothing they can be given is wrong. */
const TAKES_ANY_TEXT = [
  'kubeconfig',
  'host',
  'redis-key-prefix',
  'auth-context',
  'oidc-client-id',
  'oidc-username-claim',
  'oidc-username-prefix',
  'oidc-groups-claim',
  'oidc-groups-prefix',
  'oidc-ca-file',
  'audit-log',
];

const problemsOf = (argv: string[], env: NodeJS.ProcessEnv = {}) => {
  const result = parseServeConfig(argv, env);
  return result.kind === 'usage-error' ? result.problems : [];
};

describe('serve flag declarations', () => {
  it('declare each flag, short alias, environment variable and field once', () => {
    for (const key of ['name', 'short', 'env', 'field'] as const) {
      const values = SERVE_FLAGS.map((flag) => flag[key]).filter((v) => v !== undefined);
      expect(new Set(values).size, key).toBe(values.length);
    }
  });

  it.each(SERVE_FLAGS.map((flag) => [flag.name, flag] as const))('--%s is in serve --help', (_, flag) => {
    expect(SERVE_HELP).toMatch(new RegExp(`^  --${flag.name}\\b`, 'm'));
    if (flag.short) expect(SERVE_HELP).toContain(`--${flag.name}, -${flag.short}`);
    if (flag.env) expect(SERVE_HELP).toContain(`[${flag.env}`);
  });

  it('show each literal default as the value the flag would set', () => {
    for (const flag of SERVE_FLAGS.filter((f) => f.defaultIsLiteral)) {
      const result = parseServeConfig([`--${flag.name}`, flag.defaultText], {});
      expect(result.kind === 'config' && getField(result.config, flag.field), flag.name).toEqual(
        getField(DEFAULT_CONFIG, flag.field),
      );
    }
  });
});

describe('parseServeConfig from the declarations', () => {
  it('sets the drain timings, which have flags but were missing from the README', () => {
    const result = parseServeConfig(
      ['--drain-lease', '2s', '--drain-retry-delay', '50ms', '--drain-poll-interval', '20ms'],
      {},
    );
    expect(result).toMatchObject({
      kind: 'config',
      config: {
        drain: { leaseMs: 2000, evictRetryDelayMs: 50, deletePollIntervalMs: 20, jobRetentionMs: 3_600_000 },
      },
    });
  });

  it('reads the environment for flags that declare a variable', () => {
    const result = parseServeConfig([], {
      HOST: '0.0.0.0',
      LOG_LEVEL: 'debug',
      REDIS_KEY_PREFIX: 'x:',
      POD_COUNT_MAX_AGE: '2s',
      DRAIN_LEASE: '1m',
      ALLOWED_ORIGINS: 'https://a.example,https://b.example',
    });
    expect(result).toMatchObject({
      kind: 'config',
      config: {
        host: '0.0.0.0',
        logLevel: 'debug',
        redisKeyPrefix: 'x:',
        podCountMaxAgeMs: 2000,
        drain: { leaseMs: 60_000 },
        allowedOrigins: ['https://a.example', 'https://b.example'],
      },
    });
  });

  it('lets repeated --allowed-origin flags replace ALLOWED_ORIGINS', () => {
    const result = parseServeConfig(['--allowed-origin', 'a', '--allowed-origin', 'b'], {
      ALLOWED_ORIGINS: 'c',
    });
    expect(result).toMatchObject({ kind: 'config', config: { allowedOrigins: ['a', 'b'] } });
  });

  it('reads an empty REDIS_URL or ALLOWED_ORIGINS as unset, but refuses an empty --redis', () => {
    expect(parseServeConfig([], { REDIS_URL: '', ALLOWED_ORIGINS: '' })).toEqual({
      kind: 'config',
      config: DEFAULT_CONFIG,
    });
    expect(problemsOf(['--redis', ''])).toEqual(['--redis must be a redis:// or rediss:// URL, got ""']);
  });

  it('sets switches only when given', () => {
    const result = parseServeConfig(['--no-graphiql', '--simulate', '--all-contexts'], {});
    expect(result).toMatchObject({
      kind: 'config',
      config: { graphiql: false, simulate: true, allContexts: true },
    });
  });

  it('returns help for --help and -h', () => {
    expect(parseServeConfig(['--help'], {})).toEqual({ kind: 'help' });
    expect(parseServeConfig(['-h', '--port', 'nope'], {})).toEqual({ kind: 'help' });
  });

  it.each(
    SERVE_FLAGS.filter(
      (flag) => flag.arg !== undefined && !flag.repeatable && !TAKES_ANY_TEXT.includes(flag.name),
    ).map((flag) => [flag.name]),
  )('refuses a hostile --%s value, naming the flag', (name) => {
    expect(problemsOf([`--${name}`, 'banana'])).toEqual([
      expect.stringMatching(new RegExp(`^--${name} must be .*, got "banana"$`)),
    ]);
  });

  it('names a bad environment value by its flag', () => {
    expect(problemsOf([], { PORT: '99999', DRAIN_LEASE: 'soon' })).toEqual([
      '--port must be an integer from 0 to 65535, got "99999"',
      '--drain-lease must be a duration like 500ms, 15s or 2m (at least 300 ms), got "soon"',
    ]);
  });
});

describe('formatDurationMs', () => {
  it.each([
    [0, '0'],
    [300, '300ms'],
    [1500, '1500ms'],
    [15_000, '15s'],
    [90_000, '90s'],
    [120_000, '2m'],
    [3_600_000, '1h'],
  ])('writes %i ms as %s, which reads back', (ms, text) => {
    expect(formatDurationMs(ms)).toBe(text);
    expect(parseDurationMs(text)).toBe(ms);
  });
});
