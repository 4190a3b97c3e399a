import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLError, GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import type { Server } from 'node:http';
import { WebSocketServer } from 'ws';

/**
 * Subscriptions over graphql-ws on the same port and path as HTTP. The returned plugin closes every
 * socket when the server drains, so clients learn the server is going away and can resubscribe.
 */
export const serveSubscriptions = <Ctx>(
  httpServer: Server,
  schema: GraphQLSchema,
  context: (connectionParams: Readonly<Record<string, unknown>>) => Promise<Ctx>,
  formatError: (error: GraphQLError) => GraphQLError,
): ApolloServerPlugin => {
  const sockets = new WebSocketServer({ server: httpServer, path: '/graphql' });
  const server = useServer(
    {
      schema,
      context: ({ connectionParams }) => context(connectionParams ?? {}),
      onError: (_ctx, _id, _payload, errors) => errors.map(formatError),
      onNext: (_ctx, _id, _payload, _args, result) =>
        result.errors ? { ...result, errors: result.errors.map(formatError) } : result,
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
