import { ApolloServer, type BaseContext } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
} from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { instrumentedResolvers } from './instrumented-resolvers';
import { requestMetricsPlugin } from './request-metrics';
import type { VerifyAuthorization } from '@orderflow/auth';
import { DomainError } from '@orderflow/contracts';
import { GraphQLError, type DocumentNode, type GraphQLFormattedError } from 'graphql';
import type { IncomingMessage } from 'node:http';
import { authenticateConnection, authenticateRequest, type Viewer } from './authentication';
import { createGraphQLHttpServer, type GraphQLHttpServer, type Readiness } from './http-server';
import { GATEWAY_HEADER, GATEWAY_PARAM, isGateway, notTheGateway } from './gateway-credential';
import { randomId, requestIdOf } from './ids';
import { serveSubscriptions } from './subscription-server';
import type { Logger } from './log';
import { apolloLogger, isUnexpectedErrorStandIn, unexpectedErrorPlugin } from './apollo-logging';

/** What every resolver can rely on; services extend it with their loaders and use cases. */
export interface RequestContext extends BaseContext {
  readonly requestId: string;
  readonly viewer: Viewer;
}

export type Resolvers<Ctx> = GraphQLResolverMap<Ctx>;

const header = (request: IncomingMessage, name: string): string | undefined => {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

export interface SubgraphOptions<Ctx extends RequestContext> {
  readonly name: string;
  readonly typeDefs: DocumentNode;
  readonly resolvers: Resolvers<Ctx>;
  readonly port: number;
  readonly host: string;
  readonly log: Logger;
  /** Every request must carry a token it accepts, even though only the gateway calls. */
  readonly verify: VerifyAuthorization;
  /** When set, only a caller showing it (the gateway) is answered. */
  readonly callerSecret?: string | undefined;
  /** Adds the service's per-request state (DataLoaders, use cases) to the base context. */
  readonly context: (base: RequestContext) => Ctx;
  readonly ready: () => Promise<Readiness>;
}

/**
 * What a client sees of an error a resolver threw: a rejection the domain decided (DomainError)
 * with its code and message; anything unexpected as a bare internal error, logged in full (stack
 * and causes) here and only here: the client's message says it has been.
 */
const exposed = (log: Logger, original: unknown, path: GraphQLFormattedError['path']) => {
  if (original instanceof DomainError) {
    return { message: original.message, extensions: { code: original.code } };
  }
  if (!isUnexpectedErrorStandIn(original)) {
    log.error('unexpected error; answered as an internal error', { error: original, path });
  }
  return {
    message: 'internal error; it has been logged',
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  };
};

const formatError =
  (log: Logger) =>
  (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const unwrapped = unwrapResolverError(error);
    // What the context function threw comes wrapped too ("Context creation failed: ..."), pathless.
    const original =
      unwrapped instanceof GraphQLError && unwrapped.originalError instanceof DomainError
        ? unwrapped.originalError
        : unwrapped;
    if (original instanceof DomainError) {
      return { ...formatted, ...exposed(log, original, undefined) };
    }
    // Apollo's own refusals (validation, bad requests) already say what is wrong.
    if (formatted.extensions?.code !== 'INTERNAL_SERVER_ERROR') return formatted;
    return {
      ...(formatted.path ? { path: formatted.path } : {}),
      ...exposed(log, original, formatted.path),
    };
  };

/** The same for errors sent over graphql-ws, where Apollo's formatError does not run. */
const socketError =
  (log: Logger) =>
  (error: GraphQLError): GraphQLError => {
    if (!error.originalError) return error;
    const { message, extensions } = exposed(log, error.originalError, error.path);
    return new GraphQLError(message, { ...(error.path ? { path: error.path } : {}), extensions });
  };

export const startSubgraph = async <Ctx extends RequestContext>(
  options: SubgraphOptions<Ctx>,
): Promise<GraphQLHttpServer> => {
  const { callerSecret } = options;
  const { httpServer, listen } = createGraphQLHttpServer<Ctx>({
    port: options.port,
    host: options.host,
    log: options.log,
    ready: options.ready,
    ...(callerSecret === undefined
      ? {}
      : {
          admit: async (request) =>
            isGateway(callerSecret, header(request, GATEWAY_HEADER)) ? undefined : notTheGateway,
        }),
    context: async (request) =>
      options.context({
        requestId: requestIdOf(header(request, 'x-request-id')),
        viewer: await authenticateRequest(options.verify, request, options.log),
      }),
  });
  const schema = buildSubgraphSchema({
    typeDefs: options.typeDefs,
    resolvers: instrumentedResolvers(options.resolvers as GraphQLResolverMap<unknown>),
  });
  const subscriptions = schema.getSubscriptionType()
    ? [
        serveSubscriptions(httpServer, schema, {
          admit: (params) =>
            callerSecret === undefined || isGateway(callerSecret, params[GATEWAY_PARAM]),
          context: async (params) =>
            options.context({
              requestId: randomId(),
              viewer: await authenticateConnection(options.verify, params, options.log),
            }),
          formatError: socketError(options.log),
          log: options.log,
        }),
      ]
    : [];
  const apollo = new ApolloServer<Ctx>({
    schema,
    formatError: formatError(options.log),
    includeStacktraceInErrorResponses: false,
    logger: apolloLogger(options.log),
    // The service's Lifecycle owns signals: it closes HTTP, then consumers, then connections.
    stopOnTerminationSignals: false,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginInlineTraceDisabled(),
      // No schema here declares cache hints, and the gateway reads none: Apollo's default cache
      // control would still run a hook on every field of every response to compute a policy.
      ApolloServerPluginCacheControlDisabled(),
      unexpectedErrorPlugin(options.log),
      requestMetricsPlugin(options.name),
      ...subscriptions,
    ],
  });
  const server = await listen(apollo);
  options.log.info('serving', { subgraph: options.name, url: server.url });
  return server;
};
