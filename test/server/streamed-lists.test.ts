import type { GraphQLResolveInfo } from 'graphql';
import { createSchema } from 'graphql-yoga';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayContext } from '../../src/server/context.js';
import { streamableList } from '../../src/server/streamed-lists.js';
import { startGateway, type TestGateway } from '../support/start-gateway.js';
import { tempDir } from '../support/temp-dir.js';
import { rawRequest } from './raw-http.js';
import { writeUnreachableKubeconfig } from './unreachable-kubeconfig.js';

interface Item {
  n: number;
}

/** Lists of `size` items that offer themselves for streaming, and items that fail on purpose. */
function boxSchema() {
  const items = (size: number) => Array.from({ length: size }, (_, n): Item => ({ n }));
  const list =
    (size: number) => (_: unknown, _args: unknown, ctx: GatewayContext, info: GraphQLResolveInfo) =>
      streamableList(ctx, info, items(size));
  return createSchema<GatewayContext>({
    typeDefs: /* GraphQL */ `
      type Query {
        box(size: Int!): Box
      }
      type Box {
        label: String!
        items: [Item!]!
        more: [Item!]!
        failing: String!
      }
      input Tag {
        prefix: String!
      }
      type Item {
        n: Int!
        tag(tag: Tag!): String!
        boom: String
        strict: String!
      }
    `,
    resolvers: {
      Query: { box: (_: unknown, { size }: { size: number }) => ({ size }) },
      Box: {
        label: () => 'box',
        items: (box: { size: number }, args: unknown, ctx: GatewayContext, info: GraphQLResolveInfo) =>
          list(box.size)(box, args, ctx, info),
        more: (box: { size: number }, args: unknown, ctx: GatewayContext, info: GraphQLResolveInfo) =>
          list(box.size * 2)(box, args, ctx, info),
        failing: () => {
          throw new Error('box failed');
        },
      },
      Item: {
        tag: (item: Item, { tag }: { tag: { prefix: string } }) => `${tag.prefix}-${item.n}`,
        boom: (item: Item) => {
          if (item.n === 7) throw new Error('internal detail that must not leak');
          return 'ok';
        },
        strict: (item: Item) => {
          if (item.n === 3) throw new Error('strict failed');
          return 'ok';
        },
      },
    },
  });
}

describe('use-streamed-lists: long lists executed and written in slices', () => {
  let streaming: TestGateway;
  let whole: TestGateway;
  let dir: Awaited<ReturnType<typeof tempDir>>;

  beforeAll(async () => {
    dir = await tempDir();
    const kubeconfigPath = await writeUnreachableKubeconfig(dir.path);
    [streaming, whole] = await Promise.all([
      startGateway({ kubeconfigPath, schema: boxSchema(), config: { streamListsOver: 10 } }),
      startGateway({ kubeconfigPath, schema: boxSchema(), config: { streamListsOver: 0 } }),
    ]);
  });

  afterAll(async () => {
    await Promise.all([streaming?.stop(), whole?.stop()]);
    await dir?.cleanup();
  });

  const post = (gateway: TestGateway, query: string, variables = {}, accept = 'application/json') =>
    rawRequest(gateway.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept },
      body: JSON.stringify({ query, variables }),
    });

  it('writes the same bytes as the whole answer: two lists, variables, fragments, @include', async () => {
    const query = /* GraphQL */ `
      query Box($tag: Tag!, $withN: Boolean!) {
        box(size: 300) {
          label
          first: items { ...Tagged }
          more { n @include(if: $withN) }
        }
      }
      fragment Tagged on Item { n tag(tag: $tag) }
    `;
    const variables = { tag: { prefix: 'x' }, withN: true };
    const [streamed, before] = [await post(streaming, query, variables), await post(whole, query, variables)];
    expect(streamed.headers['transfer-encoding']).toBe('chunked');
    expect(before.headers['content-length']).toBeDefined();
    expect(streamed.status).toBe(200);
    expect(streamed.body).toBe(before.body);
    expect(JSON.parse(streamed.body).data.box.more).toHaveLength(600);
  });

  it('leaves short lists and multipart answers to the usual path', async () => {
    const short = await post(streaming, '{ box(size: 10) { items { n } } }');
    expect(short.headers['content-length']).toBeDefined();
    const multipart = await post(streaming, '{ box(size: 50) { items { n } } }', {}, 'multipart/mixed');
    expect(multipart.headers['transfer-encoding']).toBe('chunked');
    expect(multipart.body).toContain(
      JSON.stringify({ items: Array.from({ length: 50 }, (_, n) => ({ n })) }),
    );
  });

  it("places an item's error at its path, masked like any unexpected error", async () => {
    const query = '{ box(size: 50) { items { n boom } } }';
    const streamed = JSON.parse((await post(streaming, query)).body);
    const before = JSON.parse((await post(whole, query)).body);
    expect(streamed).toEqual(before);
    expect(streamed.errors).toEqual([
      expect.objectContaining({ message: 'Unexpected error.', path: ['box', 'items', 7, 'boom'] }),
    ]);
    expect(streamed.data.box.items[7]).toEqual({ n: 7, boom: null });
  });

  it('hostile: a failing non-null item field nulls that item only; a nulled parent drops its lists', async () => {
    const strict = JSON.parse((await post(streaming, '{ box(size: 50) { items { n strict } } }')).body);
    expect(strict.data.box.items).toHaveLength(50);
    expect(strict.data.box.items[3]).toBeNull();
    expect(strict.errors.map((e: { path: unknown }) => e.path)).toEqual([['box', 'items', 3, 'strict']]);

    const nulled = await post(streaming, '{ box(size: 50) { items { n } failing } }');
    expect(JSON.parse(nulled.body)).toEqual({
      data: { box: null },
      errors: [expect.objectContaining({ path: ['box', 'failing'] })],
    });
  });
});
