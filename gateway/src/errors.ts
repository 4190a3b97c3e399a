import type { ApolloServerPlugin } from '@apollo/server';
import type { Logger } from '@orderflow/runtime';
import { GraphQLError } from 'graphql';
import { codelessMistake } from './operations';

/**
 * What the gateway does when a subgraph cannot be reached: the caller learns which service is
 * away and that trying again may help, not the subgraph's internal address; the log gets the
 * cause. A subgraph that answered (even with an error status) is not "unavailable".
 */
export const subgraphFailure =
  (name: string, log: Logger) =>
  (error: Error, answered: boolean, requestId: string | undefined): never => {
    log.error(`subgraph ${name} ${answered ? 'answered with an error' : 'could not be reached'}`, {
      subgraph: name,
      requestId,
      error,
    });
    if (answered) throw error;
    throw new GraphQLError(`the ${name} service is unavailable; try again shortly`, {
      extensions: { code: 'SUBGRAPH_UNAVAILABLE' },
    });
  };

/**
 * Logs every error that is not the caller's mistake, once, with what identifies the request:
 * an INTERNAL_SERVER_ERROR in a response always has its cause in the gateway's log.
 */
export const errorLogPlugin = <Ctx extends { readonly requestId?: string }>(
  log: Logger,
): ApolloServerPlugin<Ctx> => ({
  requestDidStart: async () => ({
    didEncounterErrors: async ({ errors, contextValue, operationName }) => {
      for (const error of errors) {
        // No code yet means Apollo will answer INTERNAL_SERVER_ERROR, unless it is a known mistake.
        const code =
          error.extensions.code ?? (codelessMistake(error.message) ? 'mistake' : undefined);
        if (code !== undefined && code !== 'INTERNAL_SERVER_ERROR') continue;
        log.error('request failed', {
          requestId: contextValue.requestId,
          operationName,
          path: error.path,
          error: error.originalError ?? error,
        });
      }
    },
  }),
});
