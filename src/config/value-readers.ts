import { existsSync, statSync } from 'node:fs';
import { delimiter } from 'node:path';
import { formatDurationMs, parseDurationMs } from './duration.js';

/** Marks a value that does not read; the flag then reports `must be <expected>, got "<raw>"`. */
export const INVALID: unique symbol = Symbol('invalid');

/** How one flag's text becomes its config value, and how that value is shown as a default. */
export interface ValueReader<V> {
  /** Completes "--flag must be …": "an integer from 0 to 65535". */
  readonly expected: string;
  readonly parse: (raw: string) => V | typeof INVALID;
  readonly format: (value: V) => string;
}

export function integer(min: number, max: number): ValueReader<number> {
  return {
    expected: `an integer from ${min} to ${max}`,
    parse: (raw) => {
      const n = Number(raw);
      return Number.isInteger(n) && n >= min && n <= max ? n : INVALID;
    },
    format: String,
  };
}

/** Milliseconds, written like kubectl durations ("500ms", "15s", "2m"). */
export function duration(minMs: number): ValueReader<number> {
  return {
    expected: `a duration like 500ms, 15s or 2m (at least ${minMs} ms)`,
    parse: (raw) => {
      const ms = parseDurationMs(raw);
      return ms !== undefined && ms >= minMs ? ms : INVALID;
    },
    format: formatDurationMs,
  };
}

export function oneOf<const T extends string>(choices: readonly T[]): ValueReader<T> {
  return {
    expected: `one of ${choices.join(', ')}`,
    parse: (raw) => (choices.includes(raw as T) ? (raw as T) : INVALID),
    format: String,
  };
}

export const text: ValueReader<string> = { expected: 'text', parse: (raw) => raw, format: String };

/** An absolute http(s) URL without query or fragment (an OIDC issuer). */
export const httpUrl: ValueReader<string> = {
  expected: 'an https:// URL',
  parse: (raw) => {
    try {
      const url = new URL(raw);
      return /^https?:$/.test(url.protocol) && !url.search && !url.hash ? raw : INVALID;
    } catch {
      return INVALID;
    }
  },
  format: String,
};

export const redisUrl: ValueReader<string> = {
  expected: 'a redis:// or rediss:// URL',
  parse: (raw) => (/^rediss?:\/\/./.test(raw) ? raw : INVALID),
  format: String,
};

/** A KUBECONFIG-style list: paths joined by the platform's delimiter (":"; ";" on Windows). */
export const pathList: ValueReader<readonly string[]> = {
  expected: `paths separated by "${delimiter}"`,
  parse: (raw) => raw.split(delimiter).filter((p) => p.length > 0),
  format: (paths) => paths.join(delimiter),
};

/** A path to a file that exists now: a typo is reported with the other flag problems, at start. */
export const existingFile: ValueReader<string> = {
  expected: 'the path of an existing file',
  parse: (raw) => (existsSync(raw) && statSync(raw).isFile() ? raw : INVALID),
  format: String,
};

/** A path to a directory that exists now (the default need not: it is only read when used). */
export const existingDirectory: ValueReader<string> = {
  expected: 'the path of an existing directory',
  parse: (raw) => (existsSync(raw) && statSync(raw).isDirectory() ? raw : INVALID),
  format: String,
};
