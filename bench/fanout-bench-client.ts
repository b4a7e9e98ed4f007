/**
 * Subscribers of the fan-out bench, in their own process so their CPU is not the server's:
 *   tsx bench/fanout-bench-client.ts <graphql url> <sockets> <subscriptions per socket> <node> [ws|sse]
 * ws (default): each socket speaks graphql-transport-ws and subscribes `FANOUT_QUERY` that many
 * times. sse: sockets x subscriptions SSE streams (POST, Accept: text/event-stream), one HTTP
 * connection each. Each event carries the change's time (label bench-t, epoch ms): the latency
 * is now minus it. Prints `READY` once every socket is acknowledged (every stream has its
 * first ping). stdin: `report` prints `REPORT {"latencies": [...], "errors": n}` and starts over.
 */
import http from 'node:http';
import { createInterface } from 'node:readline';
import WebSocket from 'ws';

export const FANOUT_QUERY =
  'subscription Fanout($names: [String!]) { nodeChanged(names: $names) { type cluster name changes cursor at ' +
  'node { name ready schedulable roles t: label(key: "bench-t") } } }';

const [url, socketCount, perSocket, target, transport = 'ws'] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
  string?,
];
let latencies: number[] = [];
let errors = 0;
const MARK = '"t":"';

function onMessage(data: Buffer): void {
  onText(data.toString());
}

function onText(text: string): void {
  const at = text.indexOf(MARK);
  if (at < 0) {
    if (!text.includes('"connection_ack"') && !text.includes('"pong"')) errors++;
    return;
  }
  const sent = Number(text.slice(at + MARK.length, text.indexOf('"', at + MARK.length)));
  latencies.push(performance.timeOrigin + performance.now() - sent);
}

/** The latency of each complete `event: next` block; pings and the rest are skipped. */
function onSseText(state: { buffer: string }, chunk: string): void {
  state.buffer += chunk;
  for (let end = state.buffer.indexOf('\n\n'); end >= 0; end = state.buffer.indexOf('\n\n')) {
    const block = state.buffer.slice(0, end);
    state.buffer = state.buffer.slice(end + 2);
    if (block.startsWith('event: next')) onText(block);
  }
}

const agent = new http.Agent({ keepAlive: false, maxSockets: Number.POSITIVE_INFINITY });

function openSse(): Promise<http.ClientRequest> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, {
      method: 'POST',
      agent,
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
    });
    req.once('error', reject);
    req.once('response', (res) => {
      if (res.statusCode !== 200) reject(new Error(`SSE stream refused: HTTP ${res.statusCode}`));
      const state = { buffer: '' };
      res.setEncoding('utf8');
      // The first ping says the stream is open (its subscription registered just before).
      res.once('data', () => resolve(req));
      res.on('data', (chunk: string) => onSseText(state, chunk));
    });
    req.end(JSON.stringify({ query: FANOUT_QUERY, variables: { names: [target] } }));
  });
}

async function open(): Promise<WebSocket> {
  const ws = new WebSocket(url.replace(/^http/, 'ws'), 'graphql-transport-ws', { perMessageDeflate: false });
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  const acked = new Promise((resolve) => ws.once('message', resolve));
  ws.on('message', onMessage);
  ws.send(JSON.stringify({ type: 'connection_init' }));
  await acked;
  for (let i = 0; i < Number(perSocket); i++) {
    ws.send(
      JSON.stringify({
        id: String(i),
        type: 'subscribe',
        payload: { query: FANOUT_QUERY, variables: { names: [target] } },
      }),
    );
  }
  return ws;
}

const sockets: { terminate(): void }[] =
  transport === 'sse'
    ? (await Promise.all(Array.from({ length: Number(socketCount) * Number(perSocket) }, openSse))).map(
        (req) => ({ terminate: () => req.destroy() }),
      )
    : await Promise.all(Array.from({ length: Number(socketCount) }, open));
process.stdout.write('READY\n');
createInterface({ input: process.stdin }).on('line', (line) => {
  if (line !== 'report') return;
  process.stdout.write(
    `REPORT ${JSON.stringify({ latencies: latencies.map((l) => Math.round(l * 10) / 10), errors })}\n`,
  );
  latencies = [];
  errors = 0;
});
const stop = () => {
  for (const ws of sockets) ws.terminate();
  process.exit(0);
};
process.once('SIGTERM', stop);
process.stdin.on('end', stop);
