import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { DEFAULT_CONFIG } from '../../src/config/gateway-config.js';
import { deleteKeys, REDIS_URL } from '../events/redis-test-keys.js';
import type { GraphQLResponse } from '../support/graphql-clients.js';
import { type SimCluster, startGateway, startSimCluster, type TestGateway } from './harness.js';
import {
  CANCEL_DRAIN,
  CORDON_NODE,
  DRAIN_JOB,
  DRAIN_NODE,
  DRAIN_PROGRESS,
  UNCORDON_NODE,
} from './operations/drain.js';
import { NODE_CHANGED_SUBSCRIPTION, NODES_QUERY } from './operations/nodes.js';
import { NODE_PODS } from './operations/pods.js';

/**
 * Names Kubernetes would refuse never reach it: each of these used to become an API path
 * (`PATCH /api/v1/nodes/` for ".", `PATCH /api/v1/` for "..", a cluster-wide pod LIST for
 * namespace ".."), a drain of every node, or another Redis key; now each is BAD_USER_INPUT
 * naming the argument and the rule, and the simulator's audit log shows no request for it.
 */

// No API probes: the audit log must stay still unless a resolver calls the API.
const QUIET = { nodeWatch: { ...DEFAULT_CONFIG.nodeWatch, probeAfterMs: 0 } };

type Send = (gateway: TestGateway) => Promise<GraphQLResponse<unknown>>;

const EVENTS_KEY_ID = `${randomUUID()}:events`;
const BAD_CALLS: [string, string, Send][] = [
  ['cordonNode(name: ".")', 'name', (g) => g.query(CORDON_NODE, { name: '.' })],
  ['cordonNode(name: "..")', 'name', (g) => g.query(CORDON_NODE, { name: '..' })],
  ['uncordonNode(name: "a/b")', 'name', (g) => g.query(UNCORDON_NODE, { name: 'a/b' })],
  [
    'drainNode(name: ".", dryRun)',
    'name',
    (g) => g.query(DRAIN_NODE, { name: '.', options: { dryRun: true } }),
  ],
  [
    'drainNode(name: "%2F", dryRun)',
    'name',
    (g) => g.query(DRAIN_NODE, { name: '%2F', options: { dryRun: true } }),
  ],
  ['pods(namespace: "..")', 'namespace', (g) => g.query(NODE_PODS, { name: 'node-0001', namespace: '..' })],
  ['drainJob(id: "<uuid>:events")', 'id', (g) => g.query(DRAIN_JOB, { id: EVENTS_KEY_ID })],
  ['cancelDrain(id: "..")', 'id', (g) => g.query(CANCEL_DRAIN, { id: '..' })],
  [
    'nodes(filter: { taintKey: "a/b/c" })',
    'filter.taintKey',
    (g) => g.query(NODES_QUERY, { filter: { taintKey: 'a/b/c' } }),
  ],
];

function apiCalls(cluster: SimCluster): number {
  return cluster.sim.audit.entries().filter((e) => e.verb !== 'watch').length;
}

function describeAgainst(label: string, config: () => Record<string, unknown>, cleanup: () => Promise<void>) {
  describe(`bad names cost no API call (${label})`, () => {
    let cluster: SimCluster;
    let gateway: TestGateway;

    beforeAll(async () => {
      cluster = await startSimCluster({ nodes: 4, pods: 20, seed: 3 });
      gateway = await startGateway({
        kubeconfigPath: cluster.kubeconfigPath,
        config: { ...QUIET, ...config() },
      });
      // A first query waits for the node cache, so later ones are answered from it.
      await gateway.query(NODES_QUERY, { first: 1 });
    });
    afterAll(async () => {
      await gateway?.stop();
      await cluster?.stop();
      await cleanup();
    });

    it.each(BAD_CALLS)('%s is BAD_USER_INPUT on %s, with no API request', async (_what, argument, send) => {
      const before = apiCalls(cluster);
      const res = await send(gateway);
      expect(res.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
      expect(res.errors?.[0]?.extensions).toMatchObject({ argument });
      expect(res.errors?.[0]?.extensions?.rule).toEqual(expect.any(String));
      expect(apiCalls(cluster)).toBe(before);
    });

    it('nodeChanged(names: [".."]) and drainProgress(id: "..") fail at once with BAD_USER_INPUT', async () => {
      const changes = gateway.subscribe(NODE_CHANGED_SUBSCRIPTION, { names: ['node-0001', '..'] });
      const first = await changes.next(5000);
      expect(first.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'names[1]' });
      const progress = gateway.subscribe(DRAIN_PROGRESS, { id: EVENTS_KEY_ID });
      expect((await progress.next(5000)).errors?.[0]?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        argument: 'id',
      });
      changes.close();
      progress.close();
    });

    it('a 100 KB name comes back as about 100 characters of it', async () => {
      const before = apiCalls(cluster);
      const res = await gateway.query(CORDON_NODE, { name: 'N'.repeat(100_000) });
      const message = res.errors?.[0]?.message ?? '';
      expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(message.length).toBeLessThan(700);
      expect(message).toContain('(100000 characters)');
      const unknown = await gateway.query(CORDON_NODE, { name: 'node-0001', cluster: 'c'.repeat(100_000) });
      expect(unknown.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
      expect(JSON.stringify(unknown.errors).length).toBeLessThan(1000);
      expect(apiCalls(cluster)).toBe(before);
    });

    it('a 100 KB literal that graphql-js quotes in its own error comes back cut, over HTTP and graphql-ws', async () => {
      const literal = 'A'.repeat(100_000);
      const http = await gateway.queryRaw(`{ nodes(first: "${literal}") { totalCount } }`);
      expect(http.errors?.[0]?.message).toMatch(/^Int cannot represent/);
      expect(http.errors?.[0]?.message.length).toBeLessThan(1100);
      const socket = new WebSocket(gateway.wsUrl, 'graphql-transport-ws');
      const message = await new Promise<string>((resolve) => {
        socket.once('open', () => socket.send(JSON.stringify({ type: 'connection_init' })));
        socket.on('message', (data) => {
          const frame = JSON.parse(data.toString()) as { type: string; payload?: { message: string }[] };
          if (frame.type === 'connection_ack')
            socket.send(
              JSON.stringify({
                id: '1',
                type: 'subscribe',
                payload: {
                  query:
                    `subscription { nodeChanged(names: [${'"a",'.repeat(2)}${JSON.stringify(literal)}]) { name } } ` +
                    `query Q { nodes(first: "${literal}") { totalCount } }`,
                  operationName: 'Q',
                },
              }),
            );
          if (frame.type === 'error') resolve(frame.payload?.[0]?.message ?? '');
        });
      });
      socket.close();
      expect(message.length).toBeLessThan(1100);
    });
  });
}

const redisKeyPrefix = `kng-test-${randomUUID()}:`;
describeAgainst(
  'in-memory jobs',
  () => ({}),
  async () => {},
);
describeAgainst(
  'Redis jobs',
  () => ({ redisUrl: REDIS_URL, redisKeyPrefix }),
  async () => {
    const redis = new Redis(REDIS_URL);
    await deleteKeys(redis, redisKeyPrefix);
    redis.disconnect();
  },
);
