import { isIP } from 'node:net';

/** Whether a listen address is reachable from this machine only: 127.0.0.0/8, ::1, localhost. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (bare === 'localhost' || bare.endsWith('.localhost')) return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  if (isIP(bare) === 6) return bare === '::1' || /^::ffff:127\./.test(bare);
  return false;
}

/**
 * Why `--auth none` must not start here, or undefined. Without authentication every request acts
 * as the gateway's own Kubernetes account, which is fine for a demo on loopback and a hole on
 * any other address.
 */
export function anonymousRefusal(settings: {
  host: string;
  mode: string;
  allowAnonymous: boolean;
}): string | undefined {
  if (settings.mode !== 'none' || settings.allowAnonymous || isLoopbackHost(settings.host)) return undefined;
  return `--auth none would let anyone who reaches ${settings.host} act as the gateway's own Kubernetes account: choose --auth kubernetes or --auth oidc, listen on 127.0.0.1, or pass --insecure-allow-anonymous`;
}
