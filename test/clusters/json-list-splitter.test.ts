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

  it.each(cases)('hands out elements as their bytes when the handler takes bytes (%s)', (_name, sizes) => {
    const text = JSON.stringify(tricky, null, 1);
    const members: Record<string, unknown> = {};
    const elements: [string, unknown][] = [];
    const splitter = new JsonListSplitter(new Set(['items', 'rows']), {
      onMember: (key, value) => {
        members[key] = value;
      },
      onElement: () => {
        throw new Error('onElementBytes takes precedence');
      },
      // Parsed at once: the bytes are a view valid only during the call.
      onElementBytes: (key, bytes) => void elements.push([key, JSON.parse(bytes.toString('utf8'))]),
    });
    const bytes = Buffer.from(text, 'utf8');
    for (let at = 0, n = 0; at < bytes.length; n++) {
      const size = Math.max(1, sizes(n));
      splitter.write(bytes.subarray(at, at + size));
      at += size;
    }
    splitter.end();
    const { items, rows: _rows, ...rest } = tricky;
    expect(members).toEqual(rest);
    expect(elements).toEqual(items.map((v) => ['items', v]));
  });

  it("gives an element's exact bytes, also when it spans chunks", () => {
    const row = '{"cells":["p \\"1\\"","n]1"]}';
    const seen: string[] = [];
    const splitter = new JsonListSplitter(new Set(['rows']), {
      onMember() {},
      onElement() {},
      onElementBytes: (_key, bytes) => void seen.push(bytes.toString('utf8')),
    });
    const text = Buffer.from(`{"kind":"Table","rows":[${row}, ${row}]}`);
    splitter.write(text.subarray(0, 30));
    splitter.write(text.subarray(30));
    splitter.end();
    expect(seen).toEqual([row, row]);
  });

  it.each([
    '{"kind":"PodList","items":[{"a":1}',
    '{"kind":"PodList","items":[{"a":"b',
    '{"kind":"PodList","metadata":{"continue":"x"',
    '{"kind":"PodList","items":[{"a":1}]',
    '',
  ])('rejects a document that ends early: %s', (text) => {
    expect(() => split(text, () => 4)).toThrow(SyntaxError);
  });

  it('rejects a top level that is not an object', () => {
    expect(() => split('[1,2]', () => 10)).toThrow(SyntaxError);
  });

  it('rejects a malformed element through JSON.parse', () => {
    expect(() => split('{"items":[{"a":1,}]}', () => 100)).toThrow(SyntaxError);
  });
});
