import { type ConfigField, type ConfigValue, type FieldOf, getField } from './config-field.js';
import { DEFAULT_CONFIG } from './gateway-config.js';
import { INVALID, type ValueReader } from './value-readers.js';

/** What node:util parseArgs hands over for one flag. */
export type FlagInput = string | boolean | (string | boolean)[] | undefined;

/**
 * One `serve` flag, declared once in serve-flags.ts: the parser, `serve --help` and the README's
 * configuration table are all derived from these.
 */
export interface FlagDeclaration {
  /** Without the dashes: `port`. */
  readonly name: string;
  readonly short: string | undefined;
  readonly env: string | undefined;
  /** The value's placeholder in help (`PORT`); undefined for a switch, which takes none. */
  readonly arg: string | undefined;
  readonly repeatable: boolean;
  /** Separator of the environment variable's list, for a repeatable flag. */
  readonly envSeparator: string | undefined;
  /** One line: the help text and the README's "meaning". */
  readonly help: string;
  /** The default as shown; `literal` when it is a value one could type (shown as code). */
  readonly defaultText: string;
  readonly defaultIsLiteral: boolean;
  readonly field: ConfigField;
  readonly parseArgsOption: { type: 'string' | 'boolean'; short?: string; multiple?: boolean };
  /**
   * The field's value from the flag, else the environment variable; undefined when neither set
   * it (the default stays) or when the text did not read (then `problem` was called).
   */
  readonly resolve: (
    input: FlagInput,
    env: NodeJS.ProcessEnv,
    problem: (text: string) => void,
  ) => { value: unknown } | undefined;
}

interface Common<P extends ConfigField> {
  readonly name: string;
  readonly short?: string;
  readonly help: string;
  readonly field: P;
  /** Prose for a default that is not a typeable value ("the current context"). */
  readonly defaultText?: string;
}

function shown<V>(field: ConfigField, format: (value: V) => string, prose: string | undefined) {
  if (prose !== undefined) return { defaultText: prose, defaultIsLiteral: false };
  const value = getField(DEFAULT_CONFIG, field) as V | undefined;
  if (value === undefined) throw new Error(`flag for ${field}: an undefined default needs a defaultText`);
  return { defaultText: format(value), defaultIsLiteral: true };
}

/** A flag with one value: `--port 8080`, else `$PORT`, else the default. */
export function valueFlag<P extends ConfigField, V extends ConfigValue<P>>(
  d: Common<P> & {
    readonly arg: string;
    readonly env?: string;
    /** An empty variable counts as unset (`REDIS_URL=` means no Redis, as shells read it). */
    readonly envEmptyIsUnset?: boolean;
    readonly read: ValueReader<V>;
  },
): FlagDeclaration {
  return {
    name: d.name,
    short: d.short,
    env: d.env,
    arg: d.arg,
    repeatable: false,
    envSeparator: undefined,
    help: d.help,
    ...shown(d.field, d.read.format, d.defaultText),
    field: d.field,
    parseArgsOption: d.short === undefined ? { type: 'string' } : { type: 'string', short: d.short },
    resolve: (input, env, problem) => {
      const fromEnv = d.env === undefined ? undefined : env[d.env];
      const raw = typeof input === 'string' ? input : d.envEmptyIsUnset ? fromEnv || undefined : fromEnv;
      if (raw === undefined) return undefined;
      const value = d.read.parse(raw);
      if (value !== INVALID) return { value };
      problem(`--${d.name} must be ${d.read.expected}, got "${raw}"`);
      return undefined;
    },
  };
}

/** A repeatable flag collecting a list: `--context a --context b`, else `$VAR` split by `envSeparator`. */
export function listFlag<P extends FieldOf<readonly string[]>>(
  d: Common<P> & { readonly arg: string; readonly env?: string; readonly envSeparator?: string },
): FlagDeclaration {
  if ((d.env === undefined) !== (d.envSeparator === undefined))
    throw new Error(`--${d.name}: env and envSeparator go together`);
  return {
    name: d.name,
    short: d.short,
    env: d.env,
    arg: d.arg,
    repeatable: true,
    envSeparator: d.envSeparator,
    help: d.help,
    ...shown<readonly string[]>(d.field, (list) => list.join(d.envSeparator ?? ','), d.defaultText),
    field: d.field,
    parseArgsOption: { type: 'string', multiple: true, ...(d.short === undefined ? {} : { short: d.short }) },
    resolve: (input, env) => {
      if (Array.isArray(input)) return { value: input };
      const fromEnv = d.env === undefined ? undefined : env[d.env];
      // An empty variable is an empty list, which is no list at all: the default stays.
      return fromEnv && d.envSeparator !== undefined ? { value: fromEnv.split(d.envSeparator) } : undefined;
    },
  };
}

/** How help and the README describe a list variable's separator: "comma-separated". */
export function envListNote(flag: FlagDeclaration): string | undefined {
  if (flag.envSeparator === undefined) return undefined;
  return `${flag.envSeparator === ',' ? 'comma' : `"${flag.envSeparator}"`}-separated`;
}

/** A flag without a value that sets a boolean field to `sets` when given: `--no-graphiql`. */
export function switchFlag<P extends FieldOf<boolean>>(
  d: Common<P> & { readonly sets: boolean },
): FlagDeclaration {
  return {
    name: d.name,
    short: d.short,
    env: undefined,
    arg: undefined,
    repeatable: false,
    envSeparator: undefined,
    help: d.help,
    defaultText: d.defaultText ?? 'off',
    defaultIsLiteral: false,
    field: d.field,
    parseArgsOption: d.short === undefined ? { type: 'boolean' } : { type: 'boolean', short: d.short },
    resolve: (input) => (input === true ? { value: d.sets } : undefined),
  };
}
