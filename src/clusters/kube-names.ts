import { quoteInput } from '../platform/quote-input.js';

/**
 * The name rules of the Kubernetes API, as k8s.io/apimachinery/pkg/util/validation (validation.go)
 * states and words them: node and pod names are DNS-1123 subdomains, namespaces DNS-1123 labels,
 * label keys qualified names, label values may be empty; taints (pkg/apis/core/validation) take a
 * qualified-name key, a label-value value and one of three effects. The gateway checks every
 * such argument before it calls the API or reads a store, so `"."` or `".."` never becomes a
 * path segment (`PATCH /api/v1/nodes/.`) and a drain job id never becomes another Redis key.
 *
 * Each `is...` function returns the problems Kubernetes would list (empty = valid).
 */

const DNS1123_LABEL_FMT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
export const DNS1123_LABEL_MAX = 63;
const DNS1123_LABEL = new RegExp(`^${DNS1123_LABEL_FMT}$`);

const DNS1123_SUBDOMAIN_FMT = `${DNS1123_LABEL_FMT}(\\.${DNS1123_LABEL_FMT})*`;
const DNS1123_SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
export const DNS1123_SUBDOMAIN_MAX = 253;
const DNS1123_SUBDOMAIN = new RegExp(`^${DNS1123_SUBDOMAIN_FMT}$`);

const QUALIFIED_NAME_FMT = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const QUALIFIED_NAME_MSG =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
export const QUALIFIED_NAME_MAX = 63;
const QUALIFIED_NAME = new RegExp(`^${QUALIFIED_NAME_FMT}$`);

const LABEL_VALUE_FMT = `(${QUALIFIED_NAME_FMT})?`;
const LABEL_VALUE_MSG =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
export const LABEL_VALUE_MAX = 63;
const LABEL_VALUE = new RegExp(`^${LABEL_VALUE_FMT}$`);

export const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] as const;

/** What randomUUID() returns (any RFC 4122 variant, lowercase or not); drain job ids are these. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const UUID_FMT = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

/** validation.RegexError: the rule, examples, and the regex itself. */
function regexError(msg: string, fmt: string, ...examples: string[]): string {
  const eg = examples.map((e) => `'${e}', `).join('or ');
  return `${msg} (${examples.length > 0 ? `e.g. ${eg}` : ''}regex used for validation is '${fmt}')`;
}

function maxLenError(length: number): string {
  return `must be no more than ${length} characters`;
}

export function isDNS1123Subdomain(value: string): string[] {
  const errs: string[] = [];
  if (value.length > DNS1123_SUBDOMAIN_MAX) errs.push(maxLenError(DNS1123_SUBDOMAIN_MAX));
  if (!DNS1123_SUBDOMAIN.test(value)) {
    errs.push(regexError(DNS1123_SUBDOMAIN_MSG, DNS1123_SUBDOMAIN_FMT, 'example.com'));
  }
  return errs;
}

export function isDNS1123Label(value: string): string[] {
  const errs: string[] = [];
  if (value.length > DNS1123_LABEL_MAX) errs.push(maxLenError(DNS1123_LABEL_MAX));
  if (!DNS1123_LABEL.test(value)) {
    // Already length-checked: a valid subdomain that is not a label has dots.
    if (DNS1123_SUBDOMAIN.test(value)) errs.push('must not contain dots');
    else errs.push(regexError(DNS1123_LABEL_MSG, DNS1123_LABEL_FMT, 'my-name', '123-abc'));
  }
  return errs;
}

/** IsQualifiedName: `[prefix/]name`, the prefix a DNS subdomain, the name at most 63 characters. */
export function isQualifiedName(value: string): string[] {
  const errs: string[] = [];
  const parts = value.split('/');
  let name: string;
  if (parts.length === 1) {
    name = value;
  } else if (parts.length === 2) {
    const prefix = parts[0]!;
    name = parts[1]!;
    if (prefix.length === 0) errs.push('prefix part must be non-empty');
    else errs.push(...isDNS1123Subdomain(prefix).map((e) => `prefix part ${e}`));
  } else {
    return [
      `a qualified name ${regexError(QUALIFIED_NAME_MSG, QUALIFIED_NAME_FMT, 'MyName', 'my.name', '123-abc')} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ];
  }
  if (name.length === 0) errs.push('name part must be non-empty');
  else if (name.length > QUALIFIED_NAME_MAX) errs.push(`name part ${maxLenError(QUALIFIED_NAME_MAX)}`);
  if (!QUALIFIED_NAME.test(name)) {
    errs.push(
      `name part ${regexError(QUALIFIED_NAME_MSG, QUALIFIED_NAME_FMT, 'MyName', 'my.name', '123-abc')}`,
    );
  }
  return errs;
}

export function isValidLabelValue(value: string): string[] {
  const errs: string[] = [];
  if (value.length > LABEL_VALUE_MAX) errs.push(maxLenError(LABEL_VALUE_MAX));
  if (!LABEL_VALUE.test(value))
    errs.push(regexError(LABEL_VALUE_MSG, LABEL_VALUE_FMT, 'MyValue', 'my_value', '12345'));
  return errs;
}

export function isTaintEffect(value: string): string[] {
  if ((TAINT_EFFECTS as readonly string[]).includes(value)) return [];
  return [`supported values: ${TAINT_EFFECTS.map((e) => `"${e}"`).join(', ')}`];
}

export function isUUID(value: string): string[] {
  return UUID.test(value)
    ? []
    : [regexError('a drain job id must be a UUID', UUID_FMT, '3f8e6c2a-1b4d-4e9f-9a7c-5d2e8b1f0c6a')];
}

/** The names the gateway takes as arguments, each with the rule Kubernetes applies to it. */
export const NAME_RULES = {
  nodeName: { rule: 'IsDNS1123Subdomain', check: isDNS1123Subdomain },
  podName: { rule: 'IsDNS1123Subdomain', check: isDNS1123Subdomain },
  namespace: { rule: 'IsDNS1123Label', check: isDNS1123Label },
  labelKey: { rule: 'IsQualifiedName', check: isQualifiedName },
  labelValue: { rule: 'IsValidLabelValue', check: isValidLabelValue },
  taintKey: { rule: 'IsQualifiedName', check: isQualifiedName },
  taintValue: { rule: 'IsValidLabelValue', check: isValidLabelValue },
  taintEffect: { rule: 'TaintEffect', check: isTaintEffect },
  drainJobId: { rule: 'UUID', check: isUUID },
} as const satisfies Record<string, { rule: string; check: (value: string) => string[] }>;

export type NameKind = keyof typeof NAME_RULES;

export interface NameProblem {
  /** The Kubernetes rule broken, e.g. IsDNS1123Subdomain. */
  readonly rule: string;
  /** As field.Invalid words it: `Invalid value: "..": <every problem>`, the value quoted briefly. */
  readonly message: string;
}

/** Undefined when `value` is a valid name of this kind; else which rule it breaks and how. */
export function nameProblem(kind: NameKind, value: string): NameProblem | undefined {
  const { rule, check } = NAME_RULES[kind];
  const errs = check(value);
  if (errs.length === 0) return undefined;
  const shown = kind === 'taintEffect' ? 'Unsupported value' : 'Invalid value';
  return { rule, message: `${shown}: ${quoteInput(value)}: ${errs.join(', ')}` };
}
