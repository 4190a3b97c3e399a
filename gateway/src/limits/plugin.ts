import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { OperationLimits } from './rules';
import { limitVerdicts } from './verdicts';

/**
 * Refuses an operation over the limits once its variables are known, before it is planned or run,
 * with HTTP 400 and the rule's own code. Apollo's `validationRules` option would not do: Apollo
 * validates a document once and caches it, so a rule there never sees `first: $n`'s value, and it
 * replaces each validation error's code with GRAPHQL_VALIDATION_FAILED.
 */
export const limitsPlugin = <Ctx extends BaseContext>(
  limits: OperationLimits,
): ApolloServerPlugin<Ctx> => {
  const verdicts = limitVerdicts(limits);
  return {
    requestDidStart: async () => ({
      didResolveOperation: async ({ schema, document, request }) => {
        const refusal = verdicts.refusal(schema, document, request.variables ?? {});
        if (!refusal) return;
        throw new GraphQLError(refusal.message, {
          nodes: refusal.nodes,
          extensions: { ...refusal.extensions, http: { status: 400 } },
        });
      },
    }),
  };
};
