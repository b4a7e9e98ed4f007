import { describe, expect, it } from 'vitest';
import {
  addQuantity,
  formatQuantity,
  milliValue,
  parseQuantity,
  type Quantity,
  unitValue,
} from '../../src/pods/quantity.js';

const q = (text: string): Quantity => {
  const parsed = parseQuantity(text);
  if (!parsed) throw new Error(`not a quantity: ${text}`);
  return parsed;
};
const sum = (...texts: string[]) => texts.map(q).reduce(addQuantity);

describe('quantities as apimachinery computes and prints them', () => {
  it.each([
    ['100m', '100m'],
    ['1.5', '1500m'],
    ['2', '2'],
    ['0.25', '250m'],
    ['1Gi', '1Gi'],
    ['1024Mi', '1Gi'],
    ['1536Mi', '1536Mi'],
    ['500M', '500M'],
    ['1500000000', '1500M'],
    ['123456789n', '123456789n'],
    ['1e3', '1e3'],
    ['0', '0'],
    ['512', '512'],
  ])('%s prints as %s', (text, printed) => {
    expect(formatQuantity(q(text))).toBe(printed);
  });

  it('a sum keeps the format of its first non-zero addend; inexact binary falls back to decimal', () => {
    expect(formatQuantity(sum('0', '256Mi', '500M'))).toBe('768435456');
    expect(formatQuantity(sum('256Mi', '256Mi'))).toBe('512Mi');
    expect(formatQuantity(sum('500M', '256Mi'))).toBe('768435456');
    expect(formatQuantity(sum('100m', '900m', '1'))).toBe('2');
    expect(formatQuantity(sum('0', '1Ki'))).toBe('1Ki');
  });

  it('MilliValue and Value round up', () => {
    expect(milliValue(q('1n'))).toBe(1);
    expect(milliValue(q('2500m'))).toBe(2500);
    expect(unitValue(q('1500m'))).toBe(2);
    expect(unitValue(q('1Ki'))).toBe(1024);
  });

  it('refuses what is not a quantity', () => {
    for (const text of ['', 'abc', '1.2.3', '5Xi', '--1', '1e999'])
      expect(parseQuantity(text)).toBeUndefined();
  });
});
