import { describe, expect, it } from 'vitest';
import { readTableCell, UNREADABLE_ROW } from '../../src/clusters/table-row-cell.js';

const read = (text: string, column: number) => readTableCell(Buffer.from(text, 'utf8'), column);

/** What the parsed row gives, as readTableCell answers it (a string cell, else undefined). */
function parsedCell(text: string, column: number): string | undefined {
  const cell = (JSON.parse(text) as { cells?: unknown[] } | null)?.cells?.[column];
  return typeof cell === 'string' ? cell : undefined;
}

describe('readTableCell', () => {
  const row = '{"cells":["api-1","1/1","Running",0,"17d","10.0.0.1","node-7","<none>","<none>"]}';

  it('reads the wanted cell of a row as JSON.parse would', () => {
    expect(read(row, 6)).toBe('node-7');
    expect(read(row, 0)).toBe('api-1');
    expect(read(row, 8)).toBe('<none>');
  });

  it('answers undefined for a cell that is not a string or not there', () => {
    expect(read(row, 3)).toBeUndefined();
    expect(read(row, 9)).toBeUndefined();
    expect(read('{"cells":[]}', 0)).toBeUndefined();
    expect(read('{"object":null}', 0)).toBeUndefined();
    expect(read('{}', 0)).toBeUndefined();
  });

  // Every column of these rows reads; an escaped cell (the one below) is left to JSON.parse.
  it.each([
    ['whitespace everywhere', ' {\n "cells" : [ "a" ,\t"n-1" ] , "object" : null }\n'],
    [
      'other members around cells',
      '{"conditions":[{"type":"Completed","status":"False"}],"cells":["a","n-2"],"object":{"kind":"x","m":{"a":["]","}"]}}}',
    ],
    ['a repeated cells key (the last one wins)', '{"cells":["a","first"],"cells":["a","second"]}'],
    ['nested arrays and objects in other cells', '{"cells":[[1,[2]],{"a":"}"},"n-3"]}'],
    ['non-ASCII names', '{"cells":["a","nöde-ü-😀"]}'],
    ['numbers, booleans and null cells', '{"cells":[-1.5e3,true,null,"n-5"]}'],
  ])('agrees with JSON.parse: %s', (_name, text) => {
    for (let column = 0; column < 5; column++) expect(read(text, column)).toEqual(parsedCell(text, column));
  });

  it('reads past escapes in the cells it skips', () => {
    const text = '{"cells":["a \\"quoted\\" \\\\ ]},",{"k":"\\"}"},"n-4"]}';
    expect(read(text, 2)).toBe('n-4');
    expect(parsedCell(text, 2)).toBe('n-4');
    expect(read(text, 0)).toBe(UNREADABLE_ROW);
  });

  it.each([
    ['a truncated row', '{"cells":["a","n-1"'],
    ['an unclosed string', '{"cells":["a","n-1]}'],
    ['a row that is not an object', '["a","n-1"]'],
    ['cells that are not an array', '{"cells":"n-1"}'],
    ['an escaped wanted cell', '{"cells":["a","n\\u002d1"]}'],
    ['an escaped key', '{"c\\u0065lls":["a","n-1"]}'],
    ['a missing colon', '{"cells" ["a","n-1"]}'],
    ['a missing comma', '{"cells":["a" "n-1"]}'],
    ['trailing bytes', '{"cells":["a","n-1"]} x'],
    ['an empty input', ''],
    ['a bare key', '{"cells"}'],
    ['an empty value', '{"cells":["a",,"n-1"]}'],
  ])('leaves %s to JSON.parse (UNREADABLE_ROW)', (_name, text) => {
    expect(read(text, 1)).toBe(UNREADABLE_ROW);
  });
});
