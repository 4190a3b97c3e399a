/**
 * A competitor for bench:gateway, in a process of its own: plain @apollo/gateway behind
 * @apollo/server's standalone HTTP server, as its documentation sets one up. Its data sources add
 * only what the subgraphs require of every caller: the client's Authorization header (each
 * subgraph verifies the token again) and the gateway secret. Started by gateway-bench.ts.
 */
import '@orderflow/auth/dist/node-version';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { GATEWAY_HEADER } from '@orderflow/runtime';
import { childSettings, exitOnSignals, LISTENING } from './child-env';

interface Context {
  readonly authorization: string | undefined;
}

const main = async () => {
  const { supergraphSdl, subgraphUrls, callerSecret } = childSettings();
  const gateway = new ApolloGateway({
    supergraphSdl,
    buildService: ({ name, url }) =>
      new RemoteGraphQLDataSource<Context>({
        url: subgraphUrls[name] ?? url,
        willSendRequest: ({ request, context }) => {
          request.http?.headers.set(GATEWAY_HEADER, callerSecret);
          // Apollo's own health checks carry no context, hence no header to copy.
          const { authorization } = context as Partial<Context>;
          if (authorization !== undefined)
            request.http?.headers.set('authorization', authorization);
        },
      }),
  });
  // The parent's SIGTERM ends the process at once (nothing to drain after a benchmark).
  const server = new ApolloServer<Context>({ gateway, stopOnTerminationSignals: false });
  const { url } = await startStandaloneServer(server, {
    listen: { port: 0, host: '127.0.0.1' },
    context: async ({ req }) => ({ authorization: req.headers.authorization }),
  });
  exitOnSignals();
  process.stdout.write(`${LISTENING}${url}\n`);
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
