import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import {
  createGraphQLHttpServer,
  randomId,
  type GraphQLHttpServer,
  type Logger,
} from '@orderflow/runtime';
import type { IncomingMessage } from 'node:http';

export interface GatewayOptions {
  readonly supergraphSdl: string;
  /** Subgraph name -> URL; a subgraph not named keeps the routing URL of the supergraph. */
  readonly subgraphUrls: Readonly<Record<string, string>>;
  readonly port: number;
  readonly host: string;
  readonly log: Logger;
}

interface GatewayContext {
  readonly requestId: string;
  readonly customerId: string | undefined;
}

const header = (request: IncomingMessage, name: string) => {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/** The subgraph's readiness endpoint sits beside its /graphql. */
const readyUrl = (graphqlUrl: string) => new URL('/health/ready', graphqlUrl).toString();

/**
 * Serves the supergraph: Apollo's query planner splits each operation across the subgraphs, and
 * each subgraph request carries the caller's identity and the request id for tracing in logs.
 */
export const startGateway = async (options: GatewayOptions): Promise<GraphQLHttpServer> => {
  const routed = new Map<string, string>();
  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl,
    buildService: ({ name, url }) => {
      const target = options.subgraphUrls[name] ?? url;
      if (!target)
        throw new Error(`subgraph ${name} has no URL; set SUBGRAPH_${name.toUpperCase()}_URL`);
      routed.set(name, target);
      return new RemoteGraphQLDataSource<GatewayContext>({
        url: target,
        willSendRequest: ({ request, context }) => {
          // Health checks send no caller context; every operation does.
          const caller = context as Partial<GatewayContext>;
          if (caller.requestId) request.http?.headers.set('x-request-id', caller.requestId);
          if (caller.customerId) request.http?.headers.set('x-customer-id', caller.customerId);
        },
      });
    },
  });
  const { httpServer, listen } = createGraphQLHttpServer<GatewayContext>({
    port: options.port,
    host: options.host,
    context: async (request) => ({
      requestId: header(request, 'x-request-id') ?? randomId(),
      customerId: header(request, 'x-customer-id'),
    }),
    // Ready only when every subgraph is: a gateway that cannot plan across all of them is not.
    ready: async () => {
      const answers = await Promise.all(
        [...routed.values()].map((url) =>
          fetch(readyUrl(url)).then(
            (r) => r.ok,
            () => false,
          ),
        ),
      );
      return routed.size > 0 && answers.every(Boolean);
    },
  });
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    // Errors carry a code and a message a person can act on; stack traces stay in the logs.
    includeStacktraceInErrorResponses: false,
    // main.ts's Lifecycle owns signals, so shutdown drains HTTP before the process exits.
    stopOnTerminationSignals: false,
    plugins: [ApolloServerPluginDrainHttpServer({ httpServer })],
  });
  const server = await listen(apollo);
  options.log.info('serving', { url: server.url, subgraphs: Object.fromEntries(routed) });
  return server;
};
