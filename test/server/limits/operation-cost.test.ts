import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { buildSchema } from '../../../src/schema/index.js';
import { ByteBoundedCache } from '../../../src/server/limits/byte-bounded-cache.js';
import { estimateOperationCost, FIELD_COSTS } from '../../../src/server/limits/operation-cost.js';

const schema = buildSchema();
const model = { maxPageSize: 1000 };
const cost = (query: string, variables?: Record<string, unknown>) =>
  estimateOperationCost(schema, parse(query), undefined, variables, model);

describe('estimateOperationCost', () => {
  it.each([
    ['a cache-only page of names', '{ nodes(first: 100) { nodes { name } } }', 1 + 100],
    ['totalCount alone', '{ nodes(first: 100) { totalCount } }', 1],
    ['omitted first = max page size', '{ nodes { nodes { name } } }', 1 + 1000],
    ['unpaged lists count 10', '{ nodes(first: 2) { nodes { labels { key } } } }', 1 + 2 * (1 + 10)],
    [
      'first: 2147483647 clamps to max page size',
      '{ nodes(first: 2147483647) { nodes { name } } }',
      1 + 1000,
    ],
    ['negative first counts 0 items', '{ nodes(first: -5) { nodes { name } } }', 1],
    ['first: 0', '{ nodes(first: 0) { edges { node { name } } } }', 1],
    [
      'podCount: one LIST per operation + 2 per node',
      '{ nodes(first: 100) { nodes { podCount } } }',
      1 + 100 + 100 + 1000,
    ],
    [
      'pods: one LIST per node',
      '{ nodes(first: 10) { nodes { pods { totalCount } } } }',
      1 + 10 * (1 + 1 + 1000),
    ],
    ['argument default (events first: 100)', '{ drainJob(id: "x") { events { sequence } } }', 11 + 10 + 100],
    [
      'podCount and allocated share one pod LIST chain, priced at the full-pod chain',
      '{ nodes(first: 100) { nodes { podCount allocated { pods } } } }',
      1 + 100 * (1 + 1 + 2) + 3000,
    ],
    [
      'usage: one metrics LIST per operation',
      '{ a: nodes(first: 10) { nodes { usage { window } } } b: nodes(first: 10) { nodes { usage { window } } } }',
      2 * (1 + 10 * (1 + 2)) + 1000,
    ],
    [
      'events: one LIST per node',
      '{ nodes(first: 10) { nodes { events(first: 5) { totalCount } } } }',
      1 + 10 * (1 + 1000 + 1),
    ],
    [
      'ordering by pod count costs the pod LIST',
      '{ nodes(first: 10, orderBy: { field: POD_COUNT }) { nodes { name } } }',
      1 + 10 + 1000,
    ],
    [
      'ordering by allocated and selecting podCount: one full-pod chain',
      '{ nodes(first: 10, orderBy: { field: CPU_REQUESTS_FRACTION }) { nodes { podCount } } }',
      1 + 10 * 2 + 3000,
    ],
    [
      'filtering by usage costs the metrics LIST',
      '{ nodes(first: 10, filter: { cpuUsageFraction: { min: 0.5 } }) { nodes { name } } }',
      1 + 10 + 1000,
    ],
    ['drainNode is expensive', 'mutation { drainNode(name: "a") { id } }', 10_001],
    ['introspection is free', '{ __schema { types { name fields { name } } } }', 0],
    ['__typename is free', '{ __typename }', 0],
  ])('%s', (_, query, expected) => {
    expect(cost(query)).toBe(expected);
  });

  it('a computed orderBy in a variable costs its call', () => {
    const q = 'query Q($o: NodeOrder) { nodes(first: 10, orderBy: $o) { nodes { name } } }';
    expect(cost(q, { o: { field: 'MEMORY_USAGE_FRACTION' } })).toBe(1 + 10 + 1000);
    expect(cost(q, { o: { field: 'NAME' } })).toBe(1 + 10);
  });

  it.each([
    [{ first: 5 }, 1 + 5],
    [{ first: 2147483647 }, 1 + 1000],
    [{ first: -1 }, 1],
    [{ first: null }, 1 + 1000],
    [{}, 1 + 1000],
  ])('first from variables %j', (variables, expected) => {
    expect(cost('query Q($first: Int) { nodes(first: $first) { nodes { name } } }', variables)).toBe(
      expected,
    );
  });

  it('uses a variable default when the variable is not given', () => {
    expect(cost('query Q($first: Int = 7) { nodes(first: $first) { nodes { name } } }')).toBe(1 + 7);
  });

  it('counts fragments where they are spread, and survives a fragment cycle', () => {
    const query =
      'query { nodes(first: 3) { nodes { ...F } } } fragment F on KubeNode { name labels { key } }';
    expect(cost(query)).toBe(1 + 3 * (1 + 10));
    const cyclic =
      'query { nodeByName(name: "a") { ...A } } fragment A on KubeNode { ...B } fragment B on KubeNode { ...A name }';
    expect(cost(cyclic)).toBe(1);
  });

  it('prices the pods of every node above the default --max-cost', () => {
    expect(cost('{ nodes { nodes { pods { totalCount } } } }')).toBeGreaterThan(100_000);
    expect(cost('{ drainJobs(first: 1000) { events(first: 1000) { sequence } } }')).toBeGreaterThan(100_000);
  });

  it('names only fields of the schema', () => {
    for (const coordinate of Object.keys(FIELD_COSTS)) {
      const [type, field] = coordinate.split('.') as [string, string];
      const named = schema.getType(type);
      expect(named && 'getFields' in named ? Object.keys(named.getFields()) : [], coordinate).toContain(
        field,
      );
    }
  });
});

describe('ByteBoundedCache', () => {
  it('evicts the least recently used entries past its byte budget', () => {
    const cache = new ByteBoundedCache<number>(10);
    cache.set('aaaa', 1);
    cache.set('bbbb', 2);
    cache.get('aaaa');
    cache.set('cccc', 3);
    expect([cache.get('aaaa'), cache.get('bbbb'), cache.get('cccc')]).toEqual([1, undefined, 3]);
    expect(cache.totalBytes).toBe(8);
    cache.set('x'.repeat(11), 4);
    expect(cache.size).toBe(2);
  });
});
