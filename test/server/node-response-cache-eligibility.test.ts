import SchemaBuilder from '@pothos/core';
import { createYoga } from 'graphql-yoga';
import { describe, expect, it } from 'vitest';
import { FROM_NODE_CACHE } from '../../src/schema/from-node-cache.js';
import { useNodeResponseCache } from '../../src/server/use-node-response-cache.js';

/**
 * Eligibility comes from the schema's FROM_NODE_CACHE marks, not from a list kept in the
 * plugin: a scratch schema adds an API-backed field (unmarked) to a type whose other fields
 * are marked, and only operations that avoid it are answered from the cache.
 */
function scratchGateway() {
  const calls = { cached: 0, api: 0 };
  const builder = new SchemaBuilder({});
  const Thing = builder.objectRef<{ name: string }>('Thing').implement({
    fields: (t) => ({
      name: t.string({
        ...FROM_NODE_CACHE,
        resolve: (thing) => {
          calls.cached++;
          return thing.name;
        },
      }),
    }),
  });
  // Added later by "another module", as Node.podCount is: no mark, so never reused.
  builder.objectField(Thing, 'fromApi', (t) =>
    t.int({
      resolve: () => {
        calls.api++;
        return calls.api;
      },
    }),
  );
  builder.queryType({
    fields: (t) => ({
      things: t.field({ ...FROM_NODE_CACHE, type: [Thing], resolve: () => [{ name: 'a' }, { name: 'b' }] }),
    }),
  });
  const yoga = createYoga({
    schema: builder.toSchema(),
    plugins: [useNodeResponseCache({ version: 1, heartbeats: 1, defaultCluster: 'c' })],
    logging: false,
  });
  const post = async (query: string) => {
    const res = await yoga.fetch('http://scratch/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query }),
    });
    return (await res.json()) as { data: { things: { name: string; fromApi?: number }[] } };
  };
  return { calls, post };
}

describe('node response cache eligibility', () => {
  it('reuses an answer made only of marked fields', async () => {
    const { calls, post } = scratchGateway();
    await post('{ things { name } }');
    const second = await post('{ things { name } }');
    expect(second.data.things.map((t) => t.name)).toEqual(['a', 'b']);
    expect(calls.cached).toBe(2); // resolved once, for the first answer only
  });

  it('executes every time an operation selects a field added without the mark', async () => {
    const { calls, post } = scratchGateway();
    await post('{ things { name fromApi } }');
    const second = await post('{ things { name fromApi } }');
    expect(second.data.things.map((t) => t.fromApi)).toEqual([3, 4]);
    expect(calls.api).toBe(4);
  });
});
