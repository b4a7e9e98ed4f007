import type { OutgoingHttpHeaders } from 'node:http';

/**
 * Who a Kubernetes API call acts as: the gateway's own credentials authenticate, and these
 * `Impersonate-*` headers make the apiserver authorize (and audit) the call as this person.
 * The gateway's account needs the `impersonate` verb on users, groups, uids and userextras.
 */
export interface Impersonation {
  readonly user: string;
  readonly uid?: string;
  readonly groups: readonly string[];
  readonly extra?: Readonly<Record<string, readonly string[]>>;
}

/**
 * The `Impersonate-*` request headers of an identity, as client-go's impersonatingRoundTripper
 * sends them: one `Impersonate-Group` line per group (a group may contain a comma, so they are
 * never joined) and one `Impersonate-Extra-<key>` line per value, the key percent-encoded.
 * Node sends an array value as repeated header lines.
 */
export function impersonationHeaders(who: Impersonation): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = { 'impersonate-user': who.user };
  if (who.uid !== undefined && who.uid !== '') headers['impersonate-uid'] = who.uid;
  if (who.groups.length > 0) headers['impersonate-group'] = [...who.groups];
  for (const [key, values] of Object.entries(who.extra ?? {})) {
    if (values.length > 0) headers[`impersonate-extra-${escapeExtraKey(key)}`] = [...values];
  }
  return headers;
}

/**
 * Header names allow only RFC 7230 token characters; the apiserver percent-decodes the part
 * after `Impersonate-Extra-`. Like client-go's headerKeyEscape: every byte that is not a token
 * character, and `%` itself, becomes %XX. Header names are case-insensitive, so keys are
 * lower-cased (the apiserver lower-cases them too).
 */
export function escapeExtraKey(key: string): string {
  let out = '';
  for (const byte of Buffer.from(key.toLowerCase(), 'utf8')) {
    const c = String.fromCharCode(byte);
    out += TOKEN_CHAR.test(c) && c !== '%' ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

const TOKEN_CHAR = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]$/;
