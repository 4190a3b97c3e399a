import type { ApolloServerOptions, ApolloServerPlugin, BaseContext } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { Logger } from './log';

/** The logger Apollo Server and Apollo Gateway accept: one message, any type. */
export type ApolloLogger = NonNullable<ApolloServerOptions<BaseContext>['logger']>;

/**
 * What Apollo says when `unexpectedErrorProcessingRequest` has just been told, with the error
 * itself: `unexpectedErrorPlugin` logs that one with its stack, so Apollo's line is only debug.
 */
const ALREADY_REPORTED = 'Unexpected error processing request:';

/**
 * Apollo's own messages as records of this logger, so that everything the process writes is one
 * JSON object per line (Apollo's default logger writes plain text to the console).
 */
export const apolloLogger = (log: Logger): ApolloLogger => {
  const at = (level: 'debug' | 'info' | 'warn' | 'error') => (message?: unknown) => {
    if (message instanceof Error) return log[level](message.message, { error: message });
    const text = String(message);
    if (level === 'error' && text.startsWith(ALREADY_REPORTED)) return log.debug(text);
    log[level](text);
  };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
};

/**
 * Logs, with its stack, an error Apollo caught outside any resolver (a plugin or the executor
 * threw). Apollo then answers with a bare `Error('Internal server error')` of its own, which
 * `isUnexpectedErrorStandIn` recognizes, so that formatError does not log it a second time.
 */
export const unexpectedErrorPlugin = <Ctx extends BaseContext>(
  log: Logger,
): ApolloServerPlugin<Ctx> => ({
  unexpectedErrorProcessingRequest: async ({ error, requestContext }) => {
    log.error('unexpected error processing a request; answered as an internal error', {
      operationName: requestContext.request.operationName,
      error,
    });
  },
});

/** Apollo's stand-in for an error `unexpectedErrorPlugin` has logged; never a resolver's error. */
export const isUnexpectedErrorStandIn = (error: unknown): boolean =>
  error instanceof Error &&
  !(error instanceof GraphQLError) &&
  error.constructor === Error &&
  error.message === 'Internal server error' &&
  error.cause === undefined;
