import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { waitFor } from './wait';

export interface Subscription<T> {
  /** Every payload received so far, in order. */
  readonly received: readonly T[];
  /** Errors sent instead of data, or the reason the socket closed. */
  readonly errors: readonly unknown[];
  readonly completed: boolean;
  /** Waits until `count` payloads have arrived (or fails with what arrived instead). */
  next(count: number, timeoutMs?: number): Promise<readonly T[]>;
  /** Waits until the server completed or failed the subscription. */
  ended(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** A socket close (a CloseEvent, whose fields do not serialize), GraphQL errors, or an Error. */
const describeFailure = (error: unknown): unknown[] => {
  if (Array.isArray(error)) return error;
  if (error && typeof error === 'object' && 'code' in error && 'reason' in error) {
    const { code, reason } = error as { code: number; reason: string };
    return [{ message: `socket closed: ${code} ${reason}`, code, reason }];
  }
  return [{ message: error instanceof Error ? error.message : String(error) }];
};

const wsUrl = (httpUrl: string) => httpUrl.replace(/^http/, 'ws');

/** One graphql-ws connection, on which several subscriptions can be opened. */
export interface Connection {
  subscribe<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
  ): Subscription<T>;
  close(): Promise<void>;
}

export const connectSubscriptions = (
  url: string,
  connectionParams: Record<string, unknown> = {},
): Connection => {
  const client: Client = createClient({
    url: wsUrl(url),
    webSocketImpl: WebSocket,
    connectionParams,
    retryAttempts: 0,
    lazy: true,
  });
  return {
    subscribe: (query, variables = {}) => follow(client, query, variables),
    close: async () => {
      await client.dispose();
    },
  };
};

/** A graphql-ws subscription on a connection of its own, collecting its payloads. */
export const subscribe = <T = Record<string, unknown>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  connectionParams: Record<string, unknown> = {},
): Subscription<T> => {
  const connection = connectSubscriptions(url, connectionParams);
  const subscription = connection.subscribe<T>(query, variables);
  return {
    ...subscription,
    get completed() {
      return subscription.completed;
    },
    close: async () => {
      await subscription.close();
      await connection.close();
    },
  };
};

const follow = <T>(
  client: Client,
  query: string,
  variables: Record<string, unknown>,
): Subscription<T> => {
  const received: T[] = [];
  const errors: unknown[] = [];
  let completed = false;
  const unsubscribe = client.subscribe<T>(
    { query, variables },
    {
      next: (result) => {
        if (result.errors) errors.push(...result.errors);
        else if (result.data) received.push(result.data);
      },
      error: (error) => {
        errors.push(...describeFailure(error));
        completed = true;
      },
      complete: () => {
        completed = true;
      },
    },
  );
  const describe = () => `received ${JSON.stringify(received)}, errors ${JSON.stringify(errors)}`;
  return {
    received,
    errors,
    get completed() {
      return completed;
    },
    next: async (count, timeoutMs = 20_000) => {
      await waitFor(`${count} payloads (${describe()})`, () => received.length >= count, {
        timeoutMs,
      });
      return received.slice(0, count);
    },
    ended: (timeoutMs = 20_000) =>
      waitFor(`the subscription to end (${describe()})`, () => completed, { timeoutMs }),
    close: async () => {
      unsubscribe();
    },
  };
};
