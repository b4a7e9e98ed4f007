import fc from 'fast-check';
import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import type { NodeOrderField } from '../../src/informers/node-cache.js';
import { NodeCache } from '../../src/informers/node-cache.js';
import { projectNode } from '../../src/informers/node-projection.js';
import { encodeNodeCursor, NodeQueryError, pageOfNodes } from '../../src/informers/node-query.js';
import { decodePodCursor, podCursor } from '../../src/pods/pod-projection.js';
import { decodeAfter } from '../../src/resolvers/connection.js';
import { rawNode } from '../informers/fixtures.js';

const nameChar = fc.constantFrom(...'abz019-.');
const nodeName = fc.array(nameChar, { minLength: 1, maxLength: 12 }).map((c) => `n${c.join('')}`);
const createdAt = fc
  .date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true })
  .map((d) => d.toISOString().replace(/\.\d{3}Z$/, 'Z'));
const nodes = fc.uniqueArray(fc.tuple(nodeName, createdAt), {
  minLength: 1,
  maxLength: 30,
  selector: ([n]) => n,
});
const field = fc.constantFrom<NodeOrderField>('NAME', 'CREATED_AT');
/** What a client might send as a cursor: anything, base64 of anything, or a real cursor's neighbours. */
const junkCursor = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 100 }).map((s) => Buffer.from(s).toString('base64url')),
  fc.constantFrom('', '.', '..', '%2F', 'bgBub2Rl', 'YwB4', '\u0000', 'x'.repeat(10_000)),
);

function cacheOf(entries: readonly (readonly [string, string])[]) {
  const cache = new NodeCache();
  cache.replace(
    entries.map(([name, created]) => {
      const raw = rawNode(name);
      raw.metadata!.creationTimestamp = created;
      return projectNode(raw, 'c');
    }),
    { silent: true },
  );
  return cache;
}

describe('node cursors', () => {
  it('a cursor leads to the page right after its node, in either direction', () => {
    fc.assert(
      fc.property(nodes, field, fc.nat(), fc.boolean(), (entries, f, pick, desc) => {
        const view = cacheOf(entries).sorted(f);
        const order = { field: f, direction: desc ? ('DESC' as const) : ('ASC' as const) };
        const all = pageOfNodes({ view, order }).nodes;
        const i = pick % all.length;
        const after = encodeNodeCursor(all[i]!, f);
        expect(pageOfNodes({ view, order, after }).nodes.map((n) => n.name)).toEqual(
          all.slice(i + 1).map((n) => n.name),
        );
      }),
    );
  });

  it('any other text is a NodeQueryError quoting at most ~100 characters, never a crash', () => {
    const view = cacheOf([['n1', '2026-01-01T00:00:00Z']]).sorted('NAME');
    fc.assert(
      fc.property(junkCursor, field, (after, f) => {
        try {
          pageOfNodes({ view: f === 'NAME' ? view : [], order: { field: f, direction: 'ASC' }, after });
        } catch (err) {
          expect(err).toBeInstanceOf(NodeQueryError);
          expect((err as Error).message.length).toBeLessThan(400);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('pod cursors and decodeAfter', () => {
  it('decode(encode(pod)) is the pod', () => {
    const label = fc
      .array(fc.constantFrom(...'ab09-'), { minLength: 1, maxLength: 20 })
      .map((c) => `p${c.join('')}`);
    fc.assert(
      fc.property(label, fc.string({ maxLength: 60 }), (namespace, name) => {
        expect(decodeAfter(podCursor({ namespace, name }), decodePodCursor)).toEqual({ namespace, name });
      }),
    );
  });

  it('any text decodes to a key or is BAD_USER_INPUT on `after`, quoting at most ~100 characters', () => {
    const never = () => undefined;
    fc.assert(
      fc.property(junkCursor, (after) => {
        try {
          decodeAfter(after, decodePodCursor);
          decodeAfter(after, never);
          expect.unreachable();
        } catch (err) {
          expect(err).toBeInstanceOf(GraphQLError);
          expect((err as GraphQLError).extensions).toMatchObject({
            code: 'BAD_USER_INPUT',
            argument: 'after',
          });
          expect((err as GraphQLError).message.length).toBeLessThan(300);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
