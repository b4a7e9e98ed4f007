import { describe, expect, it } from 'vitest';
import { isLoopbackHost } from '../../src/auth/anonymous-guard.js';
import { authSettingsProblems } from '../../src/auth/auth-settings-problems.js';
import { DEFAULT_CONFIG, type GatewayConfig } from '../../src/config/gateway-config.js';

const settings = (
  host: string,
  auth: Partial<GatewayConfig['auth']>,
  oidc: Partial<GatewayConfig['oidc']> = {},
) => ({
  host,
  auth: { ...DEFAULT_CONFIG.auth, ...auth },
  oidc: { ...DEFAULT_CONFIG.oidc, ...oidc },
});

describe('authentication settings', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.8.9.10', true],
    ['::1', true],
    ['[::1]', true],
    ['localhost', true],
    ['0.0.0.0', false],
    ['::', false],
    ['10.0.0.5', false],
    ['gateway.example.com', false],
    ['128.0.0.1', false],
  ])('%s is loopback: %s', (host, loopback) => {
    expect(isLoopbackHost(host)).toBe(loopback);
  });

  it('allows --auth none on loopback, which the default config is', () => {
    expect(authSettingsProblems(DEFAULT_CONFIG)).toEqual([]);
  });

  it('refuses --auth none elsewhere with one line naming the override', () => {
    const problems = authSettingsProblems(settings('0.0.0.0', { mode: 'none' }));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/--insecure-allow-anonymous/);
    expect(problems[0]).not.toContain('\n');
    expect(authSettingsProblems(settings('0.0.0.0', { mode: 'none', allowAnonymous: true }))).toEqual([]);
  });

  it('needs an issuer and a client id for --auth oidc', () => {
    expect(authSettingsProblems(settings('0.0.0.0', { mode: 'oidc' }))).toEqual([
      '--auth oidc needs --oidc-issuer-url',
      '--auth oidc needs --oidc-client-id',
    ]);
    expect(
      authSettingsProblems(
        settings('0.0.0.0', { mode: 'oidc' }, { issuerUrl: 'http://idp.example', clientId: 'x' }),
      ),
    ).toEqual([expect.stringMatching(/https:\/\//)]);
    expect(
      authSettingsProblems(
        settings('0.0.0.0', { mode: 'oidc' }, { issuerUrl: 'http://127.0.0.1:5556', clientId: 'x' }),
      ),
    ).toEqual([]);
  });
});
