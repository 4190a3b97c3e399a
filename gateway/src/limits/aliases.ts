import { GraphQLError, type ValidationRule } from 'graphql';
import { measureSelections } from './measure';

/**
 * Refuses an operation with more than `maxAliases` aliases, counted with fragments expanded:
 * aliases are how one request asks for the same expensive field many times over.
 */
export const maxAliasesRule =
  (maxAliases: number): ValidationRule =>
  (context) => {
    const aliasesIn = measureSelections(
      context,
      (field, inner) => (field.alias ? 1 : 0) + inner,
      (a, b) => a + b,
    );
    return {
      OperationDefinition(operation) {
        const aliases = aliasesIn(operation.selectionSet);
        if (aliases <= maxAliases) return;
        context.reportError(
          new GraphQLError(
            `the operation uses ${aliases} aliases, more than the limit of ${maxAliases}; use fewer aliases or split the operation`,
            {
              nodes: operation,
              extensions: { code: 'TOO_MANY_ALIASES', aliases, limit: maxAliases },
            },
          ),
        );
      },
    };
  };
