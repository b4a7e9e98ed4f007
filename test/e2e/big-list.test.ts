import { type ClientRequest, type IncomingMessage, request } from 'node:http';
import type { DocumentNode } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config/gateway-config.js';
import type { NodesQuery } from '../gql/graphql.js';
import { printDocument } from '../support/graphql-clients.js';
import { waitFor } from '../support/wait-for.js';
import { type SimCluster, startGateway, startSimCluster, type TestGateway } from './harness.js';
import { waitForClusterStatus } from './nodes-helpers.js';
import { FAT_NODE_LIST_QUERY, TYPENAME_QUERY } from './operations/big-list.js';
import { NODES_QUERY } from './operations/nodes.js';

const NODES = 3000;

/** A POST whose response the test reads at its own pace: chunk by chunk, paused, or never. */
function openPost(url: string, document: DocumentNode, variables: Record<string, unknown> = {}) {
  let req: ClientRequest | undefined;
  const response = new Promise<IncomingMessage>((resolve, reject) => {
    req = request(url, {
      method: 'POST',
      agent: false,
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
    });
    req.once('response', resolve);
    req.once('error', reject);
    req.end(JSON.stringify({ query: printDocument(document), variables }));
  });
  return { response, abort: () => req?.destroy() };
}

async function readAll(res: IncomingMessage): Promise<{ text: string; chunks: number }> {
  const parts: Buffer[] = [];
  for await (const chunk of res) parts.push(chunk as Buffer);
  return { text: Buffer.concat(parts).toString('utf8'), chunks: parts.length };
}

describe(`a whole-list query over ${NODES} nodes, streamed`, () => {
  let sim: SimCluster;
  let streaming: TestGateway;
  let unstreamed: TestGateway;

  beforeAll(async () => {
    sim = await startSimCluster({ nodes: NODES, pods: 0, seed: 21 });
    // Limits lifted: the fat query is costly on purpose; streaming starts above 1000 items.
    const limits = { ...DEFAULT_CONFIG.limits, maxCost: 0 };
    [streaming, unstreamed] = await Promise.all([
      startGateway({ kubeconfigPath: sim.kubeconfigPath, config: { limits, streamListsOver: 1000 } }),
      startGateway({ kubeconfigPath: sim.kubeconfigPath, config: { limits, streamListsOver: 0 } }),
    ]);
    await Promise.all([
      waitForClusterStatus(streaming, 'READY', undefined, 60_000),
      waitForClusterStatus(unstreamed, 'READY', undefined, 60_000),
    ]);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([streaming?.stop(), unstreamed?.stop()]);
    await sim?.stop();
  });

  it('arrives in chunks as the same JSON document as before, and as a first: N walk', async () => {
    const streamed = await openPost(streaming.graphqlUrl, NODES_QUERY).response;
    expect(streamed.headers['transfer-encoding']).toBe('chunked');
    expect(streamed.headers['content-length']).toBeUndefined();
    const { text, chunks } = await readAll(streamed);
    expect(chunks).toBeGreaterThan(1);
    const before = await readAll(await openPost(unstreamed.graphqlUrl, NODES_QUERY).response);
    expect(text).toBe(before.text);
    // Never kept by the response cache: asked again, it is executed again (and the same).
    const hits = await streaming.metricSum('gateway_node_response_cache_total', { outcome: 'hit' });
    expect((await readAll(await openPost(streaming.graphqlUrl, NODES_QUERY).response)).text).toBe(text);
    expect(await streaming.metricSum('gateway_node_response_cache_total', { outcome: 'hit' })).toBe(hits);

    const whole = JSON.parse(text) as { data: NodesQuery };
    const edges: NonNullable<NodesQuery['nodes']>['edges'] = [];
    let after: string | null | undefined;
    for (;;) {
      const page = await streaming.query(NODES_QUERY, { first: 700, after });
      const nodes = page.data?.nodes;
      if (!nodes) throw new Error(`page failed: ${JSON.stringify(page.errors)}`);
      edges.push(...nodes.edges);
      if (!nodes.pageInfo.hasNextPage) break;
      after = nodes.pageInfo.endCursor;
    }
    expect(whole.data.nodes?.totalCount).toBe(NODES);
    expect(whole.data.nodes?.edges).toEqual(edges);
    expect(whole.data.nodes?.pageInfo).toEqual({
      hasNextPage: false,
      hasPreviousPage: false,
      startCursor: edges[0]?.cursor,
      endCursor: edges[edges.length - 1]?.cursor,
    });
  });

  it('lets a { __typename } query answer while the big list is still being written', async () => {
    const big = openPost(streaming.graphqlUrl, FAT_NODE_LIST_QUERY);
    const res = await big.response;
    let ended = false;
    res.once('end', () => {
      ended = true;
    });
    // Read slowly: one chunk now, the rest after the small query answered.
    res.pause();
    await new Promise((resolve) => res.once('readable', resolve));
    const small = await streaming.query(TYPENAME_QUERY);
    expect(small.data).toEqual({ __typename: 'Query' });
    expect(ended).toBe(false);
    expect(await streaming.metric('gateway_streamed_answers_in_flight')).toBe(1);
    const { text } = await readAll(res);
    const body = JSON.parse(text) as { data: { nodes: { totalCount: number; nodes: unknown[] } } };
    expect(body.data.nodes.nodes).toHaveLength(NODES);
    await waitFor(async () => (await streaming.metric('gateway_streamed_answers_in_flight')) === 0);
  });

  it('hostile: a client that never reads does not make the gateway write the whole answer; aborting frees it', async () => {
    const full = (await readAll(await openPost(unstreamed.graphqlUrl, FAT_NODE_LIST_QUERY).response)).text
      .length;
    const bytesBefore = (await streaming.metric('gateway_streamed_answer_bytes_total')) ?? 0;
    const stuck = openPost(streaming.graphqlUrl, FAT_NODE_LIST_QUERY);
    const res = await stuck.response;
    res.pause(); // and never resumed
    // The gateway writes until the socket's buffers are full, then stops: the count settles.
    let last = -1;
    const handed = await waitFor(
      async () => {
        const now = ((await streaming.metric('gateway_streamed_answer_bytes_total')) ?? 0) - bytesBefore;
        const settled = now > 0 && now === last;
        last = now;
        return settled && now;
      },
      { intervalMs: 300, what: 'the streamed bytes to stop growing' },
    );
    expect(full).toBeGreaterThan(15_000_000);
    expect(handed).toBeLessThan(full / 2);
    expect(await streaming.metric('gateway_streamed_answers_in_flight')).toBe(1);
    stuck.abort();
    await waitFor(async () => (await streaming.metric('gateway_streamed_answers_in_flight')) === 0, {
      what: 'the aborted answer to be dropped',
    });
    // The gateway still answers.
    expect((await streaming.query(TYPENAME_QUERY)).data).toEqual({ __typename: 'Query' });
  });
});
