import {
  BACKSLASH,
  CLOSE_ARRAY,
  CLOSE_OBJECT,
  COLON,
  COMMA,
  OPEN_ARRAY,
  OPEN_OBJECT,
  QUOTE,
} from './json-bytes.js';

/** readTableCell's answer for bytes it does not walk: parse those rows with JSON.parse instead. */
export const UNREADABLE_ROW: unique symbol = Symbol('unreadable Table row');

/**
 * The cell at `column` of one server-side Table row, read straight from the row's JSON bytes
 * (`{"cells":[…],"object":…}`) without parsing the row: a page of 500 rows then costs 500 short
 * strings instead of 500 object trees, which is most of what counting pods by node cost.
 *
 * Answers the cell when it is a string, undefined when the row has no such cell or it is not a
 * string (what `row.cells[column]` of the parsed row would give, `typeof` aside), and
 * UNREADABLE_ROW for anything it does not walk with certainty: bytes that are not one object,
 * a `cells` that is not an array, a key or the wanted cell written with escapes, broken
 * structure. Every top-level member is walked, so a repeated `cells` key ends as JSON.parse
 * would end it (the last one wins). Values it skips are checked for closed strings and
 * balanced brackets only; the caller's JSON.parse fallback is where malformed rows fail.
 */
export function readTableCell(row: Buffer, column: number): string | undefined | typeof UNREADABLE_ROW {
  const length = row.length;
  let i = skipSpace(row, 0, length);
  if (i === length || row[i] !== OPEN_OBJECT) return UNREADABLE_ROW;
  i = skipSpace(row, i + 1, length);
  let cell: string | undefined;
  if (i < length && row[i] !== CLOSE_OBJECT) {
    for (;;) {
      if (i === length || row[i] !== QUOTE) return UNREADABLE_ROW;
      const keyEnd = stringEnd(row, i, length);
      if (keyEnd < 0) return UNREADABLE_ROW;
      // An escaped key could spell `cells`: left to JSON.parse.
      for (let j = i + 1; j < keyEnd - 1; j++) if (row[j] === BACKSLASH) return UNREADABLE_ROW;
      const isCells = keyEnd - i === 7 && isCellsKey(row, i + 1);
      i = skipSpace(row, keyEnd, length);
      if (i === length || row[i] !== COLON) return UNREADABLE_ROW;
      i = skipSpace(row, i + 1, length);
      if (isCells) {
        if (i === length || row[i] !== OPEN_ARRAY) return UNREADABLE_ROW;
        i = cellsEnd(row, i, length, column);
        if (i < 0) return UNREADABLE_ROW;
        cell = wanted;
      } else {
        i = valueEnd(row, i, length);
        if (i < 0) return UNREADABLE_ROW;
      }
      i = skipSpace(row, i, length);
      if (i === length) return UNREADABLE_ROW;
      if (row[i] === COMMA) i = skipSpace(row, i + 1, length);
      else if (row[i] === CLOSE_OBJECT) break;
      else return UNREADABLE_ROW;
    }
  }
  return i < length && skipSpace(row, i + 1, length) === length ? cell : UNREADABLE_ROW;
}

/** The wanted cell of the last cellsEnd call (a return slot, so no object per row). */
let wanted: string | undefined;

/**
 * Walks the `cells` array whose bracket is at `from`; leaves the one string cell wanted in
 * `wanted`. Returns the index after the array, or -1 when it is not walkable.
 */
function cellsEnd(row: Buffer, from: number, length: number, column: number): number {
  wanted = undefined;
  let i = skipSpace(row, from + 1, length);
  if (i < length && row[i] === CLOSE_ARRAY) return i + 1;
  for (let index = 0; ; index++) {
    if (i === length) return -1;
    const end = valueEnd(row, i, length);
    if (end < 0) return -1;
    if (index === column && row[i] === QUOTE) {
      // An escaped cell is left to JSON.parse; names of Kubernetes objects never need escapes.
      for (let j = i + 1; j < end - 1; j++) if (row[j] === BACKSLASH) return -1;
      wanted = row.toString('utf8', i + 1, end - 1);
    }
    i = skipSpace(row, end, length);
    if (i === length) return -1;
    if (row[i] === COMMA) i = skipSpace(row, i + 1, length);
    else if (row[i] === CLOSE_ARRAY) return i + 1;
    else return -1;
  }
}

/** Index after the value that starts at `from` (< length), or -1 when it does not end in the bytes. */
function valueEnd(row: Buffer, from: number, length: number): number {
  const first = row[from];
  if (first === QUOTE) return stringEnd(row, from, length);
  if (first === OPEN_OBJECT || first === OPEN_ARRAY) return containerEnd(row, from, length);
  let i = from;
  while (i < length && !endsPrimitive(row[i]!)) i++;
  return i === from ? -1 : i;
}

/** Index after the string whose opening quote is at `from`, or -1 when it is not closed. */
function stringEnd(row: Buffer, from: number, length: number): number {
  for (let i = from + 1; i < length; i++) {
    const b = row[i];
    if (b === BACKSLASH) i++;
    else if (b === QUOTE) return i + 1;
  }
  return -1;
}

/** Index after the object or array opening at `from`, or -1 when its brackets do not balance. */
function containerEnd(row: Buffer, from: number, length: number): number {
  let depth = 0;
  for (let i = from; i < length; i++) {
    const b = row[i];
    if (b === QUOTE) {
      i = stringEnd(row, i, length) - 1;
      if (i < 0) return -1;
    } else if (b === OPEN_OBJECT || b === OPEN_ARRAY) depth++;
    else if ((b === CLOSE_OBJECT || b === CLOSE_ARRAY) && --depth === 0) return i + 1;
  }
  return -1;
}

/** Whether the five bytes at `at` spell `cells`. */
function isCellsKey(row: Buffer, at: number): boolean {
  return (
    row[at] === 0x63 &&
    row[at + 1] === 0x65 &&
    row[at + 2] === 0x6c &&
    row[at + 3] === 0x6c &&
    row[at + 4] === 0x73
  );
}

function endsPrimitive(b: number): boolean {
  return b === COMMA || b === CLOSE_ARRAY || b === CLOSE_OBJECT || isSpace(b);
}

function isSpace(b: number): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
}

function skipSpace(row: Buffer, from: number, length: number): number {
  let i = from;
  while (i < length && isSpace(row[i]!)) i++;
  return i;
}
