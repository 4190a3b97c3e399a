import { HeaderMap } from '@apollo/server';
import type { VerifyAuthorization, Viewer } from '@orderflow/auth';
import { DomainError } from '@orderflow/contracts';
import { GraphQLError } from 'graphql';
import type { IncomingMessage } from 'node:http';
import type { Logger } from './log';

// Services see auth only through the runtime: the viewer, and the one rule they share.
export { requireAdmin, type Viewer } from '@orderflow/auth';

/** graphql-ws carries what HTTP sends as the Authorization header in `connectionParams`. */
export const connectionAuthorization = (
  connectionParams: Readonly<Record<string, unknown>>,
): string | undefined =>
  typeof connectionParams.authorization === 'string' ? connectionParams.authorization : undefined;

/** What a caller is told when the verifier cannot work: never the network error behind it. */
const AUTH_UNAVAILABLE = 'tokens cannot be verified right now; try again shortly';

/** The caller is told only AUTH_UNAVAILABLE, so the reason (the key set's outage) goes here. */
const unavailable = (log: Logger | undefined, error: unknown) =>
  log?.error('tokens cannot be verified; answered AUTH_UNAVAILABLE', { error });

/**
 * The viewer of a graphql-ws subscription, from its connection's parameters. A refused token
 * throws the verifier's DomainError (UNAUTHENTICATED); a verifier that cannot work (the key set is
 * unreachable) a neutral AUTH_UNAVAILABLE, whose cause goes to `log`: each is that
 * subscription's error.
 */
export const authenticateConnection = async (
  verify: VerifyAuthorization,
  connectionParams: Readonly<Record<string, unknown>>,
  log?: Logger,
): Promise<Viewer> => {
  try {
    return await verify(connectionAuthorization(connectionParams));
  } catch (error) {
    if (error instanceof DomainError) throw error;
    unavailable(log, error);
    throw new GraphQLError(AUTH_UNAVAILABLE, { extensions: { code: 'AUTH_UNAVAILABLE' } });
  }
};

/**
 * The viewer of an HTTP request, from its Authorization header; to be called while building the
 * context. Apollo answers an error thrown there with a 500 unless it is a GraphQLError that names
 * its own status, so a refusal becomes one: 401 UNAUTHENTICATED, with the verifier's message; a
 * verifier that cannot work 503 AUTH_UNAVAILABLE, whose cause goes to `log`.
 */
export const authenticateRequest = async (
  verify: VerifyAuthorization,
  request: IncomingMessage,
  log?: Logger,
): Promise<Viewer> => {
  try {
    return await verify(request.headers.authorization);
  } catch (error) {
    // Not the caller's fault (the key set is unreachable): a neutral 503, never the network error.
    if (!(error instanceof DomainError)) {
      unavailable(log, error);
      throw new GraphQLError(AUTH_UNAVAILABLE, {
        extensions: { code: 'AUTH_UNAVAILABLE', http: { status: 503 } },
      });
    }
    throw new GraphQLError(error.message, {
      extensions: {
        code: error.code,
        http: { status: 401, headers: new HeaderMap([['www-authenticate', 'Bearer']]) },
      },
    });
  }
};
