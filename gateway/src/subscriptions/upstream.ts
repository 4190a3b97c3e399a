import type { Logger } from '@orderflow/runtime';
import type { FormattedExecutionResult } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

export type UpstreamEvent = FormattedExecutionResult<Record<string, unknown>, unknown>;

export interface UpstreamListener {
  next(event: UpstreamEvent): void;
  /** The upstream ended: completed (no reason) or failed (the reason, for people). */
  end(failure?: string): void;
}

export interface UpstreamRequest {
  /** The subgraph's GraphQL URL (http:// or https://; the socket uses ws:// or wss://). */
  readonly url: string;
  readonly query: string;
  readonly variables: Record<string, unknown>;
  /** Who is asking: forwarded to the subgraph, and part of what makes two requests identical. */
  readonly connectionParams: Record<string, unknown>;
}

interface Shared {
  readonly listeners: Set<UpstreamListener>;
  readonly close: () => void;
}

const describeClose = (reason: unknown): string => {
  if (reason && typeof reason === 'object' && 'code' in reason) {
    const { code, reason: text } = reason as { code: number; reason?: string };
    return `socket closed with code ${code}${text ? ` (${text})` : ''}`;
  }
  if (Array.isArray(reason)) return reason.map((e: { message?: string }) => e.message).join('; ');
  return reason instanceof Error ? reason.message : String(reason);
};

/**
 * The gateway's subscriptions to subgraphs. Identical requests (same subgraph, operation,
 * variables and caller) share one upstream subscription; the last listener to leave closes it.
 * One graphql-ws connection per subgraph and caller carries all of that caller's upstreams.
 */
export class UpstreamSubscriptions {
  private readonly clients = new Map<string, { client: Client; users: number }>();
  private readonly shared = new Map<string, Shared>();

  constructor(private readonly log: Logger) {}

  /** How many upstream subscriptions are open: what identical subscriptions share. */
  get open(): number {
    return this.shared.size;
  }

  subscribe(request: UpstreamRequest, listener: UpstreamListener): () => void {
    const connectionKey = `${request.url}\n${JSON.stringify(request.connectionParams)}`;
    const key = `${connectionKey}\n${request.query}\n${JSON.stringify(request.variables)}`;
    const existing = this.shared.get(key);
    if (existing) {
      existing.listeners.add(listener);
      return () => this.leave(key, listener);
    }
    const listeners = new Set([listener]);
    const client = this.clientFor(connectionKey, request);
    const finish = (failure?: string) => {
      if (this.shared.get(key)?.listeners !== listeners) return;
      this.shared.delete(key);
      this.releaseClient(connectionKey);
      if (failure) this.log.warn('upstream subscription failed', { url: request.url, failure });
      for (const each of listeners) each.end(failure);
    };
    const unsubscribe = client.subscribe<Record<string, unknown>>(
      { query: request.query, variables: request.variables },
      {
        next: (event) => {
          for (const each of listeners) each.next(event);
        },
        error: (reason) => finish(describeClose(reason)),
        complete: () => finish(),
      },
    );
    this.shared.set(key, {
      listeners,
      close: () => {
        unsubscribe();
        this.releaseClient(connectionKey);
      },
    });
    return () => this.leave(key, listener);
  }

  /** Ends every upstream, for shutdown. */
  async closeAll(): Promise<void> {
    for (const [key, shared] of this.shared) {
      this.shared.delete(key);
      shared.close();
    }
    await Promise.all(
      [...this.clients.values()].map(async ({ client }) => {
        await client.dispose();
      }),
    );
    this.clients.clear();
  }

  private leave(key: string, listener: UpstreamListener): void {
    const shared = this.shared.get(key);
    if (!shared?.listeners.delete(listener) || shared.listeners.size > 0) return;
    this.shared.delete(key);
    shared.close();
  }

  private clientFor(connectionKey: string, request: UpstreamRequest): Client {
    const known = this.clients.get(connectionKey);
    if (known) {
      known.users++;
      return known.client;
    }
    const client = createClient({
      url: request.url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: request.connectionParams,
      // A subgraph that goes away ends its subscriptions with an error; clients resubscribe.
      retryAttempts: 0,
      lazy: true,
    });
    this.clients.set(connectionKey, { client, users: 1 });
    return client;
  }

  private releaseClient(connectionKey: string): void {
    const known = this.clients.get(connectionKey);
    if (!known) return;
    known.users--;
    if (known.users > 0) return;
    this.clients.delete(connectionKey);
    void known.client.dispose();
  }
}
