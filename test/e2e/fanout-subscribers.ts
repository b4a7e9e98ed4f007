/**
 * The subscribers of fanout-burst.test.ts in their own process, so the test process measures
 * its query's round trip without also parsing every delivered frame:
 *   tsx test/e2e/fanout-subscribers.ts <ws url> <sockets> <subscriptions per socket> <query>
 * Prints `READY` once every subscribe is sent; on `count` (stdin) prints `COUNT <n>`: the
 * distinct (subscription, node) pairs received so far.
 */
import { createInterface } from 'node:readline';
import WebSocket from 'ws';

const [url, sockets, perSocket, query] = process.argv.slice(2) as [string, string, string, string];
const received = new Map<string, Set<string>>();

async function open(socket: number): Promise<WebSocket> {
  const ws = new WebSocket(url, 'graphql-transport-ws');
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  const acked = new Promise((resolve) => ws.once('message', resolve));
  ws.on('message', (data) => {
    const message = JSON.parse(String(data)) as {
      type: string;
      id?: string;
      payload?: { data?: { nodeChanged?: { name: string } } };
    };
    const name = message.payload?.data?.nodeChanged?.name;
    if (message.type === 'next' && message.id && name) received.get(`${socket}/${message.id}`)?.add(name);
  });
  ws.send(JSON.stringify({ type: 'connection_init' }));
  await acked;
  for (let i = 0; i < Number(perSocket); i++) {
    received.set(`${socket}/${i}`, new Set());
    ws.send(JSON.stringify({ id: String(i), type: 'subscribe', payload: { query } }));
  }
  return ws;
}

const all = await Promise.all(Array.from({ length: Number(sockets) }, (_, i) => open(i)));
process.stdout.write('READY\n');
createInterface({ input: process.stdin }).on('line', (line) => {
  if (line !== 'count') return;
  let n = 0;
  for (const names of received.values()) n += names.size;
  process.stdout.write(`COUNT ${n}\n`);
});
process.stdin.on('end', () => {
  for (const ws of all) ws.terminate();
  process.exit(0);
});
