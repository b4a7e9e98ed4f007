import { type DocumentNode, type FragmentDefinitionNode, Kind, type SelectionSetNode } from 'graphql';

/** Finds a fragment of the operation's document by name. */
export type FragmentLookup = (name: string) => FragmentDefinitionNode | null | undefined;

/**
 * The root fields of a selection set: aliases count, `__typename` does not, fragments are
 * followed once each. What both the root-mutation cap and the mutation rate limit count.
 */
export function countRootFields(
  set: SelectionSetNode,
  fragment: FragmentLookup,
  seen = new Set<string>(),
): number {
  let count = 0;
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value !== '__typename') count++;
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      count += countRootFields(selection.selectionSet, fragment, seen);
    } else if (!seen.has(selection.name.value)) {
      seen.add(selection.name.value);
      const definition = fragment(selection.name.value);
      if (definition) count += countRootFields(definition.selectionSet, fragment, seen);
    }
  }
  return count;
}

/** A FragmentLookup over a parsed document. */
export function fragmentsOf(document: DocumentNode): FragmentLookup {
  return (name) =>
    document.definitions.find(
      (d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION && d.name.value === name,
    );
}
