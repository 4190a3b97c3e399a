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

interface Upstream {
  /** What makes two requests identical: subgraph, caller, operation and variables. */
  readonly key: string;
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
 * variables and caller) share one upstream subscription until it has delivered its first event;
 * a request that comes later gets its own, because an upstream that replays (`sinceVersion`)
 * has already sent what the newcomer needs. The last listener to leave closes an upstream. One
 * graphql-ws connection per subgraph and caller carries all of that caller's upstreams.
 */
export class UpstreamSubscriptions {
  private readonly clients = new Map<string, { client: Client; users: number }>();
  private readonly upstreams = new Set<Upstream>();
  /** Upstreams that have delivered nothing yet, which an identical request may join. */
  private readonly joinable = new Map<string, Upstream>();

  constructor(private readonly log: Logger) {}

  /** How many upstream subscriptions are open. */
  get open(): number {
    return this.upstreams.size;
  }

  subscribe(request: UpstreamRequest, listener: UpstreamListener): () => void {
    const connectionKey = `${request.url}\n${JSON.stringify(request.connectionParams)}`;
    const key = `${connectionKey}\n${request.query}\n${JSON.stringify(request.variables)}`;
    const existing = this.joinable.get(key);
    if (existing) {
      existing.listeners.add(listener);
      return () => this.leave(existing, listener);
    }
    const client = this.clientFor(connectionKey, request);
    const finish = (failure?: string, reason?: unknown) => {
      if (!this.forget(upstream)) return;
      this.releaseClient(connectionKey);
      if (failure) {
        // An Error keeps its stack; a close event (which holds the socket) is told by its code.
        const error = reason instanceof Error ? { error: reason } : {};
        this.log.warn('upstream subscription failed', { url: request.url, failure, ...error });
      }
      for (const each of upstream.listeners) each.end(failure);
    };
    const unsubscribe = client.subscribe<Record<string, unknown>>(
      { query: request.query, variables: request.variables },
      {
        next: (event) => {
          if (this.joinable.get(key) === upstream) this.joinable.delete(key);
          for (const each of upstream.listeners) each.next(event);
        },
        error: (reason) => finish(describeClose(reason), reason),
        complete: () => finish(),
      },
    );
    const upstream: Upstream = {
      key,
      listeners: new Set([listener]),
      close: () => {
        unsubscribe();
        this.releaseClient(connectionKey);
      },
    };
    this.upstreams.add(upstream);
    this.joinable.set(key, upstream);
    return () => this.leave(upstream, listener);
  }

  /** Ends every upstream, for shutdown. */
  async closeAll(): Promise<void> {
    for (const upstream of [...this.upstreams]) {
      this.forget(upstream);
      upstream.close();
    }
    await Promise.all(
      [...this.clients.values()].map(async ({ client }) => {
        await client.dispose();
      }),
    );
    this.clients.clear();
  }

  private leave(upstream: Upstream, listener: UpstreamListener): void {
    if (!upstream.listeners.delete(listener) || upstream.listeners.size > 0) return;
    if (this.forget(upstream)) upstream.close();
  }

  /** Takes an upstream off the books; false when it was already off them. */
  private forget(upstream: Upstream): boolean {
    if (this.joinable.get(upstream.key) === upstream) this.joinable.delete(upstream.key);
    return this.upstreams.delete(upstream);
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
