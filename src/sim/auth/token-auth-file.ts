/**
 * kube-apiserver's --token-auth-file (k8s.io/apiserver/pkg/authentication/token/tokenfile): a CSV of
 * `token,user,uid[,"group1,group2"]`, read with Go's encoding/csv (RFC 4180 quoting, any number of
 * columns per record). A malformed file fails the start, as it fails kube-apiserver's.
 */
import { readFileSync } from 'node:fs';
import type { UserInfo } from './user-info.js';

/** One static token, as a startSimulator `tokens` entry or a CSV line. */
export interface StaticToken {
  token: string;
  user: string;
  uid?: string;
  groups?: readonly string[];
}

export class TokenFileError extends Error {
  override readonly name = 'TokenFileError';
}

/** encoding/csv's Reader.Read over the whole text; errors name the line and column as Go's ParseError does. */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  const lines = text.split(/\r?\n/);
  let i = 0;
  while (i < lines.length) {
    const startLine = i + 1;
    let line = lines[i]!;
    i++;
    if (line === '') continue; // empty lines are skipped
    const record: string[] = [];
    let pos = 0;
    for (;;) {
      if (line[pos] === '"') {
        // Quoted field: "" is a quote; it may span lines.
        let value = '';
        pos++;
        for (;;) {
          const q = line.indexOf('"', pos);
          if (q < 0) {
            value += `${line.slice(pos)}\n`;
            if (i >= lines.length)
              throw new TokenFileError(
                `parse error on line ${startLine}: extraneous or missing " in quoted-field`,
              );
            line = lines[i]!;
            i++;
            pos = 0;
            continue;
          }
          value += line.slice(pos, q);
          if (line[q + 1] === '"') {
            value += '"';
            pos = q + 2;
            continue;
          }
          pos = q + 1;
          break;
        }
        if (pos < line.length && line[pos] !== ',') {
          throw new TokenFileError(
            `parse error on line ${i}, column ${pos + 1}: extraneous or missing " in quoted-field`,
          );
        }
        record.push(value);
      } else {
        const comma = line.indexOf(',', pos);
        const value = comma < 0 ? line.slice(pos) : line.slice(pos, comma);
        const bare = value.indexOf('"');
        if (bare >= 0)
          throw new TokenFileError(
            `parse error on line ${i}, column ${pos + bare + 1}: bare " in non-quoted-field`,
          );
        record.push(value);
        pos = comma < 0 ? line.length : comma;
      }
      if (pos >= line.length) break;
      pos++; // the comma
      if (pos === line.length) {
        record.push('');
        break;
      }
    }
    records.push(record);
  }
  return records;
}

/** The tokens of a token file's text; `source` names the file in errors. */
export function parseTokenFile(text: string, source: string): StaticToken[] {
  const out: StaticToken[] = [];
  let records: string[][];
  try {
    records = parseCsv(text);
  } catch (e) {
    if (e instanceof TokenFileError) throw new TokenFileError(`token file '${source}': ${e.message}`);
    throw e;
  }
  for (const record of records) {
    if (record.length < 3) {
      throw new TokenFileError(
        `token file '${source}' must have at least 3 columns (token, user name, user uid), found ${record.length}`,
      );
    }
    // kube-apiserver warns about an empty token and skips the record.
    if (record[0] === '') continue;
    out.push({
      token: record[0]!,
      user: record[1]!,
      uid: record[2]!,
      ...(record.length >= 4 ? { groups: record[3]!.split(',') } : {}),
    });
  }
  return out;
}

export function readTokenFile(path: string): StaticToken[] {
  return parseTokenFile(readFileSync(path, 'utf8'), path);
}

/** Bearer tokens to users; a later duplicate token wins, as in the tokenfile authenticator. */
export class StaticTokenAuthenticator {
  private readonly users = new Map<string, UserInfo>();

  constructor(tokens: readonly StaticToken[]) {
    for (const t of tokens) {
      this.users.set(t.token, {
        username: t.user,
        ...(t.uid ? { uid: t.uid } : {}),
        groups: [...(t.groups ?? [])],
      });
    }
  }

  authenticateToken(token: string): UserInfo | undefined {
    return this.users.get(token);
  }
}
