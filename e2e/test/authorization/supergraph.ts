import {
  Kind,
  parse,
  print,
  type ConstDirectiveNode,
  type DefinitionNode,
  type ObjectTypeDefinitionNode,
} from 'graphql';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * Every operation of the supergraph and the subgraph that serves it, read from
 * gateway/supergraph.graphql: its root fields (`Query.order`, `Subscription.orderStatusChanged`),
 * and `_entities(Order)@payment` for each entity type a subgraph resolves by key.
 */
export interface SupergraphOperation {
  readonly name: string;
  readonly subgraph: string;
}

const ROOTS = ['Query', 'Mutation', 'Subscription'];

const argument = (directive: ConstDirectiveNode, name: string) => {
  const value = directive.arguments?.find((arg) => arg.name.value === name)?.value;
  return value === undefined ? undefined : print(value).replace(/^"|"$/g, '');
};

const joins = (node: { readonly directives?: readonly ConstDirectiveNode[] }, name: string) =>
  (node.directives ?? []).filter((directive) => directive.name.value === name);

const isObjectType = (node: DefinitionNode): node is ObjectTypeDefinitionNode =>
  node.kind === Kind.OBJECT_TYPE_DEFINITION;

export const supergraphOperations = (
  path = resolve(__dirname, '../../../gateway/supergraph.graphql'),
): SupergraphOperation[] => {
  const document = parse(readFileSync(path, 'utf8'));
  // join__Graph's values name the subgraphs: ORDER @join__graph(name: "order", ...).
  const graphs = new Map<string, string>();
  for (const node of document.definitions) {
    if (node.kind !== Kind.ENUM_TYPE_DEFINITION || node.name.value !== 'join__Graph') continue;
    for (const value of node.values ?? []) {
      const [graph] = joins(value, 'join__graph');
      graphs.set(value.name.value, argument(graph!, 'name')!);
    }
  }
  const subgraphOf = (graph: string | undefined) => {
    const name = graph === undefined ? undefined : graphs.get(graph);
    if (name === undefined) throw new Error(`the supergraph names no subgraph ${graph}`);
    return name;
  };

  const types = document.definitions.filter(isObjectType);
  const rootFields = types
    .filter((type) => ROOTS.includes(type.name.value))
    .flatMap((type) => {
      const typeGraphs = joins(type, 'join__type').map((join) => argument(join, 'graph'));
      return (type.fields ?? []).map((field) => {
        // A field served by one subgraph says which; a root type joined by one graph needs not.
        const [join] = joins(field, 'join__field');
        const graph = join ? argument(join, 'graph') : typeGraphs.length === 1 ? typeGraphs[0] : '';
        return { name: `${type.name.value}.${field.name.value}`, subgraph: subgraphOf(graph) };
      });
    });
  const entities = types.flatMap((type) =>
    joins(type, 'join__type')
      .filter((join) => argument(join, 'key') !== undefined)
      .filter((join) => argument(join, 'resolvable') !== 'false')
      .map((join) => {
        const subgraph = subgraphOf(argument(join, 'graph'));
        return { name: `_entities(${type.name.value})@${subgraph}`, subgraph };
      }),
  );
  return [...rootFields, ...entities];
};
