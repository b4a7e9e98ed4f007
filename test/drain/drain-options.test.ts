import { describe, expect, it } from 'vitest';
import { DEFAULT_DRAIN_OPTIONS, resolveDrainOptions } from '../../src/drain/drain-options.js';

describe('resolveDrainOptions', () => {
  it('fills kubectl defaults, except ignoreDaemonSets which defaults to true', () => {
    expect(resolveDrainOptions(undefined)).toEqual({ ok: true, options: DEFAULT_DRAIN_OPTIONS });
    expect(DEFAULT_DRAIN_OPTIONS.ignoreDaemonSets).toBe(true);
    expect(resolveDrainOptions({ force: null, gracePeriodSeconds: null })).toEqual({
      ok: true,
      options: DEFAULT_DRAIN_OPTIONS,
    });
  });

  it('keeps what the caller set', () => {
    const result = resolveDrainOptions({
      force: true,
      gracePeriodSeconds: 0,
      podSelector: ' app=web ',
      timeoutSeconds: 30,
    });
    expect(result).toEqual({
      ok: true,
      options: {
        ...DEFAULT_DRAIN_OPTIONS,
        force: true,
        gracePeriodSeconds: 0,
        podSelector: 'app=web',
        timeoutSeconds: 30,
      },
    });
  });

  it('reports every problem at once', () => {
    const result = resolveDrainOptions({
      timeoutSeconds: -1,
      gracePeriodSeconds: 1.5,
      podSelector: 'app in (',
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toHaveLength(3);
    const all = result.problems.join('\n');
    expect(all).toMatch(/timeoutSeconds must be an integer from 0 to \d+, got -1/);
    expect(all).toMatch(/gracePeriodSeconds must be an integer/);
    expect(all).toMatch(/podSelector is not a valid label selector/);
  });
});
