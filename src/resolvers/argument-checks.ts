import { type NameKind, nameProblem } from '../clusters/kube-names.js';
import { gatewayError } from './graphql-errors.js';

/**
 * Names checked before anything uses them: a resolver calls these first, so a name Kubernetes
 * would refuse (`.`, `..`, `a/b`, 100 KB of text) costs no API call and no store read, and the
 * client hears which argument broke which rule (`extensions.argument`, `extensions.rule`).
 */

/** `value` when it is a valid name of `kind`; else BAD_USER_INPUT naming `argument` and the rule. */
export function checkedName(kind: NameKind, argument: string, value: string): string {
  const problem = nameProblem(kind, value);
  if (!problem) return value;
  throw gatewayError('BAD_USER_INPUT', `${argument}: ${problem.message}`, { argument, rule: problem.rule });
}

/** As checkedName, for an optional argument (null and undefined pass through). */
export function checkedOptionalName<T extends string | null | undefined>(
  kind: NameKind,
  argument: string,
  value: T,
): T {
  if (value !== null && value !== undefined) checkedName(kind, argument, value);
  return value;
}

/** Every item of a list argument, e.g. `names`; the message names the first bad item's index. */
export function checkedNames(
  kind: NameKind,
  argument: string,
  values: readonly string[] | null | undefined,
): void {
  values?.forEach((value, i) => {
    checkedName(kind, `${argument}[${i}]`, value);
  });
}
