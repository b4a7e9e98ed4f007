/**
 * The `dryRun` option of create, update, patch and delete, read as kube-apiserver reads it: the query
 * parameter (repeatable) decodes into the options' `DryRun []string`, then ValidateDryRun allows only
 * `All`. Anything else is the handler's NewInvalid of the options kind, a 422 such as
 * `CreateOptions.meta.k8s.io "" is invalid: dryRun: Unsupported value: []string{"bogus"}: supported values: "All"`.
 */
import { ApiError } from './status.js';

export type OptionsKind = 'CreateOptions' | 'UpdateOptions' | 'PatchOptions' | 'DeleteOptions';

/** Go's %#v of a []string. */
function goStrings(values: readonly string[]): string {
  return `[]string{${values.map((v) => JSON.stringify(v)).join(', ')}}`;
}

/** Whether the request is a dry run; `extra` are values from the body (DeleteOptions.dryRun). */
export function dryRunOf(query: URLSearchParams, kind: OptionsKind, extra: readonly string[] = []): boolean {
  const values = [...query.getAll('dryRun'), ...extra];
  if (values.length === 0) return false;
  if (values.every((v) => v === 'All')) return true;
  const message = `Unsupported value: ${goStrings(values)}: supported values: "All"`;
  throw new ApiError(422, 'Invalid', `${kind}.meta.k8s.io "" is invalid: dryRun: ${message}`, {
    group: 'meta.k8s.io',
    kind,
    causes: [{ reason: 'FieldValueNotSupported', message, field: 'dryRun' }],
  });
}
