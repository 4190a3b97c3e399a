import {
  GraphQLError,
  GraphQLInt,
  Kind,
  SchemaMetaFieldDef,
  TypeMetaFieldDef,
  getNamedType,
  getNullableType,
  isCompositeType,
  isInterfaceType,
  isListType,
  isObjectType,
  valueFromAST,
  visit,
  type DocumentNode,
  type FieldNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';

/** How many items a list is assumed to hold when the request does not say (`first`). */
const DEFAULT_LIST_SIZE = 20;

/**
 * Where a selection set sits, which decides whether its list fields multiply:
 * - `data`: an ordinary object; a list field without `first` counts DEFAULT_LIST_SIZE items.
 * - `page`: a connection a `first` argument already sized (`orders(first: 5) { edges }`); its
 *   lists are that page, so they are not multiplied again.
 * - `schema`: inside `__schema` or `__type`, whose lists are the schema's own, bounded by its size.
 */
type Place = 'data' | 'page' | 'schema';

type Variables = Readonly<Record<string, unknown>>;

/**
 * Refuses an operation costlier than `maxCost`. Each field costs 1; a field taking `first`
 * multiplies the cost of its selections by that value (a variable's value from `variables`, else
 * the argument's default, else DEFAULT_LIST_SIZE), and any other list field by DEFAULT_LIST_SIZE.
 */
export const maxCostRule =
  (maxCost: number, variables: Variables = {}): ValidationRule =>
  (context) => ({
    OperationDefinition(operation) {
      const root = context.getSchema().getRootType(operation.operation);
      if (!root) return;
      const cost = new CostCounter(context, operation, variables).selections(
        operation.selectionSet,
        root,
        'data',
      );
      if (cost <= maxCost) return;
      context.reportError(
        new GraphQLError(
          `the operation costs ${cost}, more than the limit of ${maxCost}; ask for fewer items with \`first\` or fewer nested lists`,
          { nodes: operation, extensions: { code: 'QUERY_TOO_COSTLY', cost, limit: maxCost } },
        ),
      );
    },
  });

/**
 * The variables the cost rule reads: those given as a `first` argument. A verdict of the limits
 * depends on these alone (depth, aliases and introspection read none), so it may be remembered by
 * their values; a change to what this rule reads must change this too.
 */
export const sizeVariables = (document: DocumentNode): string[] => {
  const names = new Set<string>();
  visit(document, {
    Argument(argument) {
      if (argument.name.value === 'first' && argument.value.kind === Kind.VARIABLE) {
        names.add(argument.value.name.value);
      }
    },
  });
  return [...names];
};

/** Costs one operation; fragments are costed once per place they appear in and remembered. */
class CostCounter {
  private readonly fragments = new Map<string, number>();
  private readonly expanding = new Set<string>();

  constructor(
    private readonly context: ValidationContext,
    private readonly operation: OperationDefinitionNode,
    private readonly variables: Variables,
  ) {}

  selections(selectionSet: SelectionSetNode, parent: GraphQLCompositeType, place: Place): number {
    let cost = 0;
    for (const selection of selectionSet.selections) {
      switch (selection.kind) {
        case Kind.FIELD:
          cost += this.field(selection, parent, place);
          break;
        case Kind.INLINE_FRAGMENT: {
          const type = selection.typeCondition
            ? this.context.getSchema().getType(selection.typeCondition.name.value)
            : parent;
          if (isCompositeType(type)) cost += this.selections(selection.selectionSet, type, place);
          break;
        }
        case Kind.FRAGMENT_SPREAD:
          cost += this.fragment(selection.name.value, place);
          break;
      }
    }
    return cost;
  }

  private fragment(name: string, place: Place): number {
    const key = `${name} in ${place}`;
    const known = this.fragments.get(key);
    if (known !== undefined) return known;
    const fragment = this.context.getFragment(name);
    const type = fragment && this.context.getSchema().getType(fragment.typeCondition.name.value);
    // Unknown, mistyped and cyclic fragments are graphql-js's own validation errors; here they cost 0.
    if (!fragment || !isCompositeType(type) || this.expanding.has(name)) return 0;
    this.expanding.add(name);
    const cost = this.selections(fragment.selectionSet, type, place);
    this.expanding.delete(name);
    this.fragments.set(key, cost);
    return cost;
  }

  private field(node: FieldNode, parent: GraphQLCompositeType, place: Place): number {
    const definition = this.definition(node.name.value, parent);
    if (!definition) return 1;
    const type = getNamedType(definition.type);
    const returnsList = isListType(getNullableType(definition.type));
    let multiplier = 1;
    let inner: Place = 'data';
    if (
      place === 'schema' ||
      definition === SchemaMetaFieldDef ||
      definition === TypeMetaFieldDef
    ) {
      inner = 'schema';
    } else if (definition.args.some((argument) => argument.name === 'first')) {
      multiplier = this.first(node, definition);
      inner = returnsList ? 'data' : 'page';
    } else if (returnsList && place !== 'page') {
      multiplier = DEFAULT_LIST_SIZE;
    }
    const selections =
      node.selectionSet && isCompositeType(type)
        ? this.selections(node.selectionSet, type, inner)
        : 0;
    return 1 + multiplier * selections;
  }

  private definition(
    name: string,
    parent: GraphQLCompositeType,
  ): GraphQLField<unknown, unknown> | undefined {
    const schema = this.context.getSchema();
    if (parent === schema.getQueryType()) {
      if (name === SchemaMetaFieldDef.name) return SchemaMetaFieldDef;
      if (name === TypeMetaFieldDef.name) return TypeMetaFieldDef;
    }
    // Unions have no fields but __typename, which costs 1 like any leaf.
    return isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[name] : undefined;
  }

  /** The page size the field will be asked for, as the field's resolver would see it. */
  private first(node: FieldNode, definition: GraphQLField<unknown, unknown>): number {
    const fallback = definition.args.find((argument) => argument.name === 'first')?.defaultValue;
    const argument = node.arguments?.find((candidate) => candidate.name.value === 'first');
    let value: unknown = fallback;
    if (argument?.value.kind === Kind.VARIABLE) {
      const name = argument.value.name.value;
      const declared = this.operation.variableDefinitions?.find(
        (variable) => variable.variable.name.value === name,
      );
      // An unset variable without a default leaves the argument unset: its default applies.
      if (this.variables[name] !== undefined) value = this.variables[name];
      else if (declared?.defaultValue) value = valueFromAST(declared.defaultValue, GraphQLInt);
    } else if (argument) {
      value = valueFromAST(argument.value, GraphQLInt);
    }
    return typeof value === 'number' && Number.isInteger(value)
      ? Math.max(0, value)
      : DEFAULT_LIST_SIZE;
  }
}
