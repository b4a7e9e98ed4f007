/**
 * Relay global object ids: base64url of `<Typename>:<key part>/<key part>...`, each part
 * percent-encoded (encodeURIComponent), so a kubeconfig context named `arn:aws:eks:.../prod`
 * cannot shift the parts. Opaque to clients by contract; readable when decoded, for people.
 *
 * Each id has exactly one spelling: decoding refuses anything its own encoding would not have
 * produced (padding, `+`/`/` base64, `%41` for `A`), so a cache keyed by id never holds one
 * object twice.
 */

/** Longer ids are refused before decoding: a cluster name, namespace and pod name fit well inside. */
export const GLOBAL_ID_MAX_LENGTH = 2048;

const TYPENAME = /^[A-Z][A-Za-z0-9]*$/;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

export function encodeGlobalId(typename: string, key: readonly string[]): string {
  return Buffer.from(`${typename}:${key.map(encodeURIComponent).join('/')}`, 'utf8').toString('base64url');
}

export interface DecodedGlobalId {
  readonly typename: string;
  readonly key: readonly string[];
}

/** The typename and key parts of an id; a string saying what is wrong when it is not one. */
export function decodeGlobalId(id: string): DecodedGlobalId | string {
  if (id.length === 0) return 'must not be empty';
  if (id.length > GLOBAL_ID_MAX_LENGTH) return `must be no more than ${GLOBAL_ID_MAX_LENGTH} characters`;
  if (!BASE64URL.test(id)) return 'is not an id this gateway issued (not base64url)';
  const text = Buffer.from(id, 'base64url').toString('utf8');
  const colon = text.indexOf(':');
  const typename = colon < 0 ? '' : text.slice(0, colon);
  if (!TYPENAME.test(typename)) return 'is not an id this gateway issued (no type)';
  const parts = text.slice(colon + 1).split('/');
  const key: string[] = [];
  for (const part of parts) {
    try {
      key.push(decodeURIComponent(part));
    } catch {
      return 'is not an id this gateway issued (bad key encoding)';
    }
  }
  // The canonical spelling only (this also catches bytes that were not UTF-8).
  if (encodeGlobalId(typename, key) !== id) return 'is not an id this gateway issued (not canonical)';
  return { typename, key };
}
