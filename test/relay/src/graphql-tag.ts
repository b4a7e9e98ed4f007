/** Stands in for react-relay's `graphql` tag: relay-compiler reads the tagged text, nothing runs it. */
export function graphql(strings: TemplateStringsArray): string {
  return strings.join('');
}
