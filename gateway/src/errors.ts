import type { ApolloServerPlugin } from '@apollo/server';
import type { Logger } from '@orderflow/runtime';
import { GraphQLError } from 'graphql';
import { codelessMistake } from './operations';

/**
 * Errors already logged where they happened (a subgraph that failed), so that the request's own
 * log line does not tell them again: each failure is logged once. Weak, so it holds on to nothing.
 */
const logged = new WeakSet<object>();

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
    logged.add(error);
    if (answered) throw error;
    throw new GraphQLError(`the ${name} service is unavailable; try again shortly`, {
      extensions: { code: 'SUBGRAPH_UNAVAILABLE' },
    });
  };

/** No code yet means Apollo will answer INTERNAL_SERVER_ERROR, unless it is a known mistake. */
const isCallersMistake = (error: GraphQLError) => {
  const code = error.extensions.code ?? (codelessMistake(error.message) ? 'mistake' : undefined);
  return code !== undefined && code !== 'INTERNAL_SERVER_ERROR';
};

/**
 * Logs every error that is not the caller's mistake, once, with what identifies the request:
 * an INTERNAL_SERVER_ERROR in a response always has its cause in the gateway's log.
 */
export const errorLogPlugin = <Ctx extends { readonly requestId?: string }>(
  log: Logger,
): ApolloServerPlugin<Ctx> => ({
  // A refusal (401, AUTH_UNAVAILABLE, logged where it is decided) is a coded GraphQLError.
  contextCreationDidFail: async ({ error }) => {
    if (error instanceof GraphQLError && isCallersMistake(error)) return;
    log.error('could not build a request context; answered as an internal error', { error });
  },
  requestDidStart: async () => ({
    didEncounterErrors: async ({ errors, contextValue, operationName }) => {
      for (const error of errors) {
        if (isCallersMistake(error) || logged.has(error)) continue;
        if (error.originalError && logged.has(error.originalError)) continue;
        log.error('request failed', {
          requestId: contextValue.requestId,
          operationName,
          path: error.path,
          // The gateway's own fault is the original error; a subgraph's is what it answered (the
          // GraphQLError holds it, and its serviceName), whose stack is in that subgraph's log.
          error: error.originalError instanceof Error ? error.originalError : error,
        });
      }
    },
  }),
});
