import { describe, expect, it } from 'vitest';
import { parseDurationMs } from '../../src/config/duration.js';
import { DEFAULT_CONFIG } from '../../src/config/gateway-config.js';
import { parseServeConfig } from '../../src/config/parse-serve-config.js';

describe('parseServeConfig', () => {
  it('uses the documented defaults with no flags and no environment', () => {
    expect(parseServeConfig([], {})).toEqual({ kind: 'config', config: DEFAULT_CONFIG });
  });

  it('lets flags win over the environment, which wins over defaults', () => {
    const result = parseServeConfig(['--port', '8080', '--api-timeout', '2s'], {
      PORT: '9090',
      REDIS_URL: 'redis://127.0.0.1:6379',
      KUBECONFIG: '/a/config:/b/config',
      API_TIMEOUT: '30s',
    });
    expect(result).toMatchObject({
      kind: 'config',
      config: {
        port: 8080,
        apiTimeoutMs: 2000,
        redisUrl: 'redis://127.0.0.1:6379',
        kubeconfigPaths: ['/a/config', '/b/config'],
      },
    });
  });

  it('collects repeatable --context flags', () => {
    const result = parseServeConfig(['--context', 'a', '--context', 'b'], {});
    expect(result).toMatchObject({ kind: 'config', config: { contexts: ['a', 'b'] } });
  });

  it('lists every invalid value at once', () => {
    const result = parseServeConfig(
      ['--port', '70000', '--api-timeout', 'soon', '--log-level', 'loud', '--redis', 'localhost:6379'],
      {},
    );
    expect(result.kind).toBe('usage-error');
    const problems = result.kind === 'usage-error' ? result.problems : [];
    expect(problems).toHaveLength(4);
    expect(problems.join('\n')).toMatch(/--port must be an integer from 0 to 65535, got "70000"/);
    expect(problems.join('\n')).toMatch(/--api-timeout must be a duration/);
    expect(problems.join('\n')).toMatch(/--log-level must be one of/);
    expect(problems.join('\n')).toMatch(/--redis must be a redis:\/\//);
  });

  it('rejects an unknown flag', () => {
    const result = parseServeConfig(['--colour'], {});
    expect(result).toMatchObject({ kind: 'usage-error', problems: [expect.stringMatching(/--colour/)] });
  });

  it('rejects --all-contexts together with --context', () => {
    expect(parseServeConfig(['--all-contexts', '--context', 'a'], {}).kind).toBe('usage-error');
  });
});

describe('parseDurationMs', () => {
  it.each([
    ['15', 15_000],
    ['1.5', 1500],
    ['500ms', 500],
    ['15s', 15_000],
    ['2m', 120_000],
    ['1m30s', 90_000],
    ['1h', 3_600_000],
  ])('reads %s as %i ms', (text, ms) => expect(parseDurationMs(text)).toBe(ms));

  it.each(['', 'soon', '5 s', '-1s', '1d', 's'])('refuses %j', (text) =>
    expect(parseDurationMs(text)).toBeUndefined(),
  );
});
