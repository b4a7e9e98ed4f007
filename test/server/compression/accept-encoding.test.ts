import { describe, expect, it } from 'vitest';
import { negotiateContentCoding } from '../../../src/server/compression/accept-encoding.js';

describe('negotiateContentCoding', () => {
  const offered = ['br', 'gzip'] as const;

  it.each([
    ['gzip, deflate, br', 'br'],
    ['gzip', 'gzip'],
    ['br;q=0.5, gzip', 'gzip'],
    ['GZIP', 'gzip'],
    ['*', 'br'],
    ['*;q=0.3, br;q=0', 'gzip'],
    ['gzip;q=1.000', 'gzip'],
  ])('%s -> %s', (header, expected) => {
    expect(negotiateContentCoding(header, offered)).toBe(expected);
  });

  it.each([
    [undefined],
    [''],
    ['identity'],
    ['deflate'],
    ['gzip;q=0, br;q=0'],
    ['*;q=0'],
    // Malformed q-values count as refusal rather than a guess.
    ['gzip;q=2'],
    ['gzip;q=abc'],
    ['br;q=-1'],
  ])('%s -> uncompressed', (header) => {
    expect(negotiateContentCoding(header, offered)).toBeUndefined();
  });

  it('reads a hostile header of 100,000 entries only up to its bound', () => {
    const header = `${'x, '.repeat(100_000)}gzip`;
    expect(negotiateContentCoding(header, offered)).toBeUndefined();
  });
});
