import { buildOperationContext, executeQueryPlan, type ServiceMap } from '@apollo/gateway';
import type { QueryPlan } from '@apollo/query-planner';
import type { GatewayGraphQLRequestContext } from '@apollo/server-gateway-interface';
import type { ApolloLogger } from '@orderflow/runtime';
import {
  Kind,
  type DocumentNode,
  type ExecutionResult,
  type OperationDefinitionNode,
} from 'graphql';
import type { SubscriptionPlan, SupergraphPlanner } from './planner';
import type { UpstreamEvent } from './upstream';

/** The name under which each event stands in for the primary fetch's answer. */
const EVENT = '__subscription_event__';

export interface EventExecution {
  readonly planner: SupergraphPlanner;
  readonly plan: SubscriptionPlan;
  readonly services: ServiceMap;
  readonly document: DocumentNode;
  readonly operationName: string | undefined;
  readonly variables: Record<string, unknown>;
  /** What the data sources forward to subgraphs (the caller's identity). */
  readonly context: Record<string, unknown>;
  /** Where the executor reports what it cannot put into the result. */
  readonly logger: ApolloLogger;
}

/**
 * Completes one event the way the gateway runs a query: the plan's primary fetch is answered by
 * the event itself, the rest of the plan fetches from other subgraphs what the client selected
 * there, and the result is shaped to the client's selection (aliases, fragments, typenames).
 */
export const completeEvent = async (
  execution: EventExecution,
  event: UpstreamEvent,
): Promise<ExecutionResult> => {
  const { planner, plan, document, operationName, variables, context, logger } = execution;
  const queryPlan: QueryPlan = {
    kind: 'QueryPlan',
    node: {
      kind: 'Sequence',
      nodes: [{ ...plan.primary, serviceName: EVENT }, ...(plan.rest ? [plan.rest] : [])],
    },
  };
  const services: ServiceMap = {
    ...execution.services,
    [EVENT]: { process: async () => ({ data: event.data ?? null, errors: event.errors as never }) },
  };
  const operation = document.definitions.find(
    (definition): definition is OperationDefinitionNode =>
      definition.kind === Kind.OPERATION_DEFINITION &&
      (operationName === undefined || definition.name?.value === operationName),
  );
  const requestContext = {
    request: { variables, ...(operationName ? { operationName } : {}) },
    context,
    document,
    operation,
    operationName: operationName ?? null,
    metrics: {},
    logger,
  } as unknown as GatewayGraphQLRequestContext;
  const operationContext = buildOperationContext({
    schema: planner.apiSchema,
    operationDocument: document,
    ...(operationName ? { operationName } : {}),
  });
  const result = await executeQueryPlan(
    queryPlan,
    services,
    requestContext,
    operationContext,
    planner.supergraphSchema,
    planner.apiSchemaInternal,
  );
  return {
    ...(result.data !== undefined ? { data: result.data } : {}),
    ...(result.errors?.length ? { errors: result.errors } : {}),
  };
};
