import { createHash } from 'node:crypto';
import type { DocumentNode } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWsClient, type GraphQLResponse, printDocument } from '../support/graphql-clients.js';
import { type SimCluster, startGateway, startSimCluster, type TestGateway } from './harness.js';
import { NODE_NAMES_QUERY } from './operations/nodes.js';

/** The manifest `npm run codegen` writes for the test operations (client preset, persistedDocuments). */
const MANIFEST = new URL('../gql/persisted-documents.json', import.meta.url).pathname;

/** The id codegen gave a document: its manifest key (`sha256:<hex>`). */
function documentIdOf(document: DocumentNode): string {
  const id = (document as { __meta__?: { hash?: string } }).__meta__?.hash;
  if (!id) throw new Error('document has no persisted id: is codegen persistedDocuments on?');
  return id;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const apq = (hash: string) => ({ persistedQuery: { version: 1, sha256Hash: hash } });

interface Answer {
  status: number;
  body: GraphQLResponse<Record<string, unknown>>;
}

async function post(gateway: TestGateway, body: Record<string, unknown>): Promise<Answer> {
  const res = await fetch(gateway.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Answer['body'] };
}

function codeOf(answer: Answer): unknown {
  return answer.body.errors?.[0]?.extensions?.code;
}

/** One operation over graphql-ws with a raw subscribe payload; resolves with its first result. */
async function overWs(
  gateway: TestGateway,
  payload: { query: string; extensions?: Record<string, unknown> },
) {
  const client = createWsClient(gateway.wsUrl);
  try {
    return await new Promise<GraphQLResponse<Record<string, unknown>>>((resolve, reject) => {
      client.subscribe(payload, {
        next: (value) => resolve(value as GraphQLResponse<Record<string, unknown>>),
        // An operation refused before execution arrives as graphql-ws's `error` message: the errors.
        error: (err) =>
          Array.isArray(err) ? resolve({ errors: err as GraphQLResponse<unknown>['errors'] }) : reject(err),
        complete: () => {},
      });
    });
  } finally {
    await client.dispose();
  }
}

describe('trusted documents: --persisted-operations-only', () => {
  let cluster: SimCluster;
  let gateway: TestGateway;

  beforeAll(async () => {
    cluster = await startSimCluster({ nodes: 3, pods: 0, seed: 3 });
    gateway = await startGateway({
      kubeconfigPath: cluster.kubeconfigPath,
      config: { persistedOperationsFile: MANIFEST, persistedOperationsOnly: true },
    });
  });
  afterAll(async () => {
    await gateway?.stop();
    await cluster?.stop();
  });

  it('runs a listed document by its documentId', async () => {
    const answer = await post(gateway, { documentId: documentIdOf(NODE_NAMES_QUERY), variables: {} });
    expect(answer.status).toBe(200);
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data).toMatchObject({ nodes: { totalCount: 3 } });
  });

  it('refuses an arbitrary query FORBIDDEN, even one that is in the manifest', async () => {
    const answer = await post(gateway, { query: printDocument(NODE_NAMES_QUERY) });
    expect(answer.status).toBe(403);
    expect(codeOf(answer)).toBe('FORBIDDEN');
    expect(answer.body.data ?? null).toBeNull();
  });

  it('refuses an unknown id PERSISTED_QUERY_NOT_FOUND', async () => {
    const answer = await post(gateway, { documentId: `sha256:${sha256('query Nope { __typename }')}` });
    expect(codeOf(answer)).toBe('PERSISTED_QUERY_NOT_FOUND');
  });

  it('registers no automatic persisted query', async () => {
    const query = 'query NotListed { __typename }';
    const registering = await post(gateway, { query, extensions: apq(sha256(query)) });
    expect(codeOf(registering)).toBe('FORBIDDEN');
    expect(codeOf(await post(gateway, { extensions: apq(sha256(query)) }))).toBe('PERSISTED_QUERY_NOT_FOUND');
  });

  it('applies the same rules over graphql-ws', async () => {
    const arbitrary = await overWs(gateway, { query: printDocument(NODE_NAMES_QUERY) });
    expect(arbitrary.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(JSON.stringify(arbitrary)).not.toContain('"http"');
    const hash = documentIdOf(NODE_NAMES_QUERY).replace(/^sha256:/, '');
    const listed = await overWs(gateway, { query: '', extensions: apq(hash) });
    expect(listed.errors).toBeUndefined();
    expect(listed.data).toMatchObject({ nodes: { totalCount: 3 } });
  });
});

describe('trusted documents beside arbitrary ones, and automatic persisted queries', () => {
  let gateway: TestGateway;
  let cluster: SimCluster;

  beforeAll(async () => {
    cluster = await startSimCluster({ nodes: 2, pods: 0, seed: 4 });
    gateway = await startGateway({
      kubeconfigPath: cluster.kubeconfigPath,
      config: { persistedOperationsFile: MANIFEST },
    });
  });
  afterAll(async () => {
    await gateway?.stop();
    await cluster?.stop();
  });

  it('runs a listed documentId and an arbitrary query alike', async () => {
    const listed = await post(gateway, { documentId: documentIdOf(NODE_NAMES_QUERY) });
    expect(listed.body.data).toMatchObject({ nodes: { totalCount: 2 } });
    const arbitrary = await post(gateway, { query: '{ __typename }' });
    expect(arbitrary.body).toEqual({ data: { __typename: 'Query' } });
  });

  it('answers an unknown hash PersistedQueryNotFound, registers it with its query, then runs the hash alone', async () => {
    const query = 'query Registered { clusters { name } }';
    const hash = sha256(query);
    const unknown = await post(gateway, { extensions: apq(hash) });
    expect(unknown.body.errors?.[0]).toMatchObject({
      message: 'PersistedQueryNotFound',
      extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' },
    });
    const registered = await post(gateway, { query, extensions: apq(hash) });
    expect(registered.body).toEqual({ data: { clusters: [{ name: 'sim' }] } });
    const byHash = await post(gateway, { extensions: apq(hash) });
    expect(byHash.status).toBe(200);
    expect(byHash.body).toEqual({ data: { clusters: [{ name: 'sim' }] } });
  });

  it('refuses a query whose hash is not its sha256, and stores nothing under that hash', async () => {
    const wrongHash = sha256('query Other { __typename }');
    const refused = await post(gateway, { query: 'query Mine { __typename }', extensions: apq(wrongHash) });
    expect(refused.body.errors?.[0]).toMatchObject({
      message: 'provided sha does not match query',
      extensions: { code: 'BAD_USER_INPUT' },
    });
    expect(codeOf(await post(gateway, { extensions: apq(wrongHash) }))).toBe('PERSISTED_QUERY_NOT_FOUND');
  });

  it('keeps the APQ store bounded: 2000 registrations keep at most 1000, the oldest evicted', async () => {
    const queries = Array.from({ length: 2000 }, (_, i) => `query Many${i} { __typename }`);
    for (let i = 0; i < queries.length; i += 50) {
      const batch = queries.slice(i, i + 50);
      const answers = await Promise.all(
        batch.map((query) => post(gateway, { query, extensions: apq(sha256(query)) })),
      );
      expect(answers.every((a) => a.status === 200 && a.body.errors === undefined)).toBe(true);
    }
    const entries = await gateway.metric('gateway_apq_documents{measure="entries"}');
    const bytes = await gateway.metric('gateway_apq_documents{measure="bytes"}');
    expect(entries).toBe(1000);
    expect(bytes).toBeLessThanOrEqual(4 * 1024 * 1024);
    expect(bytes).toBe(queries.slice(1000).reduce((sum, q) => sum + q.length, 0));
    expect(codeOf(await post(gateway, { extensions: apq(sha256(queries[0]!)) }))).toBe(
      'PERSISTED_QUERY_NOT_FOUND',
    );
    const newest = await post(gateway, { extensions: apq(sha256(queries.at(-1)!)) });
    expect(newest.body).toEqual({ data: { __typename: 'Query' } });
  }, 60_000);
});
