/**
 * Boolean query parameters as the apiserver decodes them into ListOptions / DeleteOptions / PatchOptions
 * (k8s.io/apimachinery/pkg/runtime/conversion.go, Convert_Slice_string_To_bool): only "0" and "false" in any
 * case are false; any other value, even an empty one (`?watch=`), is true. It is not strconv.ParseBool:
 * nothing is rejected, so `watch=True` and `watch=yes` both watch.
 */
export function queryBool(query: URLSearchParams, name: string): boolean | undefined {
  const values = query.getAll(name);
  if (values.length === 0) return undefined;
  const first = values[0]!;
  return !(first === '0' || first.toLowerCase() === 'false');
}
