import type { ServerResponse } from 'node:http';

/**
 * Answers an SSE request over `--max-sse-streams` before yoga sees it: 503 (this replica is
 * full, another may not be) with Retry-After, and a GraphQL-shaped body naming the code.
 */
export function refuseEventStream(res: ServerResponse, limit: number): void {
  const body = JSON.stringify({
    errors: [
      {
        message: `too many SSE streams on this gateway (at most ${limit}); retry later or use graphql-ws`,
        extensions: { code: 'RATE_LIMITED', limit: 'sse-streams', max: limit },
      },
    ],
  });
  res.writeHead(503, {
    'content-type': 'application/json; charset=utf-8',
    'retry-after': '5',
    'cache-control': 'no-store',
  });
  res.end(body);
}
