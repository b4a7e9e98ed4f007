import { type IncomingHttpHeaders, request } from 'node:http';
import { connect } from 'node:net';

/**
 * HTTP requests the typed clients cannot express (a forged Host, a form body, a preflight):
 * one request per connection, so no keep-alive state leaks between hostile requests.
 */
export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

export function rawRequest(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: options.method ?? 'GET', headers: options.headers, agent: false },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
        });
        res.once('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        res.once('error', reject);
      },
    );
    req.once('error', reject);
    req.end(options.body);
  });
}

/** The `errors[0].extensions.code` of a GraphQL error body. */
export function errorCodeOf(res: RawResponse): unknown {
  const body = JSON.parse(res.body) as { errors?: { extensions?: { code?: unknown } }[] };
  return body.errors?.[0]?.extensions?.code;
}

export interface TrickleResult {
  /** From the first byte written to the server closing the connection. */
  elapsedMs: number;
  bytesSent: number;
  /** What the server wrote before closing (node answers 408 on a request timeout). */
  reply: string;
}

/**
 * A slowloris client: writes `head` at once, then `trickle` one byte every `intervalMs`, until
 * the server closes the connection (or the trickle runs out, which fails the caller's check).
 */
export function trickle(
  url: string,
  head: string,
  trickleText: string,
  intervalMs: number,
): Promise<TrickleResult> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let reply = '';
    let bytesSent = 0;
    let timer: NodeJS.Timeout | undefined;
    const started = Date.now();
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      reply += chunk;
    });
    socket.once('error', () => {}); // a reset is the server cutting us: 'close' follows
    socket.once('close', () => {
      clearInterval(timer);
      resolve({ elapsedMs: Date.now() - started, bytesSent, reply });
    });
    socket.once('connect', () => {
      socket.write(head);
      bytesSent += Buffer.byteLength(head);
      let next = 0;
      timer = setInterval(() => {
        if (next >= trickleText.length) {
          clearInterval(timer);
          socket.destroy();
          reject(new Error(`the server kept the connection through ${bytesSent} bytes`));
          return;
        }
        socket.write(trickleText[next++]!);
        bytesSent++;
      }, intervalMs);
    });
  });
}
