/**
 * Field selectors (`fieldSelector=spec.nodeName=node-1,status.phase!=Failed`), as parsed by
 * k8s.io/apimachinery/pkg/fields: terms separated by commas, each `field=value`, `field==value` or
 * `field!=value`; a backslash escapes `\`, `,`, `=` and `!` inside values.
 */

export interface FieldRequirement {
  readonly field: string;
  readonly operator: '=' | '!=';
  readonly value: string;
}

export interface FieldSelector {
  readonly requirements: readonly FieldRequirement[];
}

export class FieldSelectorError extends Error {
  override readonly name = 'FieldSelectorError';
}

function splitUnescaped(input: string, sep: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < input.length; i++) {
    const c = input[i]!;
    if (c === '\\' && i + 1 < input.length) {
      current += c + input[i + 1];
      i++;
    } else if (c === sep) {
      parts.push(current);
      current = '';
    } else {
      current += c;
    }
  }
  parts.push(current);
  return parts;
}

function unescapeValue(value: string): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (c === '\\') {
      const n = value[i + 1];
      if (n === undefined || !'\\,=!'.includes(n)) {
        throw new FieldSelectorError(`invalid field selector: invalid escape sequence in value "${value}"`);
      }
      out += n;
      i++;
    } else if (c === '=' || c === ',' || c === '!') {
      throw new FieldSelectorError(`invalid field selector: unescaped '${c}' in value "${value}"`);
    } else {
      out += c;
    }
  }
  return out;
}

export function parseFieldSelector(input: string): FieldSelector {
  const requirements: FieldRequirement[] = [];
  if (input.trim() === '') return { requirements };
  for (const term of splitUnescaped(input, ',')) {
    if (term === '') continue;
    // Find the first unescaped operator, as fields.ParseSelector does.
    let match: { index: number; op: '=' | '==' | '!=' } | undefined;
    for (let i = 0; i < term.length; i++) {
      const c = term[i]!;
      if (c === '\\') {
        i++;
        continue;
      }
      if (c === '!' && term[i + 1] === '=') {
        match = { index: i, op: '!=' };
        break;
      }
      if (c === '=') {
        match = { index: i, op: term[i + 1] === '=' ? '==' : '=' };
        break;
      }
    }
    if (!match) throw new FieldSelectorError(`invalid selector: '${input}'; can't understand '${term}'`);
    const field = term.slice(0, match.index).trim();
    const value = unescapeValue(term.slice(match.index + match.op.length));
    if (field === '')
      throw new FieldSelectorError(`invalid selector: '${input}'; can't understand '${term}'`);
    requirements.push({ field, operator: match.op === '!=' ? '!=' : '=', value });
  }
  return { requirements };
}

export function fieldsMatch(selector: FieldSelector, fields: Readonly<Record<string, string>>): boolean {
  for (const r of selector.requirements) {
    const actual = fields[r.field] ?? '';
    if (r.operator === '=' ? actual !== r.value : actual === r.value) return false;
  }
  return true;
}

/** The value a selector pins a field to with `=`, if any (used to pick an index). */
export function equalityValue(selector: FieldSelector, field: string): string | undefined {
  for (const r of selector.requirements) if (r.field === field && r.operator === '=') return r.value;
  return undefined;
}
