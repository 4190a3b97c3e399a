import { Supergraph } from '@apollo/federation-internals';
import { ChangeType, CriticalityLevel, diff, type Change } from '@graphql-inspector/core';
import {
  buildSchema,
  getNamedType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isUnionType,
  printSchema,
  type GraphQLSchema,
} from 'graphql';

/**
 * The public API's compatibility gate. The schema clients see (the supergraph's API schema: no
 * federation directives, no @inaccessible elements) is kept as released in a snapshot
 * (`public-api.graphql`); the current one is diffed against it with @graphql-inspector/core. A
 * breaking change is refused unless it removes what the snapshot had already deprecated: deprecate,
 * release, then remove.
 */

/** The API schema of a composed supergraph: what clients of the gateway can query. */
export const apiSchemaOf = (supergraphSdl: string): GraphQLSchema =>
  Supergraph.build(supergraphSdl).apiSchema().toGraphQLJSSchema();

/** The snapshot's text for a schema: graphql's printSchema, ending in a newline. */
export const printApiSchema = (schema: GraphQLSchema): string => `${printSchema(schema)}\n`;

export const parseApiSchema = (sdl: string): GraphQLSchema => buildSchema(sdl);

export interface ApiComparison {
  /** Breaking changes not preceded by a deprecation: they fail the gate. */
  readonly breaking: readonly Change[];
  /** Breaking by kind, but removing what the released schema had deprecated: allowed. */
  readonly retired: readonly Change[];
  /** Dangerous and non-breaking changes (additions, new optional arguments, descriptions). */
  readonly compatible: readonly Change[];
}

/** Compares the current API schema with the released one. */
export const compareApi = async (
  released: GraphQLSchema,
  current: GraphQLSchema,
): Promise<ApiComparison> => {
  const changes = await diff(released, current);
  const breaking: Change[] = [];
  const retired: Change[] = [];
  const compatible: Change[] = [];
  for (const change of changes) {
    if (change.criticality.level !== CriticalityLevel.Breaking) compatible.push(change);
    else if (wasDeprecated(change, released)) retired.push(change);
    else breaking.push(change);
  }
  return { breaking, retired, compatible };
};

/**
 * Whether a breaking change only removes what the released schema had marked @deprecated: a field,
 * an input field, an enum value, or a type that nothing but deprecated fields and arguments used.
 */
const wasDeprecated = (change: Change, released: GraphQLSchema): boolean => {
  const meta = change.meta as Record<string, unknown>;
  switch (change.type as string) {
    case ChangeType.FieldRemoved:
      return meta['isRemovedFieldDeprecated'] === true;
    case ChangeType.InputFieldRemoved:
      return meta['isInputFieldDeprecated'] === true;
    case ChangeType.EnumValueRemoved:
      return meta['isEnumValueDeprecated'] === true;
    case ChangeType.TypeRemoved:
      return (
        typeof meta['removedTypeName'] === 'string' &&
        onlyUsedDeprecated(released, meta['removedTypeName'])
      );
    default:
      return false;
  }
};

/** Whether every use of a type in the schema is by a deprecated field, input field or argument. */
const onlyUsedDeprecated = (schema: GraphQLSchema, typeName: string): boolean => {
  const roots = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()];
  if (roots.some((root) => root?.name === typeName)) return false;
  let uses = 0;
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    if (isUnionType(type) && type.getTypes().some((member) => member.name === typeName)) {
      return false;
    }
    if (isObjectType(type) || isInterfaceType(type)) {
      if (type.getInterfaces().some((iface) => iface.name === typeName)) return false;
      for (const field of Object.values(type.getFields())) {
        if (getNamedType(field.type).name === typeName) {
          uses += 1;
          if (field.deprecationReason == null) return false;
        }
        for (const arg of field.args) {
          if (getNamedType(arg.type).name !== typeName) continue;
          uses += 1;
          if (arg.deprecationReason == null && field.deprecationReason == null) return false;
        }
      }
    }
    if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) {
        if (getNamedType(field.type).name !== typeName) continue;
        uses += 1;
        if (field.deprecationReason == null) return false;
      }
    }
  }
  return uses > 0;
};

/** What to do about one breaking change, by its kind. */
const remedy = (change: Change): string => {
  switch (change.type as string) {
    case ChangeType.FieldRemoved:
    case ChangeType.InputFieldRemoved:
    case ChangeType.EnumValueRemoved:
    case ChangeType.TypeRemoved:
      return 'restore it; to retire it, mark it @deprecated(reason: "…") in its subgraph schema, release that, and remove it in a later release';
    case ChangeType.FieldTypeChanged:
    case ChangeType.InputFieldTypeChanged:
    case ChangeType.FieldArgumentTypeChanged:
      return 'keep the old type; add a new field or argument with the new type and deprecate the old one';
    case ChangeType.FieldArgumentAdded:
    case ChangeType.InputFieldAdded:
      return 'make it optional (nullable) or give it a default value';
    case ChangeType.FieldArgumentRemoved:
      return 'restore the argument; ignore it in the resolver if it no longer matters';
    default:
      return 'keep the released shape; add the new one alongside it and deprecate the old';
  }
};

const describeChange = (change: Change): string =>
  `${change.message}${change.path ? ` [${change.path}]` : ''}: ${remedy(change)}`;

/** The failure a developer sees: each breaking change, what to do about it, and the way out. */
export const formatBreaking = (changes: readonly Change[], snapshotName: string): string =>
  [
    `the public GraphQL API has ${changes.length} breaking change(s) against the released snapshot ${snapshotName}:`,
    ...changes.map((change) => `  - ${describeChange(change)}`),
    'Clients written against the released API would break. Deprecate first (@deprecated), release, then remove.',
    'If this is a deliberate major version of the API, accept it with `npm run api:snapshot -- --accept-breaking`.',
  ].join('\n');
