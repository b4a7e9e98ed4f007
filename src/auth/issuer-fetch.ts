import http from 'node:http';
import https from 'node:https';

/** The subset of fetch an OIDC issuer is read with (jose's customFetch has this shape). */
export type IssuerFetch = (
  url: string,
  init: { headers?: HeadersInit; signal?: AbortSignal; method?: string; redirect?: string },
) => Promise<Response>;

/** Discovery documents and key sets are a few KB; more is not an issuer. */
const MAX_BODY_BYTES = 1024 * 1024;

/**
 * GETs over node:http(s) so a private CA (`--oidc-ca-file`) can be trusted for the issuer alone:
 * the global fetch takes no per-request CA. Redirects are not followed (as jose asks).
 */
export function createIssuerFetch(options: { ca?: string | Buffer; timeoutMs: number }): IssuerFetch {
  return (url, init) =>
    new Promise<Response>((resolve, reject) => {
      const target = new URL(url);
      const client = target.protocol === 'https:' ? https : http;
      const headers = Object.fromEntries(new Headers(init.headers).entries());
      const signal = init.signal
        ? AbortSignal.any([init.signal, AbortSignal.timeout(options.timeoutMs)])
        : AbortSignal.timeout(options.timeoutMs);
      const req = client.request(target, {
        method: 'GET',
        headers,
        signal,
        ...(options.ca ? { ca: options.ca } : {}),
      });
      req.on('error', reject);
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_BODY_BYTES) {
            req.destroy(
              new Error(`${target.origin}${target.pathname} answered more than ${MAX_BODY_BYTES} bytes`),
            );
            return;
          }
          chunks.push(chunk);
        });
        res.on('error', reject);
        res.on('end', () => {
          const responseHeaders = new Headers();
          for (const [k, v] of Object.entries(res.headers))
            if (typeof v === 'string') responseHeaders.set(k, v);
          resolve(
            new Response(Buffer.concat(chunks), { status: res.statusCode ?? 0, headers: responseHeaders }),
          );
        });
      });
      req.end();
    });
}
