import { randomUUID } from 'node:crypto';
import {
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLOutputType,
  type GraphQLSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  isUnionType,
} from 'graphql';

/**
 * Random GraphQL operations generated from the schema: valid ones (right fields, right argument
 * types) and invalid ones (wrong types, unknown fields, missing arguments, broken syntax), their
 * strings full of what breaks naive code ('.', '..', '/', '%2F', 10 KB strings, unicode, NUL,
 * ints beyond 32 bits). Mutations cannot harm the cluster: drains are always dry runs, and no
 * mutation names an existing node.
 */

export interface FuzzOperation {
  readonly query: string;
  readonly variables?: Record<string, unknown>;
  /** Whether the generator meant it to be a valid operation (the server may still refuse its values). */
  readonly valid: boolean;
}

export interface FuzzTargets {
  /** Existing node names: queries use them (for deeper answers), mutations never do. */
  readonly nodeNames: readonly string[];
  readonly clusters: readonly string[];
}

/** mulberry32: a small seeded PRNG, so a failing run can be replayed with its seed. */
function rngOf(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class EnumLiteral {
  constructor(readonly name: string) {}
}

const HOSTILE_STRINGS = [
  '.',
  '..',
  '/',
  '%2F',
  '../..',
  'a/b',
  '',
  ' ',
  '-a',
  'A',
  'x'.repeat(10_240),
  'é\u{1f600}\u202e\u0301',
  '\u0000',
  '\ud800',
  '"\\',
  'kube-system',
  'default',
  'a in ()',
  'a notin ()',
  'a in (b,,)',
  'x=y,!z',
  'a>99999999999999999999',
  '!',
  'in',
  'node-role.kubernetes.io/control-plane',
  'bgBub2Rl',
  'YwB4AHk',
  '{}',
  '__proto__',
  'constructor',
];
const HOSTILE_INTS = [0, 1, 2, 5, 50, 1000, 1001, -1, -2147483648, 2147483647, 7 * 24 * 3600 + 1];
const INVALID_INTS = ['2147483648', '1e12', '9007199254740993', '-99999999999', '1.5'];

export class OperationGenerator {
  private readonly rng: () => number;
  private varCount = 0;
  private variableDefs: string[] = [];
  private variables: Record<string, unknown> = {};
  private valid = true;

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly targets: FuzzTargets,
    seed: number,
    private readonly maxDepth = 4,
  ) {
    this.rng = rngOf(seed);
  }

  next(): FuzzOperation {
    this.varCount = 0;
    this.variableDefs = [];
    this.variables = {};
    this.valid = this.rng() < 0.6;
    if (!this.valid && this.rng() < 0.15) return { query: this.brokenSyntax(), valid: false };
    const mutation = this.rng() < 0.2;
    const root = mutation ? this.schema.getMutationType() : this.schema.getQueryType();
    if (!root) throw new Error('schema without a root type');
    const fields = Object.values(root.getFields());
    const count = 1 + this.int(2);
    const selections: string[] = [];
    for (let i = 0; i < count; i++) {
      const field = this.pick(fields);
      selections.push(`${i > 0 ? `f${i}: ` : ''}${this.fieldSelection(field, 1, mutation)}`);
    }
    const defs = this.variableDefs.length > 0 ? `(${this.variableDefs.join(', ')})` : '';
    const query = `${mutation ? 'mutation' : 'query'} Fuzz${defs} { ${selections.join(' ')} }`;
    return { query, variables: this.varCount > 0 ? this.variables : undefined, valid: this.valid };
  }

  private int(n: number): number {
    return Math.floor(this.rng() * n);
  }

  private pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  private chance(p: number): boolean {
    return this.rng() < p;
  }

  private brokenSyntax(): string {
    const deep = 30 + this.int(300);
    return this.pick([
      `{ nodes { ${'nodes { '.repeat(deep)}name${' }'.repeat(deep)} } }`,
      `{ ${'a: __typename '.repeat(1 + this.int(2000))}}`,
      `query { nodeByName(name: "${'\\'.repeat(this.int(9))}) { name } }`,
      `{ nodes(first: ${'9'.repeat(40)}) { totalCount } }`,
      `{ nodeByName(name: "node-0001") { ...F } } fragment F on KubeNode { ...F }`,
      `{ nodeByName(name: ${JSON.stringify(this.string())}) @skip(if: false) @include(if: true) { name } `,
      '{'.repeat(1 + this.int(5000)),
      `mutation { cordonNode(name: "fuzz") }`,
      `subscription { nodeChanged { name } } query Q { clusters { name } }`,
    ]);
  }

  private string(): string {
    if (this.chance(0.5)) return this.pick(HOSTILE_STRINGS);
    if (this.chance(0.3)) return this.pick(this.targets.nodeNames);
    if (this.chance(0.3)) return randomUUID() + (this.chance(0.3) ? ':events' : '');
    const length = this.int(20);
    let s = '';
    for (let i = 0; i < length; i++)
      s += String.fromCodePoint(this.chance(0.9) ? 32 + this.int(95) : this.int(0x2ffff));
    return s;
  }

  private fieldSelection(field: GraphQLField<unknown, unknown>, depth: number, mutation: boolean): string {
    const args = this.argumentsOf(field, mutation);
    const sub = this.subSelection(field.type, depth);
    return `${field.name}${args}${sub}`;
  }

  private subSelection(type: GraphQLOutputType, depth: number): string {
    const named = getNamedType(type);
    if (isLeafType(named)) {
      return !this.valid && this.chance(0.1) ? ' { name }' : '';
    }
    if (isUnionType(named)) return ' { __typename }';
    if (!isObjectType(named) && !isInterfaceType(named)) return ' { __typename }';
    const fields = Object.values(named.getFields());
    const leaves = fields.filter((f) => isLeafType(getNamedType(f.type)));
    const pool = depth >= this.maxDepth ? leaves : fields;
    const parts: string[] = [];
    const count = 1 + this.int(3);
    for (let i = 0; i < count && pool.length > 0; i++) {
      const f = this.pick(pool);
      parts.push(`${i > 0 ? `s${i}: ` : ''}${this.fieldSelection(f, depth + 1, false)}`);
    }
    if (!this.valid && this.chance(0.2)) parts.push('bogusField');
    if (parts.length === 0) parts.push('__typename');
    return ` { ${parts.join(' ')} }`;
  }

  private argumentsOf(field: GraphQLField<unknown, unknown>, mutation: boolean): string {
    const rendered: string[] = [];
    for (const arg of field.args) {
      const required = isNonNullType(arg.type);
      if (!required && this.chance(0.5)) continue;
      if (required && !this.valid && this.chance(0.1)) continue; // a missing required argument
      rendered.push(`${arg.name}: ${this.argumentValue(field, arg, mutation)}`);
    }
    if (!this.valid && this.chance(0.1)) rendered.push(`bogusArg: ${JSON.stringify(this.string())}`);
    return rendered.length > 0 ? `(${rendered.join(', ')})` : '';
  }

  private argumentValue(
    field: GraphQLField<unknown, unknown>,
    arg: GraphQLArgument,
    mutation: boolean,
  ): string {
    let value = this.value(arg.type, 0);
    if (mutation) value = this.harmless(field.name, arg.name, value);
    if (!this.chance(0.3)) return literalOf(value);
    const name = `v${this.varCount++}`;
    this.variableDefs.push(`$${name}: ${String(arg.type)}`);
    this.variables[name] = jsonOf(value);
    return `$${name}`;
  }

  /** Mutations stay harmless: drains are dry runs, and no mutation names an existing node. */
  private harmless(field: string, arg: string, value: unknown): unknown {
    if (field === 'drainNode' && arg === 'options') {
      const options = typeof value === 'object' && value !== null && !Array.isArray(value) ? value : {};
      return { ...options, dryRun: true };
    }
    // Not even a dry run of an existing node: each would keep a finished job for an hour.
    if ((field === 'cordonNode' || field === 'uncordonNode' || field === 'drainNode') && arg === 'name') {
      return typeof value === 'string' && this.targets.nodeNames.includes(value) ? `fuzz-${value}` : value;
    }
    return value;
  }

  private value(type: GraphQLInputType, depth: number): unknown {
    if (!this.valid && this.chance(0.15)) return this.wrongValue();
    if (isNonNullType(type)) return this.value(type.ofType, depth);
    if (!this.valid && this.chance(0.05)) return null;
    if (isListType(type)) {
      if (this.chance(0.2)) return this.value(type.ofType, depth + 1); // a single item coerces to a list
      return Array.from({ length: this.int(4) }, () => this.value(type.ofType, depth + 1));
    }
    const named = getNamedType(type) as GraphQLNamedType;
    if (isEnumType(named)) {
      return this.valid || this.chance(0.8)
        ? new EnumLiteral(this.pick(named.getValues()).name)
        : new EnumLiteral('NOPE');
    }
    if (isInputObjectType(named)) {
      if (depth > 3) return {};
      const out: Record<string, unknown> = {};
      for (const f of Object.values(named.getFields())) {
        if (isNonNullType(f.type) || this.chance(0.5)) out[f.name] = this.value(f.type, depth + 1);
      }
      return out;
    }
    if (isScalarType(named)) return this.scalar(named.name);
    return null;
  }

  private scalar(name: string): unknown {
    switch (name) {
      case 'Int':
        return this.pick(HOSTILE_INTS);
      case 'Float':
        return this.pick([0, 1.5, -1, 1e308]);
      case 'Boolean':
        return this.chance(0.5);
      case 'ID':
        return this.chance(0.2) ? this.pick(HOSTILE_INTS) : this.string();
      default:
        return this.string();
    }
  }

  /** A value of the wrong kind: a string for an Int, a huge number for a String, an object, ... */
  private wrongValue(): unknown {
    return this.pick<unknown>([
      new RawLiteral(this.pick(INVALID_INTS)),
      this.string(),
      new RawLiteral('12345678901234567890'),
      -1,
      true,
      { nested: { deeper: [1, 2, 3] } },
      [[['x']]],
      new EnumLiteral('NOT_AN_ENUM'),
    ]);
  }
}

/** Literal text put into the query as it is (numbers no JSON number can carry). */
class RawLiteral {
  constructor(readonly text: string) {}
}

/** GraphQL literal syntax of a generated value. */
function literalOf(value: unknown): string {
  if (value instanceof EnumLiteral) return value.name;
  if (value instanceof RawLiteral) return value.text;
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '0';
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(literalOf).join(', ')}]`;
  const entries = Object.entries(value as Record<string, unknown>);
  return `{${entries.map(([k, v]) => `${k}: ${literalOf(v)}`).join(', ')}}`;
}

/** The JSON value of a generated value, for a variable. */
function jsonOf(value: unknown): unknown {
  if (value instanceof EnumLiteral) return value.name;
  if (value instanceof RawLiteral) return Number(value.text);
  if (Array.isArray(value)) return value.map(jsonOf);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, jsonOf(v)]));
  }
  return value;
}

export interface FuzzReport {
  sent: number;
  /** e.g. `data` (no errors), `BAD_USER_INPUT`, `GRAPHQL_VALIDATION_FAILED`, `http 400` */
  readonly byOutcome: Record<string, number>;
  /** Operations answered with INTERNAL_SERVER_ERROR (or HTTP 5xx, or no answer): what failed. */
  readonly failures: { operation: FuzzOperation; outcome: string; body: string }[];
  /** All failures (`failures` keeps the first 20). */
  failureCount: number;
  healthChecks: number;
  healthFailures: number;
}

export interface FuzzRunOptions {
  readonly baseUrl: string;
  readonly generator: OperationGenerator;
  readonly seconds: number;
  /** Stops after this many operations, if that comes first. */
  readonly maxOperations?: number;
  /** Requests in flight at once. @default 4 */
  readonly concurrency?: number;
  /** Stops early (e.g. the gateway process exited). */
  readonly stopped?: () => boolean;
}

/** Sends generated operations for `seconds`, checking /healthz every second meanwhile. */
export async function runFuzz(options: FuzzRunOptions): Promise<FuzzReport> {
  const report: FuzzReport = {
    sent: 0,
    byOutcome: {},
    failures: [],
    failureCount: 0,
    healthChecks: 0,
    healthFailures: 0,
  };
  const deadline = Date.now() + options.seconds * 1000;
  const max = options.maxOperations ?? Number.POSITIVE_INFINITY;
  const running = () => Date.now() < deadline && report.sent < max && !options.stopped?.();
  const health = (async () => {
    while (running()) {
      report.healthChecks++;
      const ok = await fetch(`${options.baseUrl}/healthz`, { signal: AbortSignal.timeout(5000) }).then(
        (r) => r.ok,
        () => false,
      );
      if (!ok) report.healthFailures++;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  })();
  const worker = async () => {
    while (running()) {
      const operation = options.generator.next();
      report.sent++;
      const { outcomes, failed, body } = await send(options.baseUrl, operation);
      for (const o of outcomes) report.byOutcome[o] = (report.byOutcome[o] ?? 0) + 1;
      if (!failed) continue;
      report.failureCount++;
      if (report.failures.length < 20) report.failures.push({ operation, outcome: outcomes.join(','), body });
    }
  };
  await Promise.all([health, ...Array.from({ length: options.concurrency ?? 4 }, worker)]);
  return report;
}

async function send(
  baseUrl: string,
  operation: FuzzOperation,
): Promise<{ outcomes: string[]; failed: boolean; body: string }> {
  let status: number;
  let body: string;
  try {
    const res = await fetch(`${baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
      body: JSON.stringify({ query: operation.query, variables: operation.variables }),
      signal: AbortSignal.timeout(15_000),
    });
    status = res.status;
    body = await res.text();
  } catch (err) {
    return { outcomes: ['no answer'], failed: true, body: String(err) };
  }
  let parsed: { data?: unknown; errors?: { message?: string; extensions?: { code?: string } }[] };
  try {
    parsed = JSON.parse(body) as typeof parsed;
  } catch {
    return { outcomes: [`http ${status} (not JSON)`], failed: status >= 500, body: body.slice(0, 500) };
  }
  const codes = (parsed.errors ?? []).map((e) => e.extensions?.code ?? uncoded(e.message ?? ''));
  const outcomes = codes.length === 0 ? ['data'] : [...new Set(codes)];
  const failed =
    status >= 500 ||
    codes.includes('INTERNAL_SERVER_ERROR') ||
    (parsed.errors ?? []).some((e) => e.message === 'Unexpected error.');
  return { outcomes, failed, body: body.slice(0, 1000) };
}

/** graphql-js's variable coercion errors carry no code: one outcome for all of them. */
function uncoded(message: string): string {
  return message.startsWith('Variable "$')
    ? 'no code (variable value refused)'
    : `no code (${message.slice(0, 40)})`;
}

/** One line per outcome, most frequent first. */
export function formatFuzzReport(report: FuzzReport): string {
  const rows = Object.entries(report.byOutcome).sort((a, b) => b[1] - a[1]);
  return [
    `operations sent: ${report.sent}; failures: ${report.failureCount}; /healthz ${report.healthChecks - report.healthFailures}/${report.healthChecks} ok`,
    ...rows.map(([outcome, n]) => `  ${String(n).padStart(7)}  ${outcome}`),
  ].join('\n');
}
