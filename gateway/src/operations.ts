import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { GraphQLError, Kind, OperationTypeNode, type GraphQLFormattedError } from 'graphql';

const refusal = (code: string, message: string) =>
  new GraphQLError(message, { extensions: { code, http: { status: 400 } } });

/**
 * Which operation of the document to run is the caller's choice, so a wrong choice is the
 * caller's mistake: refused with 400 and a code before the gateway plans anything (its executor
 * would answer 500). Subscriptions are served over graphql-ws, not over HTTP.
 */
export const operationPlugin = <Ctx extends BaseContext>(): ApolloServerPlugin<Ctx> => ({
  requestDidStart: async () => ({
    didResolveOperation: async ({ document, operation, request }) => {
      if (operation === undefined) {
        const names = document.definitions.flatMap((definition) =>
          definition.kind === Kind.OPERATION_DEFINITION
            ? [definition.name?.value ?? '(anonymous)']
            : [],
        );
        const listed = names.join(', ');
        if (request.operationName == null) {
          throw refusal(
            'OPERATION_NAME_REQUIRED',
            `the document has ${names.length} operations (${listed}); name the one to run in operationName`,
          );
        }
        throw refusal(
          'UNKNOWN_OPERATION_NAME',
          `the document has no operation named "${request.operationName}"; it has ${listed}`,
        );
      }
      if (operation.operation === OperationTypeNode.SUBSCRIPTION) {
        throw refusal(
          'SUBSCRIPTION_OVER_HTTP',
          'subscriptions are served over graphql-ws (a WebSocket) on this same path; HTTP carries queries and mutations',
        );
      }
    },
  }),
});

/**
 * Apollo Server refuses these with HTTP 400 but without a code, which would read as an
 * INTERNAL_SERVER_ERROR: the caller gets a code and a message that says what to change.
 */
const codelessMistakes: Readonly<Record<string, { code: string; message: string }>> = {
  'Unsupported persisted query version': {
    code: 'PERSISTED_QUERY_VERSION_UNSUPPORTED',
    message: 'extensions.persistedQuery.version must be 1',
  },
  'provided sha does not match query': {
    code: 'PERSISTED_QUERY_HASH_MISMATCH',
    message: 'extensions.persistedQuery.sha256Hash is not the SHA-256 of the query sent with it',
  },
};

/** A client mistake Apollo raised without a code, with its code; undefined for anything else. */
export const codelessMistake = (message: string) =>
  Object.hasOwn(codelessMistakes, message) ? codelessMistakes[message] : undefined;

/** The gateway's formatError: client mistakes get their codes; everything else stays. */
export const formatError = (formatted: GraphQLFormattedError): GraphQLFormattedError => {
  const mistake = codelessMistake(formatted.message);
  return mistake ? { message: mistake.message, extensions: { code: mistake.code } } : formatted;
};
