import { isIPv4, isIPv6 } from 'node:net';

/** Host names that always mean "this machine": a browser only sends them when it was pointed here. */
const LOOPBACK_NAMES = ['localhost'];

/** Host: `name`, `name:port`, `1.2.3.4:port`, `[::1]:port`; nothing else (no userinfo, no path). */
const HOST_HEADER = /^(\[[0-9a-f:.]+\]|[^\s:@/?#[\]]+)(?::\d{1,5})?$/i;

/**
 * Which Host headers the gateway answers (DNS rebinding: a page on evil.example re-resolves its
 * own name to the gateway's address, and the browser then treats the gateway as same-origin
 * with evil.example; the only trace is `Host: evil.example`). Accepted:
 * - any IP literal: a rebinding attack needs a name its author controls, so an IP in Host
 *   means the client addressed this machine directly. This is what kubelet probes
 *   (`Host: <podIP>:<port>`), Prometheus scrapes and Service ClusterIPs send, so /healthz,
 *   /readyz and /metrics need no exemption;
 * - `localhost`, on any port (kubectl port-forward keeps the client's port in Host);
 * - the listen address, when --host is a name;
 * - the host name of each --public-url (what an Ingress or proxy forwards; in-cluster clients
 *   calling a Service DNS name need it listed too).
 * Ports are not compared: rebinding is about names, and proxies and port-forwards change ports.
 * No Host at all (HTTP/1.0) is accepted: browsers always send one.
 */
export function createHostPolicy(options: {
  host: string;
  publicUrls: readonly string[];
}): (hostHeader: string | undefined) => boolean {
  const names = new Set(LOOPBACK_NAMES);
  if (!isIpLiteral(options.host)) names.add(normalizeName(options.host));
  for (const url of options.publicUrls) names.add(publicHostName(url));
  return (hostHeader) => {
    if (hostHeader === undefined) return true;
    const match = HOST_HEADER.exec(hostHeader);
    if (!match) return false;
    const name = match[1]!;
    return isIpLiteral(name) || names.has(normalizeName(name));
  };
}

function isIpLiteral(name: string): boolean {
  return name.startsWith('[')
    ? name.endsWith(']') && isIPv6(name.slice(1, -1))
    : isIPv4(name) || isIPv6(name);
}

/** Host names are case-insensitive, and `gw.example.com.` is the same name as `gw.example.com`. */
function normalizeName(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}

function publicHostName(entry: string): string {
  let url: URL | undefined;
  try {
    url = new URL(entry);
  } catch {
    url = undefined;
  }
  if (!url || !/^(http|ws)s?:$/.test(url.protocol) || !url.hostname)
    throw new Error(`--public-url must be a URL like https://gw.example.com, got "${entry}"`);
  return normalizeName(url.hostname);
}
