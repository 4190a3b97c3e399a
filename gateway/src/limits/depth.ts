import { GraphQLError, type ValidationRule } from 'graphql';
import { measureSelections } from './measure';

/**
 * Refuses an operation nested deeper than `maxDepth` fields, counting through fragments:
 * `{ order { lines { sku } } }` is 3 deep. Introspection (`__schema`, `__type`) is not counted:
 * its depth is bounded by the schema, tools like Sandbox need 15 levels, and production turns
 * introspection off altogether.
 */
export const maxDepthRule =
  (maxDepth: number): ValidationRule =>
  (context) => {
    const depthOf = measureSelections(
      context,
      (field, inner) => (field.name.value.startsWith('__') ? 0 : 1 + inner),
      Math.max,
    );
    return {
      OperationDefinition(operation) {
        const depth = depthOf(operation.selectionSet);
        if (depth <= maxDepth) return;
        context.reportError(
          new GraphQLError(
            `the operation is ${depth} fields deep, more than the limit of ${maxDepth}; select less deeply nested fields or split the operation`,
            { nodes: operation, extensions: { code: 'QUERY_TOO_DEEP', depth, limit: maxDepth } },
          ),
        );
      },
    };
  };
