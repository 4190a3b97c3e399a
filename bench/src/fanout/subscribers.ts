import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { gatewayGauges, waitUntil } from './probes';

interface StatusChange {
  readonly orderId: string;
  readonly version: number;
  readonly status: string;
  readonly at: string;
}

const TERMINAL = new Set(['COMPLETED', 'CANCELLED']);

/**
 * A number per order id, given on first sight: a subscriber often hears of an order (CREATED)
 * before the placeOrder response that names it has reached the driver.
 */
export class OrderNumbers {
  private readonly numbers = new Map<string, number>();

  numberOf(id: string): number {
    let number = this.numbers.get(id);
    if (number === undefined) {
      number = this.numbers.size;
      this.numbers.set(id, number);
    }
    return number;
  }
}

/** An order has a handful of versions: a receipt is one number, order × 64 + version. */
export const receiptKey = (order: number, version: number): number => order * 64 + version;

export interface Subscriber {
  /** Receipt keys of every event received, once each. */
  readonly seen: Set<number>;
  /** Orders whose COMPLETED or CANCELLED this subscriber has received. */
  terminal: number;
  /** Receipts of an event this subscriber had already received. */
  doubled: number;
  /** Why the subscription ended before the bench closed it (an error code or a close). */
  ended: string | undefined;
}

export interface SubscriberPoolOptions {
  /** The gateway's HTTP URL: the websocket is on the same path. */
  readonly gatewayUrl: string;
  readonly connectionParams: Record<string, unknown>;
  readonly query: string;
  readonly orders: OrderNumbers;
}

const describe = (reason: unknown): string => {
  if (Array.isArray(reason)) {
    return reason
      .map((error: { message?: string; extensions?: { code?: unknown } }) =>
        typeof error.extensions?.code === 'string' ? error.extensions.code : error.message,
      )
      .join(', ');
  }
  if (reason !== null && typeof reason === 'object' && 'code' in reason) {
    return `socket closed ${String(reason.code)}`;
  }
  return reason instanceof Error ? reason.message : String(reason);
};

/**
 * Subscribers of one run, each a graphql-ws client on a websocket of its own (as separate
 * browsers would be), all on one subscription document. Every receipt is kept: when the event
 * occurred and when it arrived (this machine's clock both), and per subscriber which events.
 */
export class SubscriberPool {
  readonly subscribers: Subscriber[] = [];
  /** Per receipt of an event (not a doubled one): its `at`, and when it arrived, in ms. */
  readonly occurredAt: number[] = [];
  readonly receivedAt: number[] = [];
  private readonly clients: Client[] = [];
  private closing = false;

  constructor(private readonly options: SubscriberPoolOptions) {}

  /** How many have not ended. */
  get live(): number {
    return this.subscribers.filter((subscriber) => subscriber.ended === undefined).length;
  }

  /**
   * Opens `count` subscriptions, `batch` at a time, each batch confirmed by the gateway's
   * subscription gauge (graphql-ws acknowledges connections, not subscriptions), until `deadline`.
   */
  async open(count: number, batch: number, deadline: number): Promise<void> {
    while (this.subscribers.length < count) {
      const size = Math.min(batch, count - this.subscribers.length);
      for (let i = 0; i < size; i++) this.add();
      const confirmed = await waitUntil(
        async () => (await gatewayGauges(this.options.gatewayUrl)).subscriptions >= this.live,
        deadline,
        50,
      );
      if (!confirmed) {
        const { subscriptions } = await gatewayGauges(this.options.gatewayUrl);
        throw new Error(
          `the gateway holds ${subscriptions} subscriptions of the ${this.subscribers.length} opened ` +
            `(${this.subscribers.length - this.live} ended: ${this.endings() || 'none'})`,
        );
      }
    }
  }

  /** Why subscriptions ended, with how many: "SUBSCRIPTION_TOO_SLOW ×12". */
  endings(): string {
    const reasons = new Map<string, number>();
    for (const { ended } of this.subscribers) {
      if (ended !== undefined) reasons.set(ended, (reasons.get(ended) ?? 0) + 1);
    }
    return [...reasons].map(([reason, times]) => `${reason} ×${times}`).join('; ');
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.clients.map(async (client) => client.dispose()));
  }

  private add(): void {
    const subscriber: Subscriber = { seen: new Set(), terminal: 0, doubled: 0, ended: undefined };
    const end = (reason: string) => {
      if (!this.closing) subscriber.ended ??= reason;
    };
    const client = createClient({
      url: this.options.gatewayUrl.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: this.options.connectionParams,
      // A reconnect would subscribe afresh from now on and hide what was missed meanwhile.
      retryAttempts: 0,
      on: { closed: (event) => end(describe(event)) },
    });
    this.clients.push(client);
    this.subscribers.push(subscriber);
    const { orders } = this.options;
    client.subscribe<{ orderStatusChanged: StatusChange }>(
      { query: this.options.query },
      {
        next: ({ data, errors }) => {
          const received = Date.now();
          if (errors !== undefined && errors.length > 0) end(describe(errors));
          const change = data?.orderStatusChanged;
          if (change === undefined) return;
          const key = receiptKey(orders.numberOf(change.orderId), change.version);
          if (subscriber.seen.has(key)) {
            subscriber.doubled++;
            return;
          }
          subscriber.seen.add(key);
          if (TERMINAL.has(change.status)) subscriber.terminal++;
          this.occurredAt.push(Date.parse(change.at));
          this.receivedAt.push(received);
        },
        error: (error) => end(describe(error)),
        complete: () => end('completed by the gateway'),
      },
    );
  }
}
