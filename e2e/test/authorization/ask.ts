import { GATEWAY_HEADER, GATEWAY_PARAM, notTheGateway } from '@orderflow/runtime';
import { bearer, subscribe, waitFor, type Subscription } from '@orderflow/stack';
import { ALL, NUL, OK, OWN, U } from './callers';

/** How an operation is asked: through the gateway, or straight to the subgraph serving it. */
export const paths = ['gateway', 'subgraph', 'subgraph without credential'] as const;
export type Path = (typeof paths)[number];

/** Where to send, and the gateway's credential to show (only the gateway shows it). */
export interface Endpoint {
  readonly url: string;
  readonly credential?: string | undefined;
}

interface GraphQLError {
  readonly message: string;
  readonly extensions?: { readonly code?: string };
}

/** An answer over HTTP, or everything a subscription delivered until it answered. */
export interface Answer {
  /** The HTTP status; over graphql-ws 200 once it answered, or the code the socket closed with. */
  readonly status: number;
  /** The body; over graphql-ws the payloads received (`data`) and the errors. */
  readonly body: { readonly data?: unknown; readonly errors?: readonly GraphQLError[] };
  /** What the outcome is judged on, picked from the data (from each payload over graphql-ws). */
  readonly values: readonly unknown[];
}

export const overHttp = async (
  { url, credential }: Endpoint,
  token: string | undefined,
  request: { query: string; variables: Record<string, unknown> },
  pick: (data: unknown) => unknown[],
): Promise<Answer> => {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? bearer(token) : {}),
      ...(credential ? { [GATEWAY_HEADER]: credential } : {}),
    },
    body: JSON.stringify(request),
  });
  const body = (await response.json()) as Answer['body'];
  return {
    status: response.status,
    body,
    values: body.data === undefined || body.data === null ? [] : pick(body.data),
  };
};

/** A graphql-ws subscription, as a client (or, with the credential, the gateway) opens it. */
export const overSocket = (
  { url, credential }: Endpoint,
  token: string | undefined,
  { query, variables }: { query: string; variables: Record<string, unknown> },
): Subscription<unknown> =>
  subscribe(url, query, variables, {
    ...(token ? { authorization: `Bearer ${token}` } : {}),
    ...(credential ? { [GATEWAY_PARAM]: credential } : {}),
  });

/** Waits for a subscription's first payload, or for it to end (refused, or an error). */
export const firstAnswer = (subscription: Subscription<unknown>) =>
  waitFor(
    `an answer (errors ${JSON.stringify(subscription.errors)})`,
    () => subscription.received.length > 0 || subscription.completed,
  );

/** What a subscription has answered so far. */
export const answerOf = (
  subscription: Subscription<unknown>,
  pick: (data: unknown) => unknown[],
): Answer => {
  const failures = subscription.errors as readonly (GraphQLError & { code?: unknown })[];
  const closed = failures.find((failure) => typeof failure.code === 'number');
  return {
    status: closed ? Number(closed.code) : 200,
    body: {
      data: subscription.received,
      errors: failures.filter((failure) => failure !== closed),
    },
    values: subscription.received.flatMap(pick),
  };
};

/**
 * What an answer amounts to: an Outcome of the matrix (refused with 401, 403 or a code; null as a
 * missing thing; data; the orders of whom), or anything else described as it is.
 */
export const outcomeOf = (
  answer: Answer,
  { path, socket, customerId }: { path: Path; socket: boolean; customerId: string | undefined },
): string => {
  const { status, body, values } = answer;
  const codes = (body.errors ?? []).map((error) => error.extensions?.code);
  if (path === 'subgraph without credential') {
    const refused = socket
      ? status === 4403
      : status === notTheGateway.status &&
        JSON.stringify(body) === JSON.stringify(notTheGateway.body);
    return refused ? 'FORBIDDEN' : `answered, though not the gateway (${status})`;
  }
  // graphql-ws's refusal of a connection: the gateway checks the token when a socket opens.
  if (socket && path === 'gateway' && status === 4403) return U;
  if (!socket && status === 401) {
    return codes.join() === U && body.data === undefined ? U : `401 with ${codes.join()}`;
  }
  if (status !== 200) return `status ${status}`;
  if (codes.length > 0) {
    const refusedOnly = codes.length === 1 && values.every((value) => value === null);
    return refusedOnly ? codes[0]! : `errors ${codes.join()} with ${JSON.stringify(values)}`;
  }
  if (values.length === 0) return 'no answer';
  if (values.every((value) => value === null)) return NUL;
  if (values.some((value) => value === null)) return 'some null';
  if (values.every((value) => value === customerId)) return OWN;
  if (values.includes('alice') && values.includes('bob')) return ALL;
  return OK;
};
