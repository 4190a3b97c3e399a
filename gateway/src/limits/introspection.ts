import { GraphQLError, type ValidationRule } from 'graphql';

/**
 * Refuses `__schema` and `__type` (not `__typename`, which clients need to read unions). This
 * replaces Apollo Server's own rule, whose message tells the server's owner how to turn it on
 * rather than telling the caller where the schema is.
 */
export const noIntrospectionRule: ValidationRule = (context) => ({
  Field(field) {
    if (field.name.value !== '__schema' && field.name.value !== '__type') return;
    context.reportError(
      new GraphQLError(
        'introspection is disabled in production; use the published schema (gateway/supergraph.graphql) instead',
        { nodes: field, extensions: { code: 'INTROSPECTION_DISABLED' } },
      ),
    );
  },
});
