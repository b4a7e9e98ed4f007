/**
 * Kubernetes resource quantities (k8s.io/apimachinery/pkg/api/resource) as exact values, so sums
 * and their printed form equal what kubectl computes: a value is a bigint of nano units (the
 * finest scale a Quantity keeps; finer input is rounded up, as ParseQuantity does), plus the
 * format of the string it was read from, which decides how a sum is printed.
 */

/** How a quantity prints: 1.5Gi (BinarySI), 1500m (DecimalSI) or 15e-1 (DecimalExponent). */
export type QuantityFormat = 'BinarySI' | 'DecimalSI' | 'DecimalExponent';

export interface Quantity {
  /** The value in units of 10^-9. */
  readonly nanos: bigint;
  readonly format: QuantityFormat;
}

const NANO = 1_000_000_000n;

export const ZERO_QUANTITY: Quantity = { nanos: 0n, format: 'DecimalSI' };

const BINARY: Readonly<Record<string, number>> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const DECIMAL: Readonly<Record<string, number>> = {
  n: -9,
  u: -6,
  m: -3,
  '': 0,
  k: 3,
  M: 6,
  G: 9,
  T: 12,
  P: 15,
  E: 18,
};
const QUANTITY = /^([+-]?(?:\d+\.?\d*|\.\d+))(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\d+)?$/;

/** Parses a quantity string; undefined when it is not one. */
export function parseQuantity(text: string): Quantity | undefined {
  const match = QUANTITY.exec(text.trim());
  if (!match) return undefined;
  const [, number = '', suffix = ''] = match;
  const negative = number.startsWith('-');
  const digits = number.replace(/^[+-]/, '');
  const [whole = '', fraction = ''] = digits.split('.');
  // mantissa * 10^exp10 * 2^exp2 is the value.
  const mantissa = BigInt((whole || '0') + fraction);
  let exp10 = -fraction.length;
  let exp2 = 0;
  let format: QuantityFormat = 'DecimalSI';
  if (suffix in BINARY) {
    exp2 = BINARY[suffix]!;
    format = 'BinarySI';
  } else if (suffix in DECIMAL) exp10 += DECIMAL[suffix]!;
  else {
    exp10 += Number(suffix.slice(1));
    format = 'DecimalExponent';
  }
  if (Math.abs(exp10) > 60) return undefined;
  let nanos = mantissa * 2n ** BigInt(exp2);
  const scale = exp10 + 9;
  if (scale >= 0) nanos *= 10n ** BigInt(scale);
  else {
    const divisor = 10n ** BigInt(-scale);
    nanos = nanos / divisor + (nanos % divisor === 0n ? 0n : 1n); // rounded up, like ParseQuantity
  }
  return { nanos: negative ? -nanos : nanos, format };
}

/** A + B; the sum keeps the format of the first non-zero addend (Quantity.Add). */
export function addQuantity(a: Quantity, b: Quantity): Quantity {
  return { nanos: a.nanos + b.nanos, format: a.nanos === 0n ? b.format : a.format };
}

/** The larger of the two; `a` when they are equal (maxResourceList keeps what it has). */
export function maxQuantity(a: Quantity, b: Quantity): Quantity {
  return b.nanos > a.nanos ? b : a;
}

/** Quantity.MilliValue(): thousandths, rounded up. */
export function milliValue(q: Quantity): number {
  return Number(ceilDiv(q.nanos, 1_000_000n));
}

/** Quantity.Value(): whole units, rounded up. */
export function unitValue(q: Quantity): number {
  return Number(ceilDiv(q.nanos, NANO));
}

function ceilDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a > 0n ? q + 1n : q;
}

const DECIMAL_SUFFIX: Readonly<Record<number, string>> = {
  [-9]: 'n',
  [-6]: 'u',
  [-3]: 'm',
  0: '',
  3: 'k',
  6: 'M',
  9: 'G',
  12: 'T',
  15: 'P',
  18: 'E',
};
const BINARY_SUFFIX = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];

/** Quantity.String(): the canonical form kubectl prints, e.g. 1500m, 256Mi, 768435456. */
export function formatQuantity(q: Quantity): string {
  if (q.nanos === 0n) return '0';
  const negative = q.nanos < 0n;
  const abs = negative ? -q.nanos : q.nanos;
  const sign = negative ? '-' : '';
  let format = q.format;
  if (format === 'BinarySI' && (abs < 1024n * NANO || abs % NANO !== 0n)) format = 'DecimalSI';
  if (format === 'BinarySI') {
    let value = abs / NANO;
    let exponent = 0;
    while (exponent < 6 && value % 1024n === 0n) {
      value /= 1024n;
      exponent++;
    }
    return `${sign}${value}${BINARY_SUFFIX[exponent]}`;
  }
  let mantissa = abs;
  let exponent = -9;
  while (mantissa % 10n === 0n) {
    mantissa /= 10n;
    exponent++;
  }
  const rest = ((exponent % 3) + 3) % 3;
  mantissa *= 10n ** BigInt(rest);
  exponent -= rest;
  if (format === 'DecimalExponent') return `${sign}${mantissa}${exponent === 0 ? '' : `e${exponent}`}`;
  const suffix = DECIMAL_SUFFIX[exponent];
  return `${sign}${mantissa}${suffix ?? `e${exponent}`}`;
}
