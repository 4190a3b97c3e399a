import { Kind, type FieldNode, type SelectionSetNode, type ValidationContext } from 'graphql';

/**
 * Measures selection sets with fragment spreads expanded, as they will run: `field` measures one
 * field from the measure of its own selections, `combine` joins siblings. Each fragment is measured
 * once and remembered, so a document that spreads fragments inside fragments many times over is
 * still measured in linear time instead of exploding with its expansion.
 */
export const measureSelections = (
  context: ValidationContext,
  field: (node: FieldNode, inner: number) => number,
  combine: (a: number, b: number) => number,
): ((selectionSet: SelectionSetNode) => number) => {
  const fragments = new Map<string, number>();
  const expanding = new Set<string>();

  const measure = (selectionSet: SelectionSetNode): number =>
    selectionSet.selections.reduce((total, selection) => {
      switch (selection.kind) {
        case Kind.FIELD:
          return combine(
            total,
            field(selection, selection.selectionSet ? measure(selection.selectionSet) : 0),
          );
        case Kind.INLINE_FRAGMENT:
          return combine(total, measure(selection.selectionSet));
        case Kind.FRAGMENT_SPREAD:
          return combine(total, measureFragment(selection.name.value));
      }
    }, 0);

  const measureFragment = (name: string): number => {
    const known = fragments.get(name);
    if (known !== undefined) return known;
    const fragment = context.getFragment(name);
    // Unknown and cyclic fragments are graphql-js's own validation errors; here they measure 0.
    if (!fragment || expanding.has(name)) return 0;
    expanding.add(name);
    const measured = measure(fragment.selectionSet);
    expanding.delete(name);
    fragments.set(name, measured);
    return measured;
  };

  return measure;
};
