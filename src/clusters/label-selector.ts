/**
 * Kubernetes label selectors (the `labelSelector` query parameter and metav1.LabelSelector objects).
 *
 * Grammar and semantics follow k8s.io/apimachinery/pkg/labels: comma-separated requirements of the forms
 * `key`, `!key`, `key=value`, `key==value`, `key!=value`, `key in (a,b)`, `key notin (a,b)`,
 * `key > 5`, `key < 5`. `!=` and `notin` also match objects that lack the key, as in the real apiserver.
 *
 * Shared by the gateway (node filters, subscriptions, drain podSelector) and the simulator.
 */

import { quoteInput } from '../platform/quote-input.js';
import { isQualifiedName, isValidLabelValue } from './kube-names.js';

export type LabelOperator = 'exists' | 'doesNotExist' | 'equals' | 'notEquals' | 'in' | 'notIn' | 'gt' | 'lt';

export interface LabelRequirement {
  readonly key: string;
  readonly operator: LabelOperator;
  readonly values: readonly string[];
}

export interface LabelSelector {
  readonly requirements: readonly LabelRequirement[];
}

export class LabelSelectorError extends Error {
  override readonly name = 'LabelSelectorError';
}

/** metav1.LabelSelector as found in ReplicaSet, DaemonSet and PodDisruptionBudget specs. */
export interface LabelSelectorSpec {
  matchLabels?: Record<string, string> | null;
  matchExpressions?: Array<{ key: string; operator: string; values?: string[] | null }> | null;
}

export const EVERYTHING: LabelSelector = Object.freeze({ requirements: Object.freeze([]) });
/** Matches nothing: what a nil metav1.LabelSelector means for a PodDisruptionBudget. */
export const NOTHING: LabelSelector = Object.freeze({
  requirements: Object.freeze([{ key: '', operator: 'in' as const, values: Object.freeze([]) }]),
});

/** Undefined when `key` is a valid label key (IsQualifiedName), else why not. */
export function validateLabelKey(key: string): string | undefined {
  const errs = isQualifiedName(key);
  return errs.length === 0 ? undefined : `invalid label key ${quoteInput(key)}: ${errs.join(', ')}`;
}

/** Undefined when `value` is a valid label value (empty allowed), else why not. */
export function validateLabelValue(value: string): string | undefined {
  const errs = isValidLabelValue(value);
  return errs.length === 0 ? undefined : `invalid label value ${quoteInput(value)}: ${errs.join(', ')}`;
}

type OpText = '!' | '=' | '==' | '!=' | '(' | ')' | ',' | '<' | '>';
type Token =
  | { kind: 'ident'; text: string; pos: number }
  | { kind: 'op'; text: OpText; pos: number }
  | { kind: 'end'; pos: number };

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);
const SPECIAL = new Set(['!', '=', '(', ')', ',', '<', '>']);

/** The Go lexer's tokens; `in` and `notin` stay identifiers, the parser reads them as operators only after a key. */
function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i]!;
    if (WHITESPACE.has(c)) {
      i++;
    } else if ((c === '!' || c === '=') && input[i + 1] === '=') {
      tokens.push({ kind: 'op', text: c === '!' ? '!=' : '==', pos: i });
      i += 2;
    } else if (SPECIAL.has(c)) {
      tokens.push({ kind: 'op', text: c as OpText, pos: i });
      i++;
    } else {
      const start = i;
      while (i < input.length && !WHITESPACE.has(input[i]!) && !SPECIAL.has(input[i]!)) i++;
      tokens.push({ kind: 'ident', text: input.slice(start, i), pos: start });
    }
  }
  tokens.push({ kind: 'end', pos: input.length });
  return tokens;
}

function describe(t: Token): string {
  if (t.kind === 'end') return 'end of string';
  return t.kind === 'ident' ? quoteInput(t.text) : `'${t.text}'`;
}

const isOp = (t: Token, text: OpText): boolean => t.kind === 'op' && t.text === text;
const endsRequirement = (t: Token): boolean => t.kind === 'end' || isOp(t, ',');

/** The parser of k8s.io/apimachinery/pkg/labels (selector.go), token for token. */
class SelectorParser {
  private p = 0;
  constructor(private readonly tokens: readonly Token[]) {}

  private peek(): Token {
    return this.tokens[this.p]!;
  }

  private next(): Token {
    return this.tokens[this.p++]!;
  }

  private fail(t: Token, expected: string): never {
    throw new LabelSelectorError(
      `unable to parse requirement: found ${describe(t)} at position ${t.pos}, expected: ${expected}`,
    );
  }

  parse(): LabelSelector {
    const requirements: LabelRequirement[] = [];
    if (this.peek().kind === 'end') return EVERYTHING;
    for (;;) {
      requirements.push(this.requirement());
      const sep = this.next();
      if (sep.kind === 'end') break;
      if (!isOp(sep, ',')) this.fail(sep, "',' or end of string");
      const after = this.peek();
      if (!(after.kind === 'ident' || isOp(after, '!'))) this.fail(after, "identifier after ','");
    }
    // Go sorts requirements by key (stable here), so String() is canonical.
    return { requirements: requirements.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)) };
  }

  private requirement(): LabelRequirement {
    let t = this.next();
    const negated = isOp(t, '!');
    if (negated) t = this.next();
    if (t.kind !== 'ident') return this.fail(t, 'identifier');
    const key = t.text;
    const keyError = validateLabelKey(key);
    if (keyError) throw new LabelSelectorError(`unable to parse requirement: ${keyError}`);
    if (negated || endsRequirement(this.peek())) {
      return { key, operator: negated ? 'doesNotExist' : 'exists', values: [] };
    }
    const operator = this.operator();
    const values = operator === 'in' || operator === 'notIn' ? this.valueSet() : [this.exactValue()];
    for (const v of values) {
      const valueError = validateLabelValue(v);
      if (valueError) throw new LabelSelectorError(`unable to parse requirement: ${valueError}`);
    }
    if ((operator === 'gt' || operator === 'lt') && parseInt64(values[0]!) === undefined) {
      throw new LabelSelectorError(
        "unable to parse requirement: for 'Gt', 'Lt' operators, the value must be an integer",
      );
    }
    return { key, operator, values };
  }

  private operator(): LabelOperator {
    const op = this.next();
    if (op.kind === 'ident' && op.text === 'in') return 'in';
    if (op.kind === 'ident' && op.text === 'notin') return 'notIn';
    if (isOp(op, '=') || isOp(op, '==')) return 'equals';
    if (isOp(op, '!=')) return 'notEquals';
    if (isOp(op, '>')) return 'gt';
    if (isOp(op, '<')) return 'lt';
    return this.fail(op, "'=', '!=', '==', 'in', 'notin', '<', '>'");
  }

  /** parseExactValue: an identifier, or the empty string when the requirement ends here. */
  private exactValue(): string {
    if (endsRequirement(this.peek())) return '';
    const v = this.next();
    return v.kind === 'ident' ? v.text : this.fail(v, 'identifier');
  }

  /**
   * parseValues + parseIdentifiersList: `()` is the set {""} (the upstream doc's own example
   * "x in (foo,,baz),y,z notin ()" parses), empty items are "", and the set is deduplicated
   * and sorted as sets.String does. A list ending in ",,)" is refused, as Go refuses it.
   */
  private valueSet(): string[] {
    const open = this.next();
    if (!isOp(open, '(')) this.fail(open, "'('");
    const first = this.peek();
    if (isOp(first, ')')) {
      this.p++;
      return [''];
    }
    if (!(first.kind === 'ident' || isOp(first, ','))) this.fail(first, "',', ')' or identifier");
    const values = new Set<string>();
    for (;;) {
      const t = this.next();
      if (t.kind === 'ident') {
        values.add(t.text);
        const after = this.peek();
        if (isOp(after, ')')) break;
        if (!isOp(after, ',')) this.fail(after, "',' or ')'");
      } else if (isOp(t, ',')) {
        if (values.size === 0) values.add('');
        const after = this.peek();
        if (isOp(after, ')')) {
          values.add('');
          break;
        }
        if (isOp(after, ',')) {
          this.p++;
          values.add('');
        }
      } else {
        this.fail(t, "',', or identifier");
      }
    }
    this.next(); // the ')' seen above
    return [...values].sort();
  }
}

/** Parses a label selector string; throws LabelSelectorError with the offending position on bad input. */
export function parseLabelSelector(input: string): LabelSelector {
  return new SelectorParser(tokenize(input)).parse();
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** strconv.ParseInt(s, 10, 64): an optional sign, decimal digits, within int64. */
function parseInt64(text: string): bigint | undefined {
  if (!/^[+-]?\d+$/.test(text)) return undefined;
  const n = BigInt(text);
  return n < INT64_MIN || n > INT64_MAX ? undefined : n;
}

export function requirementMatches(
  r: LabelRequirement,
  labels: Readonly<Record<string, string>> | undefined,
): boolean {
  const has = labels !== undefined && Object.hasOwn(labels, r.key);
  const value = has ? labels[r.key] : undefined;
  switch (r.operator) {
    case 'exists':
      return has;
    case 'doesNotExist':
      return !has;
    case 'equals':
    case 'in':
      return has && r.values.includes(value!);
    case 'notEquals':
    case 'notIn':
      return !has || !r.values.includes(value!);
    case 'gt':
    case 'lt': {
      // Compared as int64, as Go does: a float would call 2^53 + 1 equal to 2^53.
      const n = has ? parseInt64(value!) : undefined;
      const bound = parseInt64(r.values[0] ?? '');
      if (n === undefined || bound === undefined) return false;
      return r.operator === 'gt' ? n > bound : n < bound;
    }
  }
}

export function matches(
  selector: LabelSelector,
  labels: Readonly<Record<string, string>> | undefined,
): boolean {
  for (const r of selector.requirements) {
    if (!requirementMatches(r, labels)) return false;
  }
  return true;
}

export function isEverything(selector: LabelSelector): boolean {
  return selector.requirements.length === 0;
}

/**
 * Converts a metav1.LabelSelector object into a selector. As in the apiserver an empty object selects
 * everything; callers decide what a missing (null) selector means.
 */
export function labelSelectorFromSpec(spec: LabelSelectorSpec): LabelSelector {
  const requirements: LabelRequirement[] = [];
  for (const [key, value] of Object.entries(spec.matchLabels ?? {})) {
    requirements.push(checkedRequirement(key, 'equals', [value]));
  }
  for (const e of spec.matchExpressions ?? []) {
    const operator = SPEC_OPERATORS[e.operator];
    if (!operator)
      throw new LabelSelectorError(`${quoteInput(e.operator)} is not a valid label selector operator`);
    requirements.push(checkedRequirement(e.key, operator, e.values ?? []));
  }
  return { requirements };
}

const SPEC_OPERATORS: Readonly<Record<string, LabelOperator>> = {
  In: 'in',
  NotIn: 'notIn',
  Exists: 'exists',
  DoesNotExist: 'doesNotExist',
};

/** labels.NewRequirement's checks: the key, each value, and how many values the operator takes. */
function checkedRequirement(
  key: string,
  operator: LabelOperator,
  values: readonly string[],
): LabelRequirement {
  const problem =
    validateLabelKey(key) ??
    ((operator === 'in' || operator === 'notIn') && values.length === 0
      ? "values: for 'in', 'notin' operators, values set can't be empty"
      : undefined) ??
    ((operator === 'exists' || operator === 'doesNotExist') && values.length > 0
      ? 'values: values set must be empty for exists and does not exist'
      : undefined) ??
    values.map(validateLabelValue).find((v) => v !== undefined);
  if (problem) throw new LabelSelectorError(problem);
  return { key, operator, values };
}

const FORMATS: Record<LabelOperator, (r: LabelRequirement) => string> = {
  exists: (r) => r.key,
  doesNotExist: (r) => `!${r.key}`,
  equals: (r) => `${r.key}=${r.values[0] ?? ''}`,
  notEquals: (r) => `${r.key}!=${r.values[0] ?? ''}`,
  in: (r) => `${r.key} in (${r.values.join(',')})`,
  notIn: (r) => `${r.key} notin (${r.values.join(',')})`,
  gt: (r) => `${r.key}>${r.values[0] ?? ''}`,
  lt: (r) => `${r.key}<${r.values[0] ?? ''}`,
};

/** Canonical string form (the apiserver's String()), e.g. for logs and audit entries. */
export function formatLabelSelector(selector: LabelSelector): string {
  return selector.requirements.map((r) => FORMATS[r.operator](r)).join(',');
}
