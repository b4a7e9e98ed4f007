import { describe, expect, it } from 'vitest';
import { JsonListSplitter } from '../../src/clusters/json-list-splitter.js';

interface Split {
  members: Record<string, unknown>;
  elements: [string, unknown][];
}

function split(text: string, chunkSizes: (i: number) => number): Split {
  const out: Split = { members: {}, elements: [] };
  const splitter = new JsonListSplitter(new Set(['items', 'rows']), {
    onMember: (key, value) => {
      out.members[key] = value;
    },
    onElement: (key, value) => {
      out.elements.push([key, value]);
    },
  });
  const bytes = Buffer.from(text, 'utf8');
  for (let at = 0, n = 0; at < bytes.length; n++) {
    const size = Math.max(1, chunkSizes(n));
    splitter.write(bytes.subarray(at, at + size));
    at += size;
  }
  splitter.end();
  return out;
}

const tricky = {
  kind: 'PodList',
  apiVersion: 'v1',
  metadata: { continue: 'eyJ2Ijoi\\"quoted\\"', resourceVersion: '42' },
  count: -12.5e3,
  flag: true,
  nothing: null,
  other: [[1, 2], { items: [9] }],
  items: [
    { metadata: { name: 'a"b\\', annotations: { 'x/y': '}{][,:' } }, spec: { nodeName: 'nöde-ü-😀' } },
    'a string element, with ] and }',
    17,
    [1, [2, { z: '\\\\' }]],
    {},
    false,
  ],
  rows: [],
  tail: 'end',
};

describe('JsonListSplitter', () => {
  const cases: [string, (i: number) => number][] = [
    ['one chunk', () => 1 << 20],
    ['one byte per chunk', () => 1],
    ['chunks of 3', () => 3],
    ['chunks of varying size', (i) => (i * 7919) % 13],
  ];
  it.each(cases)('splits members and elements exactly as JSON.parse sees them (%s)', (_name, sizes) => {
    const result = split(JSON.stringify(tricky, null, 1), sizes);
    const { items, rows, ...members } = tricky;
    expect(result.members).toEqual(members);
    expect(result.elements).toEqual(items.map((v) => ['items', v]));
    expect(rows).toEqual([]);
  });

  it('hands out a Table page row by row with column definitions as a member', () => {
    const table = {
      kind: 'Table',
      columnDefinitions: [{ name: 'Name' }, { name: 'Node' }],
      rows: [{ cells: ['p1', 'n1'] }, { cells: ['p2', 'n2'] }],
    };
    const result = split(JSON.stringify(table), () => 5);
    expect(result.members.columnDefinitions).toEqual(table.columnDefinitions);
    expect(result.elements.map(([, v]) => v)).toEqual(table.rows);
  });

  it('rejects a document that ends early', () => {
    expect(() => split('{"kind":"PodList","items":[{"a":1}', () => 4)).toThrow(SyntaxError);
  });

  it('rejects a top level that is not an object', () => {
    expect(() => split('[1,2]', () => 10)).toThrow(SyntaxError);
  });

  it('rejects a malformed element through JSON.parse', () => {
    expect(() => split('{"items":[{"a":1,}]}', () => 100)).toThrow(SyntaxError);
  });
});
