/** The content codings the gateway produces, in the order it prefers them when q-values tie. */
export type ContentCoding = 'br' | 'gzip';

/**
 * The coding to answer with, per RFC 9110 §12.5.3: q-values decide, `q=0` refuses, `*` stands for
 * every coding not named, `identity` (or nothing acceptable) means an uncompressed answer. A header
 * is at most a few entries from real clients; longer ones are read only up to MAX_ENTRIES.
 */
export function negotiateContentCoding(
  header: string | null | undefined,
  offered: readonly ContentCoding[],
): ContentCoding | undefined {
  if (!header) return undefined;
  const weights = new Map<string, number>();
  for (const entry of header.split(',', MAX_ENTRIES)) {
    const [name = '', ...params] = entry.split(';');
    const coding = name.trim().toLowerCase();
    if (coding === '') continue;
    let q = 1;
    for (const param of params) {
      const [key, value] = param.split('=', 2).map((s) => s.trim());
      if (key?.toLowerCase() === 'q') q = qValue(value);
    }
    weights.set(coding, q);
  }
  let best: ContentCoding | undefined;
  let bestQ = 0;
  for (const coding of offered) {
    const q = weights.get(coding) ?? weights.get('*') ?? 0;
    if (q > bestQ) {
      best = coding;
      bestQ = q;
    }
  }
  return best;
}

const MAX_ENTRIES = 16;

/** A malformed q-value counts as refusal: guessing a coding the client did not ask for is worse. */
function qValue(value: string | undefined): number {
  if (value === undefined || !/^(0(\.\d{0,3})?|1(\.0{0,3})?)$/.test(value)) return 0;
  return Number(value);
}
