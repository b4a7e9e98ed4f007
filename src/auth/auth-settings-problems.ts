import type { GatewayConfig } from '../config/gateway-config.js';
import { anonymousRefusal, isLoopbackHost } from './anonymous-guard.js';

/** Authentication settings that contradict each other or are unsafe; each one line, naming the fix. */
export function authSettingsProblems(config: Pick<GatewayConfig, 'host' | 'auth' | 'oidc'>): string[] {
  const problems: string[] = [];
  const refusal = anonymousRefusal({ host: config.host, ...config.auth });
  if (refusal) problems.push(refusal);
  if (config.auth.mode === 'oidc') {
    if (!config.oidc.issuerUrl) problems.push('--auth oidc needs --oidc-issuer-url');
    else if (!isAcceptableIssuer(config.oidc.issuerUrl))
      problems.push(
        `--oidc-issuer-url must be an https:// URL (http:// only on loopback), got "${config.oidc.issuerUrl}"`,
      );
    if (!config.oidc.clientId) problems.push('--auth oidc needs --oidc-client-id');
  }
  return problems;
}

/** kube-apiserver takes https issuers only; plain http is allowed for an issuer on this machine (tests, dev). */
function isAcceptableIssuer(raw: string): boolean {
  try {
    const url = new URL(raw);
    if (url.search || url.hash) return false;
    return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname));
  } catch {
    return false;
  }
}
