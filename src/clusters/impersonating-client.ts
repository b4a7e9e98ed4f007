import type { Impersonation } from './impersonation.js';
import type { KubeClient, KubeRequest } from './kube-client.js';

/**
 * The same cluster client, with every request acting as `who` (undefined = the gateway's own
 * account, unchanged). Lets code that takes a client (the drain, the pod LIST) act for a person
 * without each call site remembering to pass `impersonate`.
 */
export function impersonating<
  C extends Pick<KubeClient, 'cluster'> & Partial<Pick<KubeClient, 'json' | 'stream'>>,
>(client: C, who: Impersonation | undefined): C {
  if (!who) return client;
  const as = (req: KubeRequest): KubeRequest => ({ ...req, impersonate: who });
  const wrapped = Object.create(client) as C & Pick<KubeClient, 'json' | 'stream'>;
  const { json, stream } = client;
  if (json) wrapped.json = <T>(req: KubeRequest) => json.call(client, as(req)) as Promise<T>;
  if (stream) wrapped.stream = (req: KubeRequest) => stream.call(client, as(req));
  return wrapped;
}
