import { type IncomingHttpHeaders, request } from 'node:http';
import { brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { print } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIN_COMPRESSED_BYTES } from '../../src/server/compression/use-response-compression.js';
import { type SimCluster, startGateway, startSimCluster, type TestGateway } from './harness.js';
import { waitForClusterStatus } from './nodes-helpers.js';
import { NODE_NAMES_QUERY, NODES_QUERY } from './operations/nodes.js';

interface BinaryResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** A request whose body arrives as sent (fetch would decode it, hiding what the server did). */
function binaryRequest(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<BinaryResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: options.method ?? 'GET', headers: options.headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.once('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
        res.once('error', reject);
      },
    );
    req.once('error', reject);
    req.end(options.body);
  });
}

function decoded(res: BinaryResponse): string {
  const coding = res.headers['content-encoding'];
  if (coding === 'br') return brotliDecompressSync(res.body).toString('utf8');
  if (coding === 'gzip') return gunzipSync(res.body).toString('utf8');
  return res.body.toString('utf8');
}

const JSON_HEADERS = { 'content-type': 'application/json', accept: 'application/graphql-response+json' };

describe('compressed responses and GraphiQL assets', () => {
  let cluster: SimCluster;
  let gateway: TestGateway;
  let post: (query: string, headers?: Record<string, string>) => Promise<BinaryResponse>;

  beforeAll(async () => {
    cluster = await startSimCluster({ nodes: 40, seed: 5 });
    gateway = await startGateway({ kubeconfigPath: cluster.kubeconfigPath, config: { graphiql: true } });
    await waitForClusterStatus(gateway, 'READY');
    post = (query, headers = {}) =>
      binaryRequest(`${gateway.baseUrl}/graphql`, {
        method: 'POST',
        headers: { ...JSON_HEADERS, ...headers },
        body: JSON.stringify({ query }),
      });
  });

  afterAll(async () => {
    await gateway?.stop();
    await cluster?.stop();
  });

  it('compresses a node list with the coding the client prefers, to the same JSON', async () => {
    const query = print(NODES_QUERY);
    const plain = await post(query);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.length).toBeGreaterThan(MIN_COMPRESSED_BYTES);
    for (const [acceptEncoding, coding] of [
      ['gzip, deflate, br', 'br'],
      ['gzip', 'gzip'],
      ['br;q=0, gzip;q=0.5', 'gzip'],
    ] as const) {
      const res = await post(query, { 'accept-encoding': acceptEncoding });
      expect(res.status).toBe(200);
      expect(res.headers['content-encoding']).toBe(coding);
      expect(res.headers.vary).toContain('Accept-Encoding');
      expect(res.body.length).toBeLessThan(plain.body.length / 4);
      expect(JSON.parse(decoded(res))).toEqual(JSON.parse(plain.body.toString('utf8')));
    }
  });

  it('leaves small answers, refused codings and identity uncompressed', async () => {
    const small = await post('{ __typename }', { 'accept-encoding': 'br' });
    expect(small.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(small.body.toString('utf8'))).toEqual({ data: { __typename: 'Query' } });
    const refused = await post(print(NODE_NAMES_QUERY), { 'accept-encoding': 'gzip;q=0, br;q=0, identity' });
    expect(refused.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(refused.body.toString('utf8')).data.nodes.totalCount).toBe(40);
  });

  it('never inflates a compressed request body (a gzip bomb stays a bad request)', async () => {
    const bomb = gzipSync(Buffer.from(JSON.stringify({ query: `{ __typename ${' '.repeat(50_000_000)}}` })));
    expect(bomb.length).toBeLessThan(100_000);
    const res = await binaryRequest(`${gateway.baseUrl}/graphql`, {
      method: 'POST',
      headers: { ...JSON_HEADERS, 'content-encoding': 'gzip' },
      body: bomb,
    });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
  });

  it('serves GraphiQL as a small page whose files are versioned, compressed and cached for good', async () => {
    const page = await binaryRequest(`${gateway.baseUrl}/graphql`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    const html = page.body.toString('utf8');
    expect(html.length).toBeLessThan(4096);
    const files = [...new Set(html.match(/graphiql\/[\w-]+\/[\w.]+/g))];
    expect(files.sort().map((f) => f.split('/')[2])).toEqual([
      'editor.worker.js',
      'favicon.ico',
      'graphiql.css',
      'graphiql.js',
      'graphql.worker.js',
      'json.worker.js',
    ]);
    let compressedTotal = 0;
    let plainTotal = 0;
    for (const file of files) {
      const url = `${gateway.baseUrl}/${file}`;
      const br = await binaryRequest(url, { headers: { 'accept-encoding': 'br, gzip' } });
      expect(br.status).toBe(200);
      expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(br.headers['content-encoding']).toBe('br');
      const plain = await binaryRequest(url);
      expect(brotliDecompressSync(br.body).equals(plain.body)).toBe(true);
      const gz = await binaryRequest(url, { headers: { 'accept-encoding': 'gzip' } });
      expect(gunzipSync(gz.body).equals(plain.body)).toBe(true);
      const again = await binaryRequest(url, { headers: { 'if-none-match': String(br.headers.etag) } });
      expect(again.status).toBe(304);
      expect(again.body.length).toBe(0);
      compressedTotal += br.body.length;
      plainTotal += plain.body.length;
    }
    // The bundle was a 9 MB page on every visit; now ~2 MB once.
    expect(plainTotal).toBeGreaterThan(8_000_000);
    expect(compressedTotal).toBeLessThan(3_000_000);
  });

  it('answers unknown versions and files 404, writes 405, and nothing outside its folder', async () => {
    const page = (await binaryRequest(`${gateway.baseUrl}/graphql`, { headers: { accept: 'text/html' } }))
      .body;
    const [version] = /graphiql\/([\w-]+)\//.exec(page.toString('utf8'))?.slice(1) ?? [];
    for (const path of [
      `/graphiql/old-version/graphiql.js`,
      `/graphiql/${version}/package.json`,
      `/graphiql/${version}/../../package.json`,
      `/graphiql/${version}/graphiql.js/extra`,
      `/graphiql/${version}/%2e%2e%2fpackage.json`,
    ]) {
      expect((await binaryRequest(`${gateway.baseUrl}${path}`)).status, path).toBe(404);
    }
    const write = await binaryRequest(`${gateway.baseUrl}/graphiql/${version}/graphiql.js`, {
      method: 'POST',
    });
    expect(write.status).toBe(405);
  });
});
