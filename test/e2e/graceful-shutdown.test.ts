import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { printDocument } from '../support/graphql-clients.js';
import { spawnGateway } from './harness.js';
import { NODE_CHANGED_SUBSCRIPTION } from './operations/nodes.js';

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
});
