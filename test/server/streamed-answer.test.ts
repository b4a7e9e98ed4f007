import { execute, type GraphQLResolveInfo, parse } from 'graphql';
import { createSchema } from 'graphql-yoga';
import { describe, expect, it } from 'vitest';
import { AnswerSliceQueue } from '../../src/server/answer-slice-queue.js';
import { ListSliceExecutor } from '../../src/server/list-slice-executor.js';
import { streamedAnswerBody } from '../../src/server/streamed-answer.js';
import { StreamedLists } from '../../src/server/streamed-lists.js';

const schema = createSchema<{ lists: StreamedLists }>({
  typeDefs: /* GraphQL */ `
    type Query {
      a: [Item!]!
      b: [Item!]!
    }
    type Item {
      n: Int!
    }
  `,
  resolvers: {
    Query: {
      a: (_: unknown, _args: unknown, ctx: { lists: StreamedLists }, info: GraphQLResolveInfo) =>
        offered(ctx.lists, info, 64),
      b: (_: unknown, _args: unknown, ctx: { lists: StreamedLists }, info: GraphQLResolveInfo) =>
        offered(ctx.lists, info, 100),
    },
  },
});

function offered(lists: StreamedLists, info: GraphQLResolveInfo, size: number) {
  const items = Array.from({ length: size }, (_, n) => ({ n }));
  return lists.offer(info, size, (from, to) => items.slice(from, to)) ? [] : items;
}

async function bodyText(stream: ReadableStream<Uint8Array>): Promise<{ text: string; chunks: number }> {
  let text = '';
  let chunks = 0;
  const decoder = new TextDecoder();
  for await (const chunk of stream) {
    chunks++;
    text += decoder.decode(chunk, { stream: true });
  }
  return { text, chunks };
}

describe('streamedAnswerBody', () => {
  it('ends whatever the slice budget: a pull that only passes a list boundary still yields a chunk', async () => {
    for (const jit of [true, false]) {
      const lists = new StreamedLists(10);
      const context = { lists, responseExtensions: {} };
      const result = await execute({ schema, document: parse('{ a { n } b { n } }'), contextValue: context });
      lists.close();
      // A budget of 0 ms: every pull does one step, so some pulls only move past the end of a list.
      const { text, chunks } = await bodyText(
        streamedAnswerBody({
          envelope: { data: result.data },
          lists: lists.lists,
          executor: new ListSliceExecutor(jit),
          context,
          variables: {},
          queue: new AnswerSliceQueue(0),
        }),
      );
      const numbers = (size: number) => Array.from({ length: size }, (_, n) => ({ n }));
      expect(text).toBe(JSON.stringify({ data: { a: numbers(64), b: numbers(100) } }));
      expect(chunks).toBeGreaterThan(2);
    }
  });
});
