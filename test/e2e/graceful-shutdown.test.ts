import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { printDocument } from '../support/graphql-clients.js';
import { waitFor } from '../support/wait-for.js';
import { spawnGateway } from './harness.js';
import { waitForNodeSubscribers } from './nodes-helpers.js';
import { NODE_CHANGED_SUBSCRIPTION, NODE_NAMES_QUERY } from './operations/nodes.js';

describe('graceful shutdown of `kube-node-gateway serve`', () => {
  it('on SIGTERM closes an open subscription with 1001 and exits 0 within 5 s', async () => {
    const gateway = await spawnGateway([
      '--simulate',
      '--sim-nodes',
      '3',
      '--sim-pods',
      '10',
      '--shutdown-delay',
      '0s',
    ]);
    try {
      const socket = new WebSocket(gateway.wsUrl, 'graphql-transport-ws');
      const closeCode = new Promise<number>((resolve) => socket.once('close', resolve));
      const subscribed = new Promise<void>((resolve, reject) => {
        socket.once('open', () => socket.send(JSON.stringify({ type: 'connection_init' })));
        socket.on('message', (data) => {
          const message = JSON.parse(data.toString()) as { type: string };
          if (message.type === 'connection_ack') {
            socket.send(
              JSON.stringify({
                id: '1',
                type: 'subscribe',
                payload: { query: printDocument(NODE_CHANGED_SUBSCRIPTION) },
              }),
            );
            // The server has the subscription once it answers a ping sent after it.
            socket.send(JSON.stringify({ type: 'ping' }));
          }
          if (message.type === 'pong') resolve();
          if (message.type === 'error') reject(new Error(data.toString()));
        });
      });
      await subscribed;

      const signalledAt = Date.now();
      gateway.kill('SIGTERM');
      expect(await closeCode).toBe(1001);
      expect(await gateway.exited).toBe(0);
      expect(Date.now() - signalledAt).toBeLessThan(5000);
    } finally {
      gateway.kill('SIGKILL');
    }
  });

  it('under load, SIGTERM turns /readyz 503 at once while queries keep succeeding for --shutdown-delay', async () => {
    const delayMs = 2000;
    const gateway = await spawnGateway([
      '--simulate',
      '--sim-nodes',
      '5',
      '--sim-pods',
      '20',
      '--shutdown-delay',
      `${delayMs}ms`,
    ]);
    const sockets: WebSocket[] = [];
    try {
      await waitFor(async () => (await fetch(`${gateway.baseUrl}/readyz`)).status === 200, { what: 'ready' });
      // 200 subscriptions over 4 sockets, raw, so each socket's close code can be read.
      const closeCodes = [0, 1, 2, 3].map(() => {
        const socket = new WebSocket(gateway.wsUrl, 'graphql-transport-ws');
        sockets.push(socket);
        socket.once('open', () => socket.send(JSON.stringify({ type: 'connection_init' })));
        socket.on('message', (data) => {
          if ((JSON.parse(data.toString()) as { type: string }).type !== 'connection_ack') return;
          for (let id = 0; id < 50; id++) {
            const payload = { query: printDocument(NODE_CHANGED_SUBSCRIPTION) };
            socket.send(JSON.stringify({ id: String(id), type: 'subscribe', payload }));
          }
        });
        return new Promise<number>((resolve) => socket.once('close', resolve));
      });
      await waitForNodeSubscribers(gateway, 200, 15_000);

      let running = true;
      const queries: { sentAt: number; ok: boolean }[] = [];
      const queryLoop = (async () => {
        while (running) {
          const sentAt = Date.now();
          const ok = await gateway
            .query(NODE_NAMES_QUERY)
            .then((r) => r.data?.nodes?.totalCount === 5)
            .catch(() => false);
          queries.push({ sentAt, ok });
        }
      })();
      let notReadyAt: number | undefined;
      const readinessLoop = (async () => {
        while (running && notReadyAt === undefined) {
          const status = await fetch(`${gateway.baseUrl}/readyz`)
            .then((r) => r.status)
            .catch(() => 0);
          if (status === 503) notReadyAt = Date.now();
        }
      })();
      await waitFor(() => queries.length >= 20, { what: 'the query loop running' });

      const signalledAt = Date.now();
      gateway.kill('SIGTERM');
      const codes = await Promise.all(closeCodes);
      const exitCode = await gateway.exited;
      running = false;
      await Promise.all([queryLoop, readinessLoop]);

      expect(notReadyAt! - signalledAt).toBeLessThan(100);
      // Every query sent during the delay (less a margin for the loop's own latency) succeeded.
      const duringDelay = queries.filter(
        (q) => q.sentAt >= signalledAt && q.sentAt < signalledAt + delayMs - 300,
      );
      expect(duringDelay.length).toBeGreaterThan(10);
      expect(duringDelay.filter((q) => !q.ok)).toEqual([]);
      expect(codes).toEqual([1001, 1001, 1001, 1001]);
      expect(exitCode).toBe(0);
      expect(Date.now() - signalledAt).toBeGreaterThanOrEqual(delayMs);
    } finally {
      for (const socket of sockets) socket.terminate();
      gateway.kill('SIGKILL');
    }
  });
});
