import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import {
  buildASTSchema,
  getNamedType,
  isEnumType,
  isObjectType,
  Kind,
  parse,
  parseType,
  visit,
  type ASTVisitor,
  type ConstDirectiveNode,
  type GraphQLSchema,
} from 'graphql';
import {
  apiSchemaOf,
  compareApi,
  formatBreaking,
  parseApiSchema,
  printApiSchema,
} from '../src/api-compat';
import { defaultApiSnapshotPath, defaultSupergraphPath } from '../src/paths';

const snapshotName = basename(defaultApiSnapshotPath);
const current = apiSchemaOf(readFileSync(defaultSupergraphPath, 'utf8'));
const currentSdl = printApiSchema(current);

describe('the public API', () => {
  it('has no breaking change against the released snapshot unless deprecated first', async () => {
    const released = parseApiSchema(readFileSync(defaultApiSnapshotPath, 'utf8'));
    const { breaking } = await compareApi(released, current);
    if (breaking.length > 0) throw new Error(formatBreaking(breaking, snapshotName));
  });

  it('is checked in as the snapshot exactly (run `npm run api:snapshot` if not)', async () => {
    const snapshot = readFileSync(defaultApiSnapshotPath, 'utf8');
    if (snapshot === currentSdl) return;
    const { breaking, retired, compatible } = await compareApi(parseApiSchema(snapshot), current);
    const changes = [
      ...breaking.map((change) => `  - BREAKING: ${change.message}`),
      ...retired.map((change) => `  - removed after deprecation: ${change.message}`),
      ...compatible.map((change) => `  - ${change.criticality.level}: ${change.message}`),
    ];
    throw new Error(
      [
        `${snapshotName} differs from the public API the supergraph serves; run \`npm run api:snapshot\` and commit it:`,
        ...(changes.length > 0 ? changes : ['  (formatting only)']),
        ...(breaking.length > 0
          ? ['the snapshot will not take BREAKING changes: deprecate first (see the test above)']
          : []),
      ].join('\n'),
    );
  });

  it('is the API schema clients see, without federation machinery', () => {
    expect(currentSdl).not.toMatch(/join__|link__|@link|@join/);
    expect(current.getQueryType()).toBeDefined();
  });
});

/** The current API schema with one edit applied to its SDL. */
const edited = (sdl: string, visitor: ASTVisitor): GraphQLSchema =>
  buildASTSchema(visit(parse(sdl), visitor));

const deprecated: ConstDirectiveNode = {
  kind: Kind.DIRECTIVE,
  name: { kind: Kind.NAME, value: 'deprecated' },
  arguments: [
    {
      kind: Kind.ARGUMENT,
      name: { kind: Kind.NAME, value: 'reason' },
      value: { kind: Kind.STRING, value: 'going away' },
    },
  ],
};

/** An object type's field of a scalar type (removing it removes no type along with it). */
const scalarField = (() => {
  const roots = new Set([current.getQueryType(), current.getMutationType()]);
  for (const type of Object.values(current.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__') || roots.has(type)) continue;
    const field = Object.values(type.getFields()).find(
      (candidate) => getNamedType(candidate.type).name === 'String',
    );
    if (field) return { typeName: type.name, fieldName: field.name };
  }
  throw new Error('the API has no object type with a String field');
})();

const enumValue = (() => {
  const type = Object.values(current.getTypeMap()).find(
    (candidate) => isEnumType(candidate) && !candidate.name.startsWith('__'),
  );
  const value = isEnumType(type) ? type.getValues()[0] : undefined;
  if (!type || !value) throw new Error('the API has no enum');
  return { enumName: type.name, valueName: value.name };
})();

const queryField = (() => {
  const query = current.getQueryType();
  const field = query && Object.values(query.getFields())[0];
  if (!query || !field) throw new Error('the API has no query field');
  return { typeName: query.name, fieldName: field.name };
})();

const removeField = (typeName: string, fieldName: string): ASTVisitor => ({
  ObjectTypeDefinition: (node) =>
    node.name.value === typeName
      ? { ...node, fields: node.fields?.filter((field) => field.name.value !== fieldName) }
      : undefined,
});

const deprecateField = (typeName: string, fieldName: string): ASTVisitor => ({
  ObjectTypeDefinition: (node) =>
    node.name.value === typeName
      ? {
          ...node,
          fields: node.fields?.map((field) =>
            field.name.value === fieldName
              ? { ...field, directives: [...(field.directives ?? []), deprecated] }
              : field,
          ),
        }
      : undefined,
});

const removeEnumValue = (enumName: string, valueName: string): ASTVisitor => ({
  EnumTypeDefinition: (node) =>
    node.name.value === enumName
      ? { ...node, values: node.values?.filter((value) => value.name.value !== valueName) }
      : undefined,
});

const deprecateEnumValue = (enumName: string, valueName: string): ASTVisitor => ({
  EnumTypeDefinition: (node) =>
    node.name.value === enumName
      ? {
          ...node,
          values: node.values?.map((value) =>
            value.name.value === valueName
              ? { ...value, directives: [...(value.directives ?? []), deprecated] }
              : value,
          ),
        }
      : undefined,
});

const breakingTypes = async (released: GraphQLSchema, next: GraphQLSchema) =>
  (await compareApi(released, next)).breaking.map((change) => change.type as string);

describe('the API compatibility gate', () => {
  it('reports no change when the schema is the same', async () => {
    const comparison = await compareApi(parseApiSchema(currentSdl), current);
    expect(comparison).toEqual({ breaking: [], retired: [], compatible: [] });
  });

  it('refuses a removed field', async () => {
    const { typeName, fieldName } = scalarField;
    const next = edited(currentSdl, removeField(typeName, fieldName));
    expect(await breakingTypes(current, next)).toEqual(['FIELD_REMOVED']);
  });

  it('refuses a retyped field', async () => {
    const { typeName, fieldName } = scalarField;
    const next = edited(currentSdl, {
      ObjectTypeDefinition: (node) =>
        node.name.value === typeName
          ? {
              ...node,
              fields: node.fields?.map((field) =>
                field.name.value === fieldName ? { ...field, type: parseType('Int!') } : field,
              ),
            }
          : undefined,
    });
    expect(await breakingTypes(current, next)).toEqual(['FIELD_TYPE_CHANGED']);
  });

  it('refuses a new required argument', async () => {
    const { typeName, fieldName } = queryField;
    const next = edited(currentSdl, {
      ObjectTypeDefinition: (node) =>
        node.name.value === typeName
          ? {
              ...node,
              fields: node.fields?.map((field) =>
                field.name.value === fieldName
                  ? {
                      ...field,
                      arguments: [
                        ...(field.arguments ?? []),
                        {
                          kind: Kind.INPUT_VALUE_DEFINITION,
                          name: { kind: Kind.NAME, value: 'region' },
                          type: parseType('String!'),
                        },
                      ],
                    }
                  : field,
              ),
            }
          : undefined,
    });
    expect(await breakingTypes(current, next)).toEqual(['FIELD_ARGUMENT_ADDED']);
  });

  it('refuses a removed enum value', async () => {
    const { enumName, valueName } = enumValue;
    const next = edited(currentSdl, removeEnumValue(enumName, valueName));
    expect(await breakingTypes(current, next)).toEqual(['ENUM_VALUE_REMOVED']);
  });

  it('allows removing a field the released schema had deprecated', async () => {
    const { typeName, fieldName } = scalarField;
    const released = edited(currentSdl, deprecateField(typeName, fieldName));
    const next = edited(currentSdl, removeField(typeName, fieldName));
    const { breaking, retired } = await compareApi(released, next);
    expect(breaking).toEqual([]);
    expect(retired.map((change) => change.path)).toEqual([`${typeName}.${fieldName}`]);
  });

  it('allows removing an enum value the released schema had deprecated', async () => {
    const { enumName, valueName } = enumValue;
    const released = edited(currentSdl, deprecateEnumValue(enumName, valueName));
    const next = edited(currentSdl, removeEnumValue(enumName, valueName));
    const { breaking, retired } = await compareApi(released, next);
    expect(breaking).toEqual([]);
    expect(retired.map((change) => change.path)).toEqual([`${enumName}.${valueName}`]);
  });

  it('allows removing a type only a removed deprecated field used, but not one still in use', async () => {
    const alsoUsedElsewhere = parseApiSchema(`
      type Query { legacy: Legacy @deprecated(reason: "use modern") other: Legacy modern: Modern }
      type Legacy { id: ID! }
      type Modern { id: ID! }
    `);
    const withoutLegacy = parseApiSchema(`type Query { modern: Modern } type Modern { id: ID! }`);
    const { breaking: refused } = await compareApi(alsoUsedElsewhere, withoutLegacy);
    expect(refused.map((change) => change.path).sort()).toEqual(['Legacy', 'Query.other']);
    const deprecatedEverywhere = parseApiSchema(`
      type Query { legacy: Legacy @deprecated(reason: "use modern") modern: Modern }
      type Legacy { id: ID! }
      type Modern { id: ID! }
    `);
    const next = parseApiSchema(`type Query { modern: Modern } type Modern { id: ID! }`);
    const { breaking, retired } = await compareApi(deprecatedEverywhere, next);
    expect(breaking).toEqual([]);
    expect(retired.map((change) => change.type as string).sort()).toEqual([
      'FIELD_REMOVED',
      'TYPE_REMOVED',
    ]);
  });

  it('counts additions as compatible, not breaking', async () => {
    const next = parseApiSchema(`${currentSdl}\nextend type Query { newField: String }\n`);
    const { breaking, compatible } = await compareApi(current, next);
    expect(breaking).toEqual([]);
    expect(compatible.map((change) => change.type as string)).toEqual(['FIELD_ADDED']);
  });

  it('names each breaking change and what to do about it', async () => {
    const { typeName, fieldName } = scalarField;
    const next = edited(currentSdl, removeField(typeName, fieldName));
    const message = formatBreaking((await compareApi(current, next)).breaking, snapshotName);
    expect(message).toContain(`[${typeName}.${fieldName}]`);
    expect(message).toContain('@deprecated');
    expect(message).toContain('npm run api:snapshot -- --accept-breaking');
  });
});
