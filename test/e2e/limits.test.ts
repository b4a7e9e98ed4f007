import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatewayHeapAfterGc, HEAP_PROBE_ENV } from '../support/gateway-heap.js';
import {
  type SimCluster,
  type SpawnedGateway,
  spawnGateway,
  startGateway,
  startSimCluster,
  type TestGateway,
} from './harness.js';

interface Answer {
  status: number;
  ms: number;
  body: { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] };
}

/**
 * POSTs a raw body with node:http; the status and the time to the answer matter here, which the
 * typed clients hide. The time runs from the request's start to its whole answer.
 */
function post(graphqlUrl: string, text: string, { chunked = false } = {}): Promise<Answer> {
  const body = Buffer.from(text);
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = request(graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
    });
    // A refused body is answered with 413 and the connection closed mid-upload: the write then
    // fails (EPIPE/ECONNRESET) although the answer arrived. Only an error without an answer counts.
    let answered = false;
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (answered || err.code === 'EPIPE' || err.code === 'ECONNRESET') return;
      reject(err);
    });
    req.on('close', () => {
      if (!answered) reject(new Error('connection closed without an answer'));
    });
    req.on('response', (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          ms: performance.now() - started,
          body: JSON.parse(Buffer.concat(chunks).toString()) as Answer['body'],
        }),
      );
    });
    if (!chunked) {
      req.end(body);
      return;
    }
    // Several writes and no Content-Length: Node sends Transfer-Encoding: chunked.
    for (let at = 0; at < body.length; at += 256 * 1024) req.write(body.subarray(at, at + 256 * 1024));
    req.end();
  });
}

const postQuery = (url: string, query: string, variables?: Record<string, unknown>) =>
  post(url, JSON.stringify({ query, variables }));

/** The median: one sample slowed by the shared machine's load says nothing about the gateway. */
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const codes = (a: Answer) => (a.body.errors ?? []).map((e) => e.extensions?.code);
const limitsHit = (a: Answer) => (a.body.errors ?? []).map((e) => e.extensions?.limit);

/** `{ a: f { a: f { ... } } }`, `depth` fields deep. */
const nested = (depth: number, field: string) => `${`{ ${field} `.repeat(depth)}${'}'.repeat(depth)}`;

describe('operation limits (in-process gateway on the simulator)', () => {
  let cluster: SimCluster;
  let gateway: TestGateway;

  beforeAll(async () => {
    cluster = await startSimCluster({ nodes: 40, pods: 400, seed: 61, contextName: 'limits' });
    gateway = await startGateway({ kubeconfigPath: cluster.kubeconfigPath });
    // The first operation compiles the schema's execution paths; the timings below are of refusals.
    await postQuery(gateway.graphqlUrl, '{ clusters { name } }');
    await postQuery(gateway.graphqlUrl, '{ clusterz }');
  });
  afterAll(async () => {
    await gateway?.stop();
    await cluster?.stop();
  });

  it('refuses the events -> job cycle: gone from the schema, and its costly remains by cost', async () => {
    const cycle = `{ drainJobs(first: 1000) { events(first: 1000) { job { events(first: 1000) { job { events(first: 1000) { sequence } } } } } } }`;
    const invalid = await postQuery(gateway.graphqlUrl, cycle);
    expect(invalid.body.errors?.[0]?.message).toMatch(
      /Cannot query field "events" on type "DrainJobSummary"/,
    );
    expect(invalid.ms).toBeLessThan(100);

    const wide = `{ drainJobs(first: 1000) { events(first: 1000) { job { pods { name } takeovers { to } } } } }`;
    const refused = await postQuery(gateway.graphqlUrl, wide);
    expect(codes(refused)).toEqual(['OPERATION_TOO_COMPLEX']);
    expect(refused.body.errors?.[0]?.extensions).toMatchObject({ limit: 'max-cost', max: 100_000 });
    expect(refused.ms).toBeLessThan(100);
    expect((await fetch(`${gateway.baseUrl}/healthz`)).status).toBe(200);
  });

  it('starts no job for 100 aliased drainNode fields', async () => {
    cluster.sim.audit.clear();
    const fields = Array.from(
      { length: 100 },
      (_, i) => `d${i}: drainNode(name: "node-${String(i).padStart(4, '0')}") { id }`,
    );
    const answer = await postQuery(gateway.graphqlUrl, `mutation { ${fields.join(' ')} }`);
    expect(codes(answer).every((c) => c === 'OPERATION_TOO_COMPLEX')).toBe(true);
    expect(limitsHit(answer)).toContain('max-root-mutations');
    const jobs = await postQuery(gateway.graphqlUrl, '{ drainJobs { id } }');
    expect(jobs.body.data).toEqual({ drainJobs: [] });
    expect(cluster.sim.audit.count({ verb: 'patch' })).toBe(0);
  });

  it('allows a few mutations in one operation', async () => {
    const answer = await postQuery(
      gateway.graphqlUrl,
      'mutation { a: cordonNode(name: "node-0001") { name } b: uncordonNode(name: "node-0001") { name } }',
    );
    expect(answer.body.errors).toBeUndefined();
  });

  it('refuses 1000 aliases and depth 61 before running anything', async () => {
    const aliases = Array.from({ length: 1000 }, (_, i) => `a${i}: clusters`).join(' ');
    const tooMany = await postQuery(gateway.graphqlUrl, `{ ${aliases} }`);
    expect(tooMany.body.errors?.find((e) => e.extensions?.limit === 'max-aliases')?.extensions).toMatchObject(
      {
        code: 'OPERATION_TOO_COMPLEX',
        max: 30,
        found: 1000,
      },
    );
    expect(tooMany.body.data).toBeUndefined();
    const deep = await postQuery(gateway.graphqlUrl, nested(61, 'nodes'));
    expect(deep.body.errors?.find((e) => e.extensions?.limit === 'max-depth')?.extensions).toMatchObject({
      code: 'OPERATION_TOO_COMPLEX',
      max: 12,
      found: 61,
    });
  });

  it('refuses pods of every node by cost, with no pod LIST', async () => {
    cluster.sim.audit.clear();
    const answer = await postQuery(gateway.graphqlUrl, '{ nodes { nodes { pods { totalCount } } } }');
    expect(codes(answer)).toEqual(['OPERATION_TOO_COMPLEX']);
    expect(answer.body.errors?.[0]?.message).toMatch(/--max-cost 100000/);
    expect(cluster.sim.audit.count({ resource: 'pods' })).toBe(0);
    // A variable `first` is priced by its value.
    const few = await postQuery(
      gateway.graphqlUrl,
      'query ($n: Int) { nodes(first: $n) { nodes { pods { totalCount } } } }',
      {
        n: 3,
      },
    );
    expect(few.body.errors).toBeUndefined();
    expect(cluster.sim.audit.count({ resource: 'pods', verb: 'list' })).toBeGreaterThanOrEqual(3);
  });

  it('answers a README-style query under the default limits', async () => {
    const answer = await postQuery(
      gateway.graphqlUrl,
      `query Workers {
        clusters { name status nodeCount lastSyncAt }
        nodes(filter: { ready: true }, orderBy: { field: NAME }, first: 20) {
          totalCount
          pageInfo { hasNextPage endCursor }
          nodes { name ready schedulable roles taints { key effect } podCount }
        }
      }`,
    );
    expect(answer.body.errors).toBeUndefined();
    expect((answer.body.data as { nodes: { nodes: unknown[] } }).nodes.nodes).toHaveLength(20);
  });

  it('keeps "Did you mean" outside production', async () => {
    const answer = await postQuery(gateway.graphqlUrl, '{ nodes { nodez { name } } }');
    expect(answer.body.errors?.[0]?.message).toMatch(/Did you mean/);
  });
});

describe('request limits (the gateway as its own process, NODE_ENV=production)', () => {
  let gateway: SpawnedGateway;

  beforeAll(async () => {
    gateway = await spawnGateway(['--simulate', '--sim-nodes', '10', '--sim-pods', '50', '--no-graphiql'], {
      NODE_ENV: 'production',
      ...HEAP_PROBE_ENV,
    });
    await postQuery(gateway.graphqlUrl, '{ clusters { name } }');
  });
  afterAll(async () => {
    gateway?.kill('SIGINT');
    await gateway?.exited;
  });

  /**
   * RSS after a full collection: a refused body is read and thrown away as it arrives, and those
   * buffers are garbage until V8 next collects; what must not grow is what stays held.
   */
  const rss = async () => {
    await gatewayHeapAfterGc(gateway);
    return (await gateway.metric('process_resident_memory_bytes')) ?? Number.NaN;
  };

  it('refuses ten distinct ~5 MB documents at once, holding no memory for them', async () => {
    // One refusal first, so code loaded on the first 413 is not counted as held memory.
    await post(
      gateway.graphqlUrl,
      JSON.stringify({ query: `{ ${'w: clusters { name } '.repeat(250_000)} }` }),
    );
    const before = await rss();
    const times: number[] = [];
    for (let i = 0; i < 10; i++) {
      const query = `{ ${`n${i}: clusters { name } `.repeat(250_000)} }`;
      const answer = await post(gateway.graphqlUrl, JSON.stringify({ query }));
      expect(answer.status).toBe(413);
      expect(answer.body.errors?.[0]?.extensions?.code).toBe('REQUEST_ENTITY_TOO_LARGE');
      times.push(answer.ms);
    }
    expect(median(times)).toBeLessThan(100);
    const grown = (await rss()) - before;
    console.info(`RSS grew ${(grown / 1e6).toFixed(1)} MB over ten refused 5 MB bodies`);
    expect(grown).toBeLessThan(50 * 1024 * 1024);
    expect((await fetch(`${gateway.baseUrl}/healthz`)).status).toBe(200);
  });

  it('counts a chunked body (no Content-Length) as it streams', async () => {
    const query = `{ ${'c: clusters { name } '.repeat(250_000)} }`;
    const answer = await post(gateway.graphqlUrl, JSON.stringify({ query }), { chunked: true });
    expect(answer.status).toBe(413);
    expect(answer.body.errors?.[0]?.extensions).toMatchObject({ limit: 'max-body-size', max: 1024 * 1024 });
  });

  it('stops parsing ten distinct documents just under the body limit at the token limit', async () => {
    const before = await rss();
    const times: number[] = [];
    for (let i = 0; i < 10; i++) {
      const query = `{ ${`t${i} `.repeat(200_000)} }`;
      const answer = await post(gateway.graphqlUrl, JSON.stringify({ query }));
      expect(answer.body.errors?.[0]?.extensions).toMatchObject({
        code: 'OPERATION_TOO_COMPLEX',
        limit: 'max-tokens',
        max: 5000,
      });
      times.push(answer.ms);
    }
    expect(median(times)).toBeLessThan(100);
    const grown = (await rss()) - before;
    console.info(`RSS grew ${(grown / 1e6).toFixed(1)} MB over ten refused 5 MB bodies`);
    expect(grown).toBeLessThan(50 * 1024 * 1024);
  });

  it('leaves field suggestions out', async () => {
    const answer = await postQuery(gateway.graphqlUrl, '{ nodes { nodez { name } } }');
    expect(answer.body.errors?.[0]?.message).toMatch(/Cannot query field "nodez"/);
    expect(answer.body.errors?.[0]?.message).not.toMatch(/Did you mean/);
  });
});
