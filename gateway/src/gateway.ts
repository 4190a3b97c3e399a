import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import type { VerifyAuthorization, Viewer } from '@orderflow/auth';
import {
  apolloLogger,
  authenticateConnection,
  authenticateRequest,
  createGraphQLHttpServer,
  randomId,
  requestIdOf,
  requestMetricsPlugin,
  unexpectedErrorPlugin,
  traceHeaders,
  GATEWAY_HEADER,
  GATEWAY_PARAM,
  type GraphQLHttpServer,
  type Logger,
} from '@orderflow/runtime';
import type { IncomingMessage } from 'node:http';
import { errorLogPlugin, subgraphFailure } from './errors';
import { formatError, operationPlugin } from './operations';
import { clientKey, limitRules, limitsPlugin, rateLimiter, type LimitSettings } from './limits';
import { SubgraphDataSource } from './subgraph-data-source';
import { createPlanner } from './subscriptions/planner';
import { serveSubscriptions } from './subscriptions/server';

export interface GatewayOptions {
  readonly supergraphSdl: string;
  /** Subgraph name -> URL; a subgraph not named keeps the routing URL of the supergraph. */
  readonly subgraphUrls: Readonly<Record<string, string>>;
  readonly port: number;
  readonly host: string;
  readonly log: Logger;
  /** Checks HTTP requests' Authorization header and websocket connections' parameters. */
  readonly authenticate: VerifyAuthorization;
  /** Request limits: docs/services/gateway.md#limits. */
  readonly limits: LimitSettings;
  /** What the gateway shows every subgraph, which answers only a caller that shows it. */
  readonly callerSecret?: string | undefined;
}

// A type, not an interface: Apollo's data sources take a context that is a Record.
type GatewayContext = {
  readonly requestId: string;
  readonly viewer: Viewer;
};

/** Subgraphs verify every request again, so each carries the token the gateway verified. */
const forwardedAuthorization = (viewer: Viewer) => `Bearer ${viewer.token}`;

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
  const dataSources = new Map<string, SubgraphDataSource<GatewayContext>>();
  // The rate limiter and the context both need the caller: each request's token is verified once.
  const verified = new WeakMap<IncomingMessage, Promise<Viewer>>();
  const verifyOnce = (request: IncomingMessage) => {
    const known = verified.get(request);
    if (known) return known;
    const viewer = options.authenticate(request.headers.authorization);
    verified.set(request, viewer);
    return viewer;
  };
  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl,
    logger: apolloLogger(options.log),
    buildService: ({ name, url }) => {
      const target = options.subgraphUrls[name] ?? url;
      if (!target)
        throw new Error(`subgraph ${name} has no URL; set SUBGRAPH_${name.toUpperCase()}_URL`);
      routed.set(name, target);
      const failed = subgraphFailure(name, options.log);
      const dataSource = new SubgraphDataSource<GatewayContext>({
        url: target,
        failed: (error, answered, context) => failed(error, answered, context.requestId),
        // Health checks send no caller context; every operation does.
        headers: (context) => ({
          ...(context.requestId ? { 'x-request-id': context.requestId } : {}),
          ...traceHeaders(),
          ...(options.callerSecret ? { [GATEWAY_HEADER]: options.callerSecret } : {}),
          ...(context.viewer ? { authorization: forwardedAuthorization(context.viewer) } : {}),
        }),
        callerOf: (headers) => headers.authorization ?? '',
      });
      dataSources.set(name, dataSource);
      return dataSource;
    },
  });
  const { httpServer, listen } = createGraphQLHttpServer<GatewayContext>({
    port: options.port,
    host: options.host,
    log: options.log,
    maxBodyBytes: options.limits.maxBodyBytes,
    // Per customer once the token verifies, so rotating headers buys no fresh bucket; else per
    // header or address (such a request is refused with 401 right after anyway).
    admit: rateLimiter(options.limits.rateLimit, async (request) =>
      verifyOnce(request).then(
        (viewer) => `customer:${viewer.customerId}`,
        () => clientKey(request),
      ),
    ),
    context: async (request) => ({
      requestId: requestIdOf(header(request, 'x-request-id')),
      // Refused here, with 401, before any subgraph is asked.
      viewer: await authenticateRequest(() => verifyOnce(request), request, options.log),
    }),
    // Ready only when every subgraph is: a gateway that cannot plan across all of them is not.
    ready: async () => {
      const answers = await Promise.all(
        [...routed].map(async ([name, url]) => {
          const ready = await fetch(readyUrl(url)).then(
            (r) => r.ok,
            () => false,
          );
          return ready ? [] : [`subgraph ${name} is not ready (${readyUrl(url)})`];
        }),
      );
      return { problems: routed.size > 0 ? answers.flat() : ['no subgraph is routed'] };
    },
  });
  const subscriptions = serveSubscriptions(httpServer, {
    planner: createPlanner(options.supergraphSdl),
    services: () => Object.fromEntries(dataSources),
    urlOf: (name) => routed.get(name) ?? '',
    validationRules: (variables) => limitRules(options.limits, variables),
    maxBacklog: options.limits.subscriptionBacklog,
    maxUnsentBytes: options.limits.subscriptionUnsentBytes,
    limits: options.limits.subscriptions,
    authenticate: async (params) => {
      const viewer = await authenticateConnection(options.authenticate, params, options.log);
      return {
        connectionParams: {
          authorization: forwardedAuthorization(viewer),
          ...(options.callerSecret ? { [GATEWAY_PARAM]: options.callerSecret } : {}),
        },
        context: { requestId: randomId(), viewer },
        customer: viewer.customerId,
      };
    },
    log: options.log,
  });
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    // Errors carry a code and a message a person can act on; stack traces stay in the logs.
    includeStacktraceInErrorResponses: false,
    formatError,
    logger: apolloLogger(options.log),
    // main.ts's Lifecycle owns signals, so shutdown drains HTTP before the process exits.
    stopOnTerminationSignals: false,
    // limitsPlugin refuses introspection in production instead, with a message for the caller.
    introspection: true,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      subscriptions.plugin,
      operationPlugin(),
      limitsPlugin(options.limits),
      errorLogPlugin(options.log),
      unexpectedErrorPlugin(options.log),
      requestMetricsPlugin('gateway'),
    ],
  });
  const server = await listen(apollo);
  options.log.info('serving', { url: server.url, subgraphs: Object.fromEntries(routed) });
  return server;
};
