import { operationFromDocument, Supergraph, type Schema } from '@apollo/federation-internals';
import { QueryPlanner, type FetchNode, type PlanNode } from '@apollo/query-planner';
import { GraphQLError, type DocumentNode, type GraphQLSchema } from 'graphql';

/** How one subscription runs: a fetch that subscribes upstream, and what completes each event. */
export interface SubscriptionPlan {
  /** The subscription sent to the subgraph that owns the root field. */
  readonly primary: FetchNode;
  /** Fetches from other subgraphs that fill in each event; undefined when the owner has it all. */
  readonly rest: PlanNode | undefined;
}

export interface SupergraphPlanner {
  /** The public schema, for validating operations. */
  readonly apiSchema: GraphQLSchema;
  readonly apiSchemaInternal: Schema;
  /** The supergraph with its join directives, as query plan execution needs it. */
  readonly supergraphSchema: GraphQLSchema;
  planSubscription(document: DocumentNode, operationName: string | undefined): SubscriptionPlan;
}

/**
 * Apollo's query planner, which @apollo/gateway uses for queries, also plans subscriptions: a
 * primary fetch to the owning subgraph and the rest, run per event. The gateway cannot execute such
 * a plan; this module plans, and the subscription server executes.
 */
export const createPlanner = (supergraphSdl: string): SupergraphPlanner => {
  const supergraph = Supergraph.build(supergraphSdl);
  const apiSchemaInternal = supergraph.apiSchema();
  const planner = new QueryPlanner(supergraph);
  return {
    apiSchema: apiSchemaInternal.toGraphQLJSSchema(),
    apiSchemaInternal,
    supergraphSchema: supergraph.schema.toGraphQLJSSchema(),
    planSubscription: (document, operationName) => {
      const operation = operationFromDocument(apiSchemaInternal, document, {
        ...(operationName ? { operationName } : {}),
      });
      const { node } = planner.buildQueryPlan(operation);
      if (node?.kind !== 'Subscription') {
        throw new GraphQLError(
          'only subscriptions are served over websocket; send queries and mutations over HTTP',
          {
            extensions: { code: 'BAD_REQUEST' },
          },
        );
      }
      return { primary: node.primary, rest: node.rest };
    },
  };
};
