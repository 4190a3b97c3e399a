import type { ApolloServerPlugin } from '@apollo/server';
import { DomainError } from '@orderflow/contracts';
import {
  GraphQLError,
  parse,
  subscribe,
  validate,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type GraphQLSchema,
} from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import type { Server } from 'node:http';
import { WebSocketServer } from 'ws';
import type { Logger } from './log';

export interface SubscriptionServerOptions<Ctx> {
  /** Whether a connection may open, from its parameters; one it may not is closed with 4403. */
  readonly admit: (connectionParams: Readonly<Record<string, unknown>>) => boolean;
  /**
   * Each subscription's context. A DomainError thrown here (a token refused) is that
   * subscription's error, with its code, as HTTP answers it: the connection stays open.
   */
  readonly context: (connectionParams: Readonly<Record<string, unknown>>) => Promise<Ctx>;
  readonly formatError: (error: GraphQLError) => GraphQLError;
  /** Where a subscription that fails outside its resolvers is logged. */
  readonly log: Logger;
}

const internalError = () =>
  new GraphQLError('internal error; it has been logged', {
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  });

/**
 * An error sent instead of a subscription's events. Anything but a refusal is logged and masked:
 * thrown on, it would reach graphql-ws, which prints it to the console and closes the whole
 * connection with every other subscription on it.
 */
const refusal = (error: unknown, log: Logger): readonly GraphQLError[] => {
  if (error instanceof GraphQLError) return [error];
  if (error instanceof DomainError) {
    return [new GraphQLError(error.message, { extensions: { code: error.code } })];
  }
  log.error('could not start a subscription; answered as an internal error', { error });
  return [internalError()];
};

/**
 * A subscription's results, ending with an INTERNAL_SERVER_ERROR result when its event stream
 * fails (the failure logged), for the reason `refusal` gives. return() is passed on at once, so a
 * client that leaves frees the stream even while it waits for its next event.
 */
const endingOnFailure = (
  results: AsyncGenerator<ExecutionResult>,
  log: Logger,
): AsyncIterableIterator<ExecutionResult> => {
  let failed = false;
  const iterator: AsyncIterableIterator<ExecutionResult> = {
    next: async () => {
      if (failed) return { value: undefined, done: true };
      try {
        return await results.next();
      } catch (error) {
        failed = true;
        log.error('a subscription failed; ended it with an internal error', { error });
        return { value: { errors: [internalError()] }, done: false };
      }
    },
    return: (value?: unknown) => results.return(value),
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
};

/**
 * Subscriptions over graphql-ws on the same port and path as HTTP. The returned plugin closes every
 * socket when the server drains, so clients learn the server is going away and can resubscribe.
 */
export const serveSubscriptions = <Ctx>(
  httpServer: Server,
  schema: GraphQLSchema,
  options: SubscriptionServerOptions<Ctx>,
): ApolloServerPlugin => {
  const sockets = new WebSocketServer({ server: httpServer, path: '/graphql' });
  const server = useServer(
    {
      // false: graphql-ws closes the socket with 4403 Forbidden, as the gateway does.
      onConnect: ({ connectionParams }) => options.admit(connectionParams ?? {}),
      // The context is built here, not in graphql-ws's `context`, whose errors close the socket
      // as an internal error (4500) instead of answering the one subscription.
      onSubscribe: async (
        { connectionParams },
        _id,
        payload,
      ): Promise<ExecutionArgs | readonly GraphQLError[]> => {
        let contextValue: Ctx;
        let document: DocumentNode;
        try {
          contextValue = await options.context(connectionParams ?? {});
          document = parse(payload.query);
        } catch (error) {
          return refusal(error, options.log);
        }
        const errors = validate(schema, document);
        if (errors.length > 0) return errors;
        return {
          schema,
          document,
          contextValue,
          ...(payload.operationName ? { operationName: payload.operationName } : {}),
          ...(payload.variables ? { variableValues: payload.variables } : {}),
        };
      },
      subscribe: async (args) => {
        const result = await subscribe(args);
        return Symbol.asyncIterator in result ? endingOnFailure(result, options.log) : result;
      },
      onError: (_ctx, _id, _payload, errors) => errors.map(options.formatError),
      onNext: (_ctx, _id, _payload, _args, result) =>
        result.errors ? { ...result, errors: result.errors.map(options.formatError) } : result,
    },
    sockets,
  );
  return {
    serverWillStart: async () => ({
      drainServer: async () => {
        await server.dispose();
      },
    }),
  };
};
