/**
 * Subscribers of the fan-out bench, in their own process so their CPU is not the server's:
 *   tsx bench/fanout-bench-client.ts <ws url> <sockets> <subscriptions per socket>
 * Each socket speaks graphql-transport-ws and subscribes `FANOUT_QUERY` that many times. Each
 * `next` carries the change's time (label bench-t, epoch ms): the latency is now minus it.
 * Prints `READY` once every socket is acknowledged. stdin: `report` prints
 * `REPORT {"latencies": [...], "errors": n}` and starts over.
 */
import { createInterface } from 'node:readline';
import WebSocket from 'ws';

export const FANOUT_QUERY =
  'subscription Fanout($names: [String!]) { nodeChanged(names: $names) { type cluster name changes cursor at ' +
  'node { name ready schedulable roles t: label(key: "bench-t") } } }';

const [url, socketCount, perSocket, target] = process.argv.slice(2) as [string, string, string, string];
let latencies: number[] = [];
let errors = 0;
const MARK = '"t":"';

function onMessage(data: Buffer): void {
  const text = data.toString();
  const at = text.indexOf(MARK);
  if (at < 0) {
    if (!text.includes('"connection_ack"') && !text.includes('"pong"')) errors++;
    return;
  }
  const sent = Number(text.slice(at + MARK.length, text.indexOf('"', at + MARK.length)));
  latencies.push(performance.timeOrigin + performance.now() - sent);
}

async function open(): Promise<WebSocket> {
  const ws = new WebSocket(url, 'graphql-transport-ws', { perMessageDeflate: false });
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

const sockets = await Promise.all(Array.from({ length: Number(socketCount) }, open));
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
