import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { GraphQLError, OperationTypeNode } from 'graphql';
import { Agent, request } from 'undici';

export interface SubgraphDataSourceOptions<Ctx> {
  readonly url: string;
  /** The headers a fetch made for this context carries (identity, request id, trace). */
  readonly headers: (context: Partial<Ctx>) => Record<string, string>;
  /**
   * What identifies the caller among those headers: fetches that differ only in the others (a
   * request id, a trace) answer the same and may be shared.
   */
  readonly callerOf: (headers: Record<string, string>) => string;
  /** Told of a failed fetch (answered: whether the subgraph answered); returns nothing, throws. */
  readonly failed: (error: Error, answered: boolean, context: Partial<Ctx>) => never;
}

/** A subgraph's answer as it came: one answer serves every fetch that shared it. */
interface Answer {
  readonly status: number;
  readonly statusText: string;
  readonly body: string;
}

/**
 * Keep-alive connections to the subgraphs, as many as the load asks for: a fetch never waits
 * behind another for a socket.
 */
const agent = new Agent({ keepAliveTimeout: 30_000 });

const post = async (url: string, headers: Record<string, string>, body: string) => {
  const response = await request(url, { method: 'POST', headers, body, dispatcher: agent });
  return {
    status: response.statusCode,
    statusText: response.statusText,
    body: await response.body.text(),
  };
};

/**
 * A read may share an identical fetch already in flight; a mutation's fetches may not, and
 * neither may the reads after it (they must see what the mutation did).
 */
const readsOnly = <Ctx extends Record<string, unknown>>(
  options: GraphQLDataSourceProcessOptions<Ctx>,
) =>
  'incomingRequestContext' in options &&
  options.incomingRequestContext.operation?.operation !== OperationTypeNode.MUTATION;

/** The subgraph's status in words, without its internal address or body (those go to the log). */
const answeredWith = (answer: Answer) => {
  const code =
    answer.status === 401 ? 'UNAUTHENTICATED' : answer.status === 403 ? 'FORBIDDEN' : undefined;
  return new GraphQLError(`${answer.status}: ${answer.statusText}`, {
    ...(code ? { extensions: { code } } : {}),
    originalError: new Error(
      `the subgraph answered ${answer.status} ${answer.statusText}: ${answer.body.slice(0, 500)}`,
    ),
  });
};

/**
 * The gateway's fetches to one subgraph, over undici's keep-alive pool (Apollo's default fetcher
 * costs more CPU per fetch than the subgraph's answer takes). Identical reads in flight at the
 * same time, for the same caller, are sent once and their answer parsed for each: concurrent
 * requests for the same order, or many subscribers completing the same event, cost one fetch.
 */
export class SubgraphDataSource<
  Ctx extends Record<string, unknown>,
> implements GraphQLDataSource<Ctx> {
  private readonly inFlight = new Map<string, Promise<Answer>>();

  constructor(private readonly options: SubgraphDataSourceOptions<Ctx>) {}

  async process(options: GraphQLDataSourceProcessOptions<Ctx>): Promise<GatewayGraphQLResponse> {
    const { query, variables, operationName, extensions } = options.request;
    if (query === undefined) throw new Error('a subgraph fetch without a query');
    const context = options.context as Partial<Ctx>;
    const headers = { 'content-type': 'application/json', ...this.options.headers(context) };
    const body = JSON.stringify({ query, variables, operationName, extensions });
    let answer: Answer;
    try {
      answer = await (readsOnly(options)
        ? this.shared(`${this.options.callerOf(headers)}\n${body}`, headers, body)
        : post(this.options.url, headers, body));
    } catch (error) {
      return this.options.failed(error as Error, false, context);
    }
    if (answer.status < 200 || answer.status > 299) {
      return this.options.failed(answeredWith(answer), true, context);
    }
    let response: unknown;
    try {
      response = JSON.parse(answer.body);
    } catch {
      // Not JSON: below.
    }
    if (typeof response !== 'object' || response === null || Array.isArray(response)) {
      return this.options.failed(
        new Error(`expected a GraphQL response, but the subgraph answered: ${answer.body}`),
        true,
        context,
      );
    }
    return response;
  }

  private shared(key: string, headers: Record<string, string>, body: string): Promise<Answer> {
    const known = this.inFlight.get(key);
    if (known) return known;
    const answer = post(this.options.url, headers, body).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, answer);
    return answer;
  }
}
