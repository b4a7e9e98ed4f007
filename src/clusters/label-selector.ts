/**
 * Kubernetes label selectors (the `labelSelector` query parameter and metav1.LabelSelector objects).
 *
 * Grammar and semantics follow k8s.io/apimachinery/pkg/labels: comma-separated requirements of the forms
 * `key`, `!key`, `key=value`, `key==value`, `key!=value`, `key in (a,b)`, `key notin (a,b)`,
 * `key > 5`, `key < 5`. `!=` and `notin` also match objects that lack the key, as in the real apiserver.
 *
 * Shared by the gateway (node filters, subscriptions, drain podSelector) and the simulator.
 */

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

const QUALIFIED_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

export function validateLabelKey(key: string): string | undefined {
  const slash = key.indexOf('/');
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (slash >= 0) {
    const prefix = key.slice(0, slash);
    if (prefix.length === 0 || prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix)) {
      return `invalid label key "${key}": prefix part must be a lowercase RFC 1123 subdomain`;
    }
  }
  if (name.length === 0 || name.length > 63 || !QUALIFIED_NAME.test(name)) {
    return `invalid label key "${key}": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (max 63 characters)`;
  }
  return undefined;
}

export function validateLabelValue(value: string): string | undefined {
  if (value.length > 63 || !LABEL_VALUE.test(value)) {
    return `invalid label value: "${value}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (max 63 characters)`;
  }
  return undefined;
}

type Token =
  | { kind: 'ident'; text: string; pos: number }
  | { kind: 'op'; text: '!' | '=' | '==' | '!=' | '(' | ')' | ',' | '<' | '>'; pos: number }
  | { kind: 'end'; pos: number };

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    if (c === '!' && input[i + 1] === '=') {
      tokens.push({ kind: 'op', text: '!=', pos: i });
      i += 2;
    } else if (c === '=' && input[i + 1] === '=') {
      tokens.push({ kind: 'op', text: '==', pos: i });
      i += 2;
    } else if (c === '!' || c === '=' || c === '(' || c === ')' || c === ',' || c === '<' || c === '>') {
      tokens.push({ kind: 'op', text: c, pos: i });
      i++;
    } else {
      const start = i;
      while (i < input.length && !/[\s!=(),<>]/.test(input[i]!)) i++;
      tokens.push({ kind: 'ident', text: input.slice(start, i), pos: start });
    }
  }
  tokens.push({ kind: 'end', pos: input.length });
  return tokens;
}

function describe(t: Token): string {
  return t.kind === 'end' ? 'end of string' : `'${t.text}'`;
}

/** Parses a label selector string; throws LabelSelectorError with the offending position on bad input. */
export function parseLabelSelector(input: string): LabelSelector {
  const tokens = tokenize(input);
  let p = 0;
  const peek = (): Token => tokens[p]!;
  const next = (): Token => tokens[p++]!;
  const fail = (t: Token, expected: string): never => {
    throw new LabelSelectorError(
      `unable to parse requirement: found ${describe(t)} at position ${t.pos}, expected: ${expected}`,
    );
  };
  const requirements: LabelRequirement[] = [];
  if (peek().kind === 'end') return EVERYTHING;

  for (;;) {
    let negated = false;
    let t = next();
    if (t.kind === 'op' && t.text === '!') {
      negated = true;
      t = next();
    }
    if (t.kind !== 'ident') fail(t, 'identifier');
    const key = (t as { text: string }).text;
    const keyError = validateLabelKey(key);
    if (keyError) throw new LabelSelectorError(`unable to parse requirement: ${keyError}`);
    const after = peek();
    if (negated) {
      if (!(after.kind === 'end' || (after.kind === 'op' && after.text === ',')))
        fail(after, "',' or end of string");
      requirements.push({ key, operator: 'doesNotExist', values: [] });
    } else if (after.kind === 'end' || (after.kind === 'op' && after.text === ',')) {
      requirements.push({ key, operator: 'exists', values: [] });
    } else {
      const op = next();
      let operator: LabelOperator;
      if (op.kind === 'ident' && op.text === 'in') operator = 'in';
      else if (op.kind === 'ident' && op.text === 'notin') operator = 'notIn';
      else if (op.kind === 'op' && (op.text === '=' || op.text === '==')) operator = 'equals';
      else if (op.kind === 'op' && op.text === '!=') operator = 'notEquals';
      else if (op.kind === 'op' && op.text === '>') operator = 'gt';
      else if (op.kind === 'op' && op.text === '<') operator = 'lt';
      else return fail(op, "'=', '!=', '==', 'in', 'notin', '<', '>'");
      const values: string[] = [];
      if (operator === 'in' || operator === 'notIn') {
        const open = next();
        if (!(open.kind === 'op' && open.text === '(')) fail(open, "'('");
        for (;;) {
          const v = peek();
          if (v.kind === 'ident') {
            values.push(v.text);
            p++;
          } else if (v.kind === 'op' && (v.text === ',' || v.text === ')')) {
            // An empty value between separators is the empty string, as in the Go parser.
            values.push('');
          } else fail(v, 'value');
          const sep = next();
          if (sep.kind === 'op' && sep.text === ')') break;
          if (!(sep.kind === 'op' && sep.text === ',')) fail(sep, "',' or ')'");
        }
      } else {
        const v = peek();
        if (v.kind === 'ident') {
          values.push(v.text);
          p++;
        } else if (v.kind === 'end' || (v.kind === 'op' && v.text === ',')) {
          values.push('');
        } else fail(v, 'value');
      }
      for (const v of values) {
        const valueError = validateLabelValue(v);
        if (valueError) throw new LabelSelectorError(`unable to parse requirement: ${valueError}`);
        if ((operator === 'gt' || operator === 'lt') && !/^-?\d+$/.test(v)) {
          throw new LabelSelectorError(
            `unable to parse requirement: for 'Gt', 'Lt' operators, the value must be an integer`,
          );
        }
      }
      requirements.push({ key, operator, values });
    }
    const sep = next();
    if (sep.kind === 'end') break;
    if (!(sep.kind === 'op' && sep.text === ',')) fail(sep, "',' or end of string");
  }
  return { requirements };
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
      if (!has || !/^-?\d+$/.test(value!)) return false;
      const n = Number(value);
      const bound = Number(r.values[0]);
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
    requirements.push({ key, operator: 'equals', values: [value] });
  }
  for (const e of spec.matchExpressions ?? []) {
    const values = e.values ?? [];
    switch (e.operator) {
      case 'In':
        requirements.push({ key: e.key, operator: 'in', values });
        break;
      case 'NotIn':
        requirements.push({ key: e.key, operator: 'notIn', values });
        break;
      case 'Exists':
        requirements.push({ key: e.key, operator: 'exists', values: [] });
        break;
      case 'DoesNotExist':
        requirements.push({ key: e.key, operator: 'doesNotExist', values: [] });
        break;
      default:
        throw new LabelSelectorError(`"${e.operator}" is not a valid label selector operator`);
    }
  }
  return { requirements };
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
