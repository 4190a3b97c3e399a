import type { ServiceMap } from '@apollo/gateway';
import type { ApolloServerPlugin } from '@apollo/server';
import { apolloLogger, type Logger } from '@orderflow/runtime';
import {
  GraphQLError,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type ValidationRule,
} from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import type { Server } from 'node:http';
import { WebSocketServer } from 'ws';
import { completeEvent } from './event-execution';
import { EventFeed } from './event-feed';
import { SubscriptionQuota, type SubscriptionLimits } from './quota';
import { Pacer } from './pacer';
import { SharedCompletions } from './shared-completions';
import type { SubscriptionPlan, SupergraphPlanner } from './planner';
import { UpstreamSubscriptions, type UpstreamEvent } from './upstream';

export interface SubscriptionServerOptions {
  readonly planner: SupergraphPlanner;
  /** The data sources of the HTTP gateway, so each event's other fields are fetched the same way. */
  readonly services: () => ServiceMap;
  /** A subgraph's GraphQL URL by name. */
  readonly urlOf: (subgraph: string) => string;
  /** The same limits as HTTP requests, for one operation's variables. */
  readonly validationRules: (variables: Readonly<Record<string, unknown>>) => ValidationRule[];
  /** Events a subscription may hold for a slow client before it is ended. */
  readonly maxBacklog: number;
  /** Bytes a client's socket may hold unsent before its subscriptions are ended. */
  readonly maxUnsentBytes: number;
  /**
   * Checks a connection's parameters and returns what to forward: to subgraphs as connection
   * parameters, and to the data sources as the request context. Throws to refuse.
   */
  readonly authenticate: (connectionParams: Readonly<Record<string, unknown>>) => Promise<{
    connectionParams: Record<string, unknown>;
    context: Record<string, unknown>;
    /** Whose subscriptions count against the per-customer limit. */
    customer: string;
  }>;
  /** How many subscriptions a connection and a customer may hold at once. */
  readonly limits: SubscriptionLimits;
  readonly log: Logger;
}

/** Results handed to clients per turn of the event loop, across all subscriptions. */
const SENDS_PER_TURN = 100;

interface SubscriptionContext {
  readonly plan: SubscriptionPlan;
  /** What makes two subscriptions identical: the same operation, variables and caller. */
  readonly identity: string;
  /** Bytes the client's socket has not sent yet. */
  readonly unsent: () => number;
  readonly caller: Awaited<ReturnType<SubscriptionServerOptions['authenticate']>>;
}

const refusal = (message: string, code: string) =>
  new GraphQLError(message, { extensions: { code } });

/** Errors as the subgraph sent them (JSON), as graphql-ws sends results on (GraphQLErrors). */
const revived = (event: UpstreamEvent): ExecutionResult => ({
  ...(event.data !== undefined ? { data: event.data } : {}),
  ...(event.errors
    ? {
        errors: event.errors.map(
          ({ message, path, extensions }) =>
            new GraphQLError(message, { ...(path ? { path } : {}), extensions: extensions ?? {} }),
        ),
      }
    : {}),
});

/**
 * Federated subscriptions on the gateway's /graphql (graphql-ws): the subgraph that owns the root
 * field streams events; for each event the gateway fetches the fields other subgraphs own, as it
 * would for a query. The plugin closes every socket (code 1001, "going away") on shutdown.
 */
export const serveSubscriptions = (
  httpServer: Server,
  options: SubscriptionServerOptions,
): { plugin: ApolloServerPlugin; upstreams: UpstreamSubscriptions } => {
  const upstreams = new UpstreamSubscriptions(options.log);
  const quota = new SubscriptionQuota(options.limits);
  const completions = new SharedCompletions();
  const pacer = new Pacer(SENDS_PER_TURN);
  const sockets = new WebSocketServer({ server: httpServer, path: '/graphql' });

  const server = useServer<Record<string, unknown>, { caller?: SubscriptionContext['caller'] }>(
    {
      onConnect: async (ctx) => {
        try {
          ctx.extra.caller = await options.authenticate(ctx.connectionParams ?? {});
          return true;
        } catch (error) {
          // A verifier that cannot work has logged why (authenticateConnection): this is the refusal.
          options.log.info('websocket connection refused', { error });
          return false;
        }
      },
      onSubscribe: (ctx, id, payload): ExecutionArgs | readonly GraphQLError[] => {
        let document: DocumentNode;
        try {
          document = parse(payload.query);
        } catch (error) {
          return [
            error instanceof GraphQLError ? error : refusal(String(error), 'GRAPHQL_PARSE_FAILED'),
          ];
        }
        const errors = validate(options.planner.apiSchema, document, [
          ...specifiedRules,
          ...options.validationRules(payload.variables ?? {}),
        ]);
        if (errors.length > 0) return errors;
        let plan: SubscriptionPlan;
        try {
          plan = options.planner.planSubscription(document, payload.operationName ?? undefined);
        } catch (error) {
          if (error instanceof GraphQLError) return [error];
          // The document is valid for the API schema, so a plan that fails is the gateway's fault.
          options.log.error('could not plan a subscription', { error });
          return [refusal(String(error), 'BAD_REQUEST')];
        }
        const caller = ctx.extra.caller!;
        const overLimit = quota.take(ctx, caller.customer, id);
        if (overLimit) return [overLimit];
        const identity = JSON.stringify([
          caller.connectionParams,
          payload.query,
          payload.operationName ?? null,
          payload.variables ?? {},
        ]);
        const contextValue: SubscriptionContext = {
          plan,
          identity,
          caller,
          unsent: () => ctx.extra.socket.bufferedAmount,
        };
        return {
          schema: options.planner.apiSchema,
          document,
          ...(payload.operationName ? { operationName: payload.operationName } : {}),
          ...(payload.variables ? { variableValues: payload.variables } : {}),
          contextValue,
        };
      },
      subscribe: (args) => {
        const { plan, identity, caller, unsent } = args.contextValue as SubscriptionContext;
        const variables = (args.variableValues ?? {}) as Record<string, unknown>;
        const subgraph = plan.primary.serviceName;
        const execution = {
          planner: options.planner,
          plan,
          services: options.services(),
          document: args.document,
          operationName: args.operationName ?? undefined,
          variables,
          context: caller.context,
          logger: apolloLogger(options.log),
        };
        let leave = () => undefined as void;
        const feed = new EventFeed({
          complete: async (event) =>
            event.data
              ? await completions.complete(event, identity, () => completeEvent(execution, event))
              : revived(event),
          maxBacklog: options.maxBacklog,
          unsent,
          maxUnsentBytes: options.maxUnsentBytes,
          pace: () => pacer.turn(),
          onClose: () => leave(),
          log: options.log,
        });
        leave = upstreams.subscribe(
          {
            url: options.urlOf(subgraph),
            query: plan.primary.operation,
            variables: Object.fromEntries(
              (plan.primary.variableUsages ?? [])
                .filter((name) => name in variables)
                .map((name) => [name, variables[name]]),
            ),
            connectionParams: caller.connectionParams,
          },
          {
            next: (event) => feed.received(event),
            end: (failure) =>
              feed.upstreamEnded(
                failure === undefined
                  ? undefined
                  : {
                      errors: [
                        refusal(
                          `the ${subgraph} subgraph ended this subscription (${failure}); subscribe again`,
                          'SUBSCRIPTION_UPSTREAM_CLOSED',
                        ),
                      ],
                    },
              ),
          },
        );
        return feed.results as AsyncIterableIterator<never>;
      },
      onComplete: (ctx, id) => {
        if (ctx.extra.caller) quota.release(ctx, ctx.extra.caller.customer, id);
      },
      onClose: (ctx) => {
        if (ctx.extra.caller) quota.releaseAll(ctx, ctx.extra.caller.customer);
      },
    },
    sockets,
  );

  return {
    upstreams,
    plugin: {
      serverWillStart: async () => ({
        drainServer: async () => {
          await server.dispose();
          await upstreams.closeAll();
        },
      }),
    },
  };
};
