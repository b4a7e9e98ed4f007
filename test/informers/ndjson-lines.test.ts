import { describe, expect, it } from 'vitest';
import { LineSplitter } from '../../src/informers/ndjson-lines.js';

describe('LineSplitter', () => {
  it('yields lines as chunks complete them, whatever the chunk boundaries', () => {
    const splitter = new LineSplitter();
    expect(splitter.push('{"a":')).toEqual([]);
    expect(splitter.push('1}\n{"b":2}\n\n{"c"')).toEqual(['{"a":1}', '{"b":2}']);
    expect(splitter.push(':3}')).toEqual([]);
    expect(splitter.flush()).toEqual(['{"c":3}']);
  });

  it('refuses to buffer a line without end', () => {
    const splitter = new LineSplitter(10);
    expect(() => splitter.push('x'.repeat(11))).toThrow(/longer than 10/);
  });
});
