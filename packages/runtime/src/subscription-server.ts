import type { ApolloServerPlugin } from '@apollo/server';
import { DomainError } from '@orderflow/contracts';
import {
  GraphQLError,
  parse,
  validate,
  type DocumentNode,
  type ExecutionArgs,
  type GraphQLSchema,
} from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import type { Server } from 'node:http';
import { WebSocketServer } from 'ws';

export interface SubscriptionServerOptions<Ctx> {
  /** Whether a connection may open, from its parameters; one it may not is closed with 4403. */
  readonly admit: (connectionParams: Readonly<Record<string, unknown>>) => boolean;
  /**
   * Each subscription's context. A DomainError thrown here (a token refused) is that
   * subscription's error, with its code, as HTTP answers it: the connection stays open.
   */
  readonly context: (connectionParams: Readonly<Record<string, unknown>>) => Promise<Ctx>;
  readonly formatError: (error: GraphQLError) => GraphQLError;
}

/** An error sent instead of a subscription's events. */
const refusal = (error: unknown): readonly GraphQLError[] => {
  if (error instanceof GraphQLError) return [error];
  if (error instanceof DomainError) {
    return [new GraphQLError(error.message, { extensions: { code: error.code } })];
  }
  throw error;
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
          return refusal(error);
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
